/// An RFC 4180 table as spreadsheets export it: comma-separated, fields in double quotes when
/// they hold commas, quotes (doubled) or line breaks; CRLF or LF line ends; an optional UTF-8
/// byte-order mark. Every field keeps where it stood, so a watchlist error can name its row and
/// column.
public struct CSVTable: Sendable, Hashable {
    public struct Field: Sendable, Hashable {
        public var text: String
        /// Physical line (from 1) and column (from 1, in Unicode scalars) of the field's first character.
        public var line: Int
        public var column: Int
        /// Written in double quotes (so its text starts one column after `column`).
        public var quoted: Bool = false
    }

    public struct Record: Sendable, Hashable {
        public var fields: [Field]
        /// The physical line the record starts on.
        public var line: Int { fields.first?.line ?? 0 }
        public var isBlank: Bool { fields.allSatisfy { $0.text.isEmpty } }
    }

    public struct Problem: Sendable, Hashable {
        public var line: Int
        public var column: Int
        public var message: String
    }

    public var records: [Record]
    /// Problems with the file's structure. Parsing goes on past those it can (a stray quote),
    /// so that one pass reports as much as it can; an unterminated quote ends it.
    public var problems: [Problem]

    public static func parse(_ bytes: [UInt8]) -> CSVTable {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var problems: [Problem] = []
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        var line = 1, column = 1
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                scalars.append(scalar)
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                break decoding
            case .error:
                problems.append(Problem(line: line, column: column,
                    message: "the file is not UTF-8 text: save it as \"CSV UTF-8\" from the spreadsheet"))
                return CSVTable(records: [], problems: problems)
            }
        }
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var parser = Parser(scalars: scalars)
        parser.run()
        return CSVTable(records: parser.records, problems: parser.problems)
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var index = 0
        var line = 1
        var column = 1
        var records: [Record] = []
        var problems: [Problem] = []

        init(scalars: [Unicode.Scalar]) { self.scalars = scalars }

        mutating func run() {
            var fields: [Field] = []
            while index < scalars.count {
                guard let field = readField() else { return }
                fields.append(field)
                if index >= scalars.count { break }
                let separator = scalars[index]
                if separator == "," {
                    advance()
                    if index == scalars.count { fields.append(Field(text: "", line: line, column: column)) }
                } else {
                    endOfLine()
                    records.append(Record(fields: fields))
                    fields = []
                }
            }
            if !fields.isEmpty { records.append(Record(fields: fields)) }
        }

        /// Reads one field, leaving `index` on the separator, the line end, or the end.
        mutating func readField() -> Field? {
            let startLine = line, startColumn = column
            var text = String.UnicodeScalarView()
            let quoted = index < scalars.count && scalars[index] == "\""
            if quoted {
                advance()
                while true {
                    guard index < scalars.count else {
                        problems.append(Problem(line: startLine, column: startColumn,
                            message: "this quoted field is never closed: add the closing `\"`"))
                        return nil
                    }
                    let scalar = scalars[index]
                    if scalar == "\"" {
                        if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                            text.append("\"")
                            advance(); advance()
                            continue
                        }
                        advance()
                        break
                    }
                    text.append(scalar)
                    advance()
                }
                if index < scalars.count, !isSeparatorOrLineEnd(scalars[index]) {
                    problems.append(Problem(line: line, column: column,
                        message: "text after the closing quote of a field: put the whole field in quotes and double any quote inside it"))
                    while index < scalars.count, !isSeparatorOrLineEnd(scalars[index]) { text.append(scalars[index]); advance() }
                }
            } else {
                while index < scalars.count, !isSeparatorOrLineEnd(scalars[index]) {
                    if scalars[index] == "\"" {
                        problems.append(Problem(line: line, column: column,
                            message: "a quote inside an unquoted field: put the whole field in quotes and double the quote (`\"\"`)"))
                    }
                    text.append(scalars[index])
                    advance()
                }
            }
            return Field(text: String(text), line: startLine, column: startColumn, quoted: quoted)
        }

        mutating func endOfLine() {
            if scalars[index] == "\r" {
                advance()
                if index < scalars.count, scalars[index] == "\n" {
                    advance()
                } else {
                    line += 1
                    column = 1
                }
            } else if scalars[index] == "\n" {
                advance()
            }
        }

        mutating func advance() {
            if scalars[index] == "\n" { line += 1; column = 1 } else { column += 1 }
            index += 1
        }

        func isSeparatorOrLineEnd(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "," || scalar == "\n" || scalar == "\r"
        }
    }
}

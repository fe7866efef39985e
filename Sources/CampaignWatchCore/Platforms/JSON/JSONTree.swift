/// A parsed JSON document that remembers where every value sits in the bytes it came from.
///
/// Platform APIs answer in JSON, and the evidence archive wants each post's own object exactly as
/// served; Foundation's JSONSerialization loses both the byte ranges and the position of a syntax
/// error, so the platform parsers read JSON through this small reader instead.
public struct JSONNode: Sendable {
    public enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number's literal text, converted on demand (ids can exceed a Double's precision).
        case number(String)
        case string(String)
        case array([JSONNode])
        case object([JSONMember])
    }

    public var value: Value
    /// Byte range of this value in the parsed input.
    public var span: Range<Int>

    public init(value: Value, span: Range<Int>) {
        self.value = value
        self.span = span
    }

    public subscript(key: String) -> JSONNode? {
        guard case .object(let members) = value else { return nil }
        return members.first { $0.key == key }?.node
    }

    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// Strings and numbers both, for ids that one server writes as `"12"` and another as `12`.
    public var scalarText: String? {
        switch value {
        case .string(let text), .number(let text): text
        default: nil
        }
    }

    public var int: Int? {
        switch value {
        case .number(let text): Int(text) ?? Double(text).flatMap { $0.rounded() == $0 && abs($0) < 9e15 ? Int($0) : nil }
        case .string(let text): Int(text)
        default: nil
        }
    }

    public var bool: Bool? {
        if case .bool(let flag) = value { return flag }
        return nil
    }

    public var array: [JSONNode]? {
        if case .array(let items) = value { return items }
        return nil
    }

    public var members: [JSONMember]? {
        if case .object(let members) = value { return members }
        return nil
    }

    public var isNull: Bool {
        if case .null = value { return true }
        return false
    }

    /// A word for the kind of value, for messages ("expected an array, found an object").
    public var kindName: String {
        switch value {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

public struct JSONMember: Sendable {
    public var key: String
    public var node: JSONNode
}

/// Where and why a JSON document could not be read. Line and column count from 1; the column
/// counts bytes, which is what editors show for the ASCII punctuation JSON errors are about.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public var offset: Int
    public var line: Int
    public var column: Int
    public var reason: String

    public var description: String { "line \(line), column \(column) (byte \(offset)): \(reason)" }
}

public enum JSONTree {
    /// Nesting deeper than this is refused: real API answers stay far below it, hostile input
    /// could otherwise exhaust the stack.
    public static let maximumDepth = 256

    public static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        try bytes.withUnsafeBufferPointer { (buffer) throws(JSONSyntaxError) -> JSONNode in
            var reader = Reader(bytes: buffer)
            reader.skipByteOrderMark()
            reader.skipWhitespace()
            let root = try reader.readValue(depth: 0)
            reader.skipWhitespace()
            if reader.position < buffer.count {
                throw reader.error("unexpected \(reader.describeCurrent()) after the end of the document")
            }
            return root
        }
    }

    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        mutating func skipByteOrderMark() {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { position = 3 }
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        func error(_ reason: String, at offset: Int? = nil) -> JSONSyntaxError {
            let at = min(offset ?? position, bytes.count)
            var line = 1
            var lineStart = 0
            for index in 0..<at where bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            return JSONSyntaxError(offset: at, line: line, column: at - lineStart + 1, reason: reason)
        }

        func describeCurrent() -> String {
            guard position < bytes.count else { return "end of input" }
            let byte = bytes[position]
            if byte >= 0x21 && byte < 0x7F { return "'\(Character(Unicode.Scalar(byte)))'" }
            return "byte 0x" + String(byte, radix: 16, uppercase: true)
        }

        mutating func readValue(depth: Int) throws(JSONSyntaxError) -> JSONNode {
            guard position < bytes.count else { throw error("unexpected end of input, expected a value") }
            let start = position
            switch bytes[position] {
            case UInt8(ascii: "{"):
                guard depth < JSONTree.maximumDepth else { throw error("nesting deeper than \(JSONTree.maximumDepth) levels") }
                return try readObject(depth: depth + 1)
            case UInt8(ascii: "["):
                guard depth < JSONTree.maximumDepth else { throw error("nesting deeper than \(JSONTree.maximumDepth) levels") }
                return try readArray(depth: depth + 1)
            case UInt8(ascii: "\""):
                let text = try readString()
                return JSONNode(value: .string(text), span: start..<position)
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                return JSONNode(value: .bool(true), span: start..<position)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                return JSONNode(value: .bool(false), span: start..<position)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                return JSONNode(value: .null, span: start..<position)
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return try readNumber()
            default:
                throw error("unexpected \(describeCurrent()), expected a value")
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
            let start = position
            let count = literal.utf8CodeUnitCount
            let matches = literal.withUTF8Buffer { expected in
                guard position + count <= bytes.count else { return false }
                for index in 0..<count where bytes[position + index] != expected[index] { return false }
                return true
            }
            guard matches else { throw error("unexpected \(describeCurrent()), expected a value", at: start) }
            position += count
        }

        mutating func readObject(depth: Int) throws(JSONSyntaxError) -> JSONNode {
            let start = position
            position += 1
            var members: [JSONMember] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return JSONNode(value: .object(members), span: start..<position)
            }
            while true {
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw error("unexpected \(describeCurrent()), expected a member name in quotes")
                }
                let key = try readString()
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw error("unexpected \(describeCurrent()), expected ':' after member name \"\(key)\"")
                }
                position += 1
                skipWhitespace()
                let node = try readValue(depth: depth)
                members.append(JSONMember(key: key, node: node))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input inside an object opened at byte \(start)") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "}") { position += 1; break }
                throw error("unexpected \(describeCurrent()), expected ',' or '}' in an object")
            }
            return JSONNode(value: .object(members), span: start..<position)
        }

        mutating func readArray(depth: Int) throws(JSONSyntaxError) -> JSONNode {
            let start = position
            position += 1
            var items: [JSONNode] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return JSONNode(value: .array(items), span: start..<position)
            }
            while true {
                skipWhitespace()
                items.append(try readValue(depth: depth))
                skipWhitespace()
                guard position < bytes.count else { throw error("unexpected end of input inside an array opened at byte \(start)") }
                if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                if bytes[position] == UInt8(ascii: "]") { position += 1; break }
                throw error("unexpected \(describeCurrent()), expected ',' or ']' in an array")
            }
            return JSONNode(value: .array(items), span: start..<position)
        }

        mutating func readNumber() throws(JSONSyntaxError) -> JSONNode {
            let start = position
            if bytes[position] == UInt8(ascii: "-") { position += 1 }
            func digits(_ reader: inout Reader) -> Int {
                let from = reader.position
                while reader.position < reader.bytes.count,
                      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.position]) {
                    reader.position += 1
                }
                return reader.position - from
            }
            let integerStart = position
            let integerDigits = digits(&self)
            guard integerDigits > 0 else { throw error("a number needs digits") }
            if integerDigits > 1, bytes[integerStart] == UInt8(ascii: "0") {
                throw error("a number cannot start with 0", at: integerStart)
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard digits(&self) > 0 else { throw error("a number needs digits after '.'") }
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard digits(&self) > 0 else { throw error("a number needs digits in its exponent") }
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            return JSONNode(value: .number(text), span: start..<position)
        }

        /// Reads a string at the opening quote. Invalid UTF-8 inside a string is replaced with
        /// U+FFFD rather than refused: one bad byte in a post must not lose the whole page.
        mutating func readString() throws(JSONSyntaxError) -> String {
            let open = position
            position += 1
            var runStart = position
            var escaped: [UInt8]? = nil
            while true {
                guard position < bytes.count else { throw error("unterminated string that starts at byte \(open)", at: open) }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text: String
                    if var buffer = escaped {
                        buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                        text = String(decoding: buffer, as: UTF8.self)
                    } else {
                        text = String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<position]), as: UTF8.self)
                    }
                    position += 1
                    return text
                }
                if byte < 0x20 {
                    throw error("control character 0x\(String(byte, radix: 16, uppercase: true)) inside a string (it must be escaped)")
                }
                if byte == UInt8(ascii: "\\") {
                    var buffer = escaped ?? []
                    buffer.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                    position += 1
                    try readEscape(into: &buffer)
                    escaped = buffer
                    runStart = position
                    continue
                }
                position += 1
            }
        }

        mutating func readEscape(into buffer: inout [UInt8]) throws(JSONSyntaxError) {
            guard position < bytes.count else { throw error("unterminated escape sequence") }
            let byte = bytes[position]
            position += 1
            switch byte {
            case UInt8(ascii: "\""): buffer.append(0x22)
            case UInt8(ascii: "\\"): buffer.append(0x5C)
            case UInt8(ascii: "/"): buffer.append(0x2F)
            case UInt8(ascii: "b"): buffer.append(0x08)
            case UInt8(ascii: "f"): buffer.append(0x0C)
            case UInt8(ascii: "n"): buffer.append(0x0A)
            case UInt8(ascii: "r"): buffer.append(0x0D)
            case UInt8(ascii: "t"): buffer.append(0x09)
            case UInt8(ascii: "u"):
                var code = try readHex4()
                if (0xD800...0xDBFF).contains(code) {
                    // A high surrogate pairs with a following \uDC00–\uDFFF; alone it is replaced.
                    if position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        let save = position
                        position += 2
                        let low = try readHex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            position = save
                            code = 0xFFFD
                        }
                    } else {
                        code = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(code) {
                    code = 0xFFFD
                }
                let scalar = Unicode.Scalar(code) ?? "\u{FFFD}"
                buffer.append(contentsOf: String(scalar).utf8)
            default:
                throw error("invalid escape sequence '\\\(Character(Unicode.Scalar(byte)))'", at: position - 2)
            }
        }

        mutating func readHex4() throws(JSONSyntaxError) -> UInt32 {
            guard position + 4 <= bytes.count else { throw error("incomplete \\u escape") }
            var value: UInt32 = 0
            for _ in 0..<4 {
                let byte = bytes[position]
                let digit: UInt32
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(byte - UInt8(ascii: "0"))
                case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = UInt32(byte - UInt8(ascii: "a") + 10)
                case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = UInt32(byte - UInt8(ascii: "A") + 10)
                default: throw error("invalid hex digit in \\u escape")
                }
                value = value << 4 | digit
                position += 1
            }
            return value
        }
    }
}

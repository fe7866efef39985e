/// A leaf of a query as the monitor wrote it.
struct QueryTerm: Hashable {
    enum Kind: Hashable {
        /// A word or a word with `*` (the only difference is in `elements`).
        case word
        case phrase
        case hashtag
        case names
    }

    var kind: Kind
    /// As written (`голосуй*`, `"отдай* голос*"`, `#vote`, `@names`): what a match reports.
    var text: String
    /// The words of a word or phrase (or the hashtag with its `#`), each with its `*` flag.
    var elements: [(word: String, prefix: Bool)]
    var column: Int

    static func == (a: QueryTerm, b: QueryTerm) -> Bool {
        a.kind == b.kind && a.text == b.text && a.column == b.column
    }

    func hash(into hasher: inout Hasher) {
        hasher.combine(text)
        hasher.combine(column)
    }
}

indirect enum QueryNode: Equatable {
    case term(QueryTerm)
    case and(QueryNode, QueryNode)
    case or(QueryNode, QueryNode)
    case not(QueryNode, column: Int)
    case near(QueryNode, QueryNode, distance: Int, ordered: Bool, column: Int)
}

/// Parses the query language of the rules contract:
/// ```
/// query    := or
/// or       := and ("OR" and)*
/// and      := unary (["AND"] unary)*          -- juxtaposition is AND
/// unary    := ("NOT" | "-") unary | near
/// near     := primary (("NEAR/" N | "ONEAR/" N) primary)*
/// primary  := word | word* | "phrase of words" | #hashtag | @names | "(" query ")"
/// ```
/// Lexical mistakes are all collected; a syntax error stops the parse of that query.
struct QueryParser {
    static let maximumDistance = 100

    struct Failure: Error {
        var errors: [(column: Int, message: String)]
    }

    private enum Token: Equatable {
        case open, close, and, or, not
        case near(Int, ordered: Bool)
        case term(QueryTerm)
        case end

        var shown: String {
            switch self {
            case .open: "\"(\""
            case .close: "\")\""
            case .and: "AND"
            case .or: "OR"
            case .not: "NOT"
            case .near(let n, let ordered): ordered ? "ONEAR/\(n)" : "NEAR/\(n)"
            case .term(let t): "\"\(t.text)\""
            case .end: "the end of the query"
            }
        }
    }

    private var tokens: [(token: Token, column: Int)] = []
    private var position = 0
    private var errors: [(column: Int, message: String)] = []

    static func parse(_ query: String) -> Result<QueryNode, Failure> {
        var parser = QueryParser()
        parser.lex(Array(query.unicodeScalars))
        if parser.tokens.count == 1 {
            parser.errors.append((1, "the query is empty"))
            return .failure(Failure(errors: parser.errors))
        }
        do {
            let node = try parser.parseOr()
            if parser.current != .end {
                throw parser.unexpected(parser.current == .close
                    ? "unbalanced \")\": no \"(\" before it" : "expected an operator or the end of the query, found \(parser.current.shown)")
            }
            if parser.errors.isEmpty { return .success(node) }
        } catch {
            // The syntax error is already in `errors`.
        }
        return .failure(Failure(errors: parser.errors.sorted { $0.column < $1.column }))
    }

    // MARK: Lexer

    private static let opening: [Unicode.Scalar: Unicode.Scalar] = ["\"": "\"", "“": "”", "„": "“", "«": "»"]

    private mutating func lex(_ s: [Unicode.Scalar]) {
        var i = 0
        func isSpace(_ c: Unicode.Scalar) -> Bool { c.properties.isWhitespace }
        while i < s.count {
            let c = s[i]
            let column = i + 1
            if isSpace(c) { i += 1; continue }
            if c == "(" { tokens.append((.open, column)); i += 1; continue }
            if c == ")" { tokens.append((.close, column)); i += 1; continue }
            if let closing = Self.opening[c] {
                var j = i + 1
                while j < s.count, s[j] != closing, !(closing == "”" && s[j] == "\"") { j += 1 }
                if j >= s.count {
                    errors.append((column, "unterminated phrase: no closing \(closing) for the \(c) at column \(column)"))
                    i = s.count
                    continue
                }
                let body = String(String.UnicodeScalarView(s[(i + 1)..<j]))
                tokens.append((.term(phrase(body, text: String(String.UnicodeScalarView(s[i...j])), column: column)), column))
                i = j + 1
                continue
            }
            if c == "-" {
                if i + 1 >= s.count || isSpace(s[i + 1]) {
                    errors.append((column, "\"-\" must be attached to the term it excludes, as in -word or -\"a phrase\""))
                } else {
                    tokens.append((.not, column))
                }
                i += 1
                continue
            }
            var j = i
            while j < s.count, !isSpace(s[j]), s[j] != "(", s[j] != ")", Self.opening[s[j]] == nil { j += 1 }
            let word = String(String.UnicodeScalarView(s[i..<j]))
            tokens.append((classify(word, column: column), column))
            i = j
        }
        tokens.append((.end, s.count + 1))
    }

    private mutating func classify(_ word: String, column: Int) -> Token {
        switch word {
        case "AND": return .and
        case "OR": return .or
        case "NOT": return .not
        default: break
        }
        for (prefix, ordered) in [("ONEAR/", true), ("NEAR/", false)] where word.hasPrefix(prefix) {
            let number = word.dropFirst(prefix.count)
            let shown = ordered ? "ONEAR/" : "NEAR/"
            guard !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(number) else {
                errors.append((column, "\(shown) needs a number, found " + (number.isEmpty ? "nothing" : "\"\(number)\"")))
                return .near(0, ordered: ordered)
            }
            if n > Self.maximumDistance {
                errors.append((column, "\(shown)\(n) is too far: at most \(shown)\(Self.maximumDistance)"))
            }
            return .near(n, ordered: ordered)
        }
        let lower = word.lowercased()
        if lower.hasPrefix("near/") || lower.hasPrefix("onear/") {
            errors.append((column, "\"\(word)\": operators are upper-case (\(word.uppercased())); to search these words, quote them"))
            return .near(0, ordered: false)
        }
        if word.hasPrefix("@") {
            if word != "@names" {
                errors.append((column, "unknown \"\(word)\": the only @-term is @names (the names of the account's subject)"))
            }
            return .term(QueryTerm(kind: .names, text: "@names", elements: [], column: column))
        }
        if word.hasPrefix("#") {
            if word.count == 1 { errors.append((column, "\"#\" needs a hashtag after it, as in #vote")) }
            let prefix = checkStar(word, column: column)
            let body = prefix ? String(word.dropLast()) : word
            return .term(QueryTerm(kind: .hashtag, text: word, elements: [(body, prefix)], column: column))
        }
        let prefix = checkStar(word, column: column)
        return .term(QueryTerm(kind: .word, text: word, elements: [(prefix ? String(word.dropLast()) : word, prefix)], column: column))
    }

    /// Whether `word` ends in `*`; a `*` anywhere else is an error.
    private mutating func checkStar(_ word: String, column: Int) -> Bool {
        let scalars = Array(word.unicodeScalars)
        if let inner = scalars.dropLast().firstIndex(of: "*") {
            errors.append((column + inner, "\"*\" is allowed only at the end of a word, found \"\(word)\""))
        }
        return scalars.last == "*"
    }

    private mutating func phrase(_ body: String, text: String, column: Int) -> QueryTerm {
        var elements: [(word: String, prefix: Bool)] = []
        var word = String.UnicodeScalarView()
        var wordColumn = column + 1
        for (offset, c) in (Array(body.unicodeScalars) + [" "]).enumerated() {
            if c.properties.isWhitespace {
                if !word.isEmpty {
                    let text = String(word)
                    let prefix = checkStar(text, column: wordColumn)
                    elements.append((prefix ? String(text.dropLast()) : text, prefix))
                }
                word = String.UnicodeScalarView()
            } else {
                if word.isEmpty { wordColumn = column + 1 + offset }
                word.append(c)
            }
        }
        if elements.isEmpty { errors.append((column, "the phrase \(text) is empty and can never match")) }
        return QueryTerm(kind: .phrase, text: text, elements: elements, column: column)
    }

    // MARK: Parser

    private var current: Token { tokens[position].token }
    private var column: Int { tokens[position].column }

    private mutating func unexpected(_ message: String) -> Failure {
        errors.append((column, message))
        return Failure(errors: errors)
    }

    private mutating func parseOr() throws(Failure) -> QueryNode {
        var left = try parseAnd()
        while current == .or {
            position += 1
            try expectOperand(after: "OR")
            left = .or(left, try parseAnd())
        }
        return left
    }

    private mutating func parseAnd() throws(Failure) -> QueryNode {
        var left = try parseUnary()
        while true {
            if current == .and {
                position += 1
                try expectOperand(after: "AND")
            } else if !startsOperand(current) {
                return left
            }
            left = .and(left, try parseUnary())
        }
    }

    private mutating func parseUnary() throws(Failure) -> QueryNode {
        if current == .not {
            let at = column
            position += 1
            try expectOperand(after: "NOT")
            return .not(try parseUnary(), column: at)
        }
        return try parseNear()
    }

    private mutating func parseNear() throws(Failure) -> QueryNode {
        var left = try parsePrimary()
        while case .near(let n, let ordered) = current {
            let at = column
            let name = ordered ? "ONEAR/\(n)" : "NEAR/\(n)"
            position += 1
            try expectOperand(after: name, allowNot: false)
            let right = try parsePrimary()
            for side in [left, right] {
                if let problem = Self.nonPositional(side) {
                    errors.append((at, "\(name) joins words, phrases, wildcards, hashtags, @names or OR-groups of these; found \(problem)"))
                }
            }
            left = .near(left, right, distance: n, ordered: ordered, column: at)
        }
        return left
    }

    private mutating func parsePrimary() throws(Failure) -> QueryNode {
        switch current {
        case .term(let term):
            position += 1
            return .term(term)
        case .open:
            let at = column
            position += 1
            if current == .close { throw unexpected("empty parentheses") }
            let inner = try parseOr()
            guard current == .close else {
                errors.append((at, "\"(\" at column \(at) is never closed"))
                throw Failure(errors: errors)
            }
            position += 1
            return inner
        default:
            throw unexpected("expected a word, phrase, hashtag, @names or \"(\", found \(current.shown)")
        }
    }

    private func startsOperand(_ token: Token) -> Bool {
        switch token {
        case .term, .open, .not: true
        default: false
        }
    }

    private mutating func expectOperand(after name: String, allowNot: Bool = true) throws(Failure) {
        if startsOperand(current) && (allowNot || current != .not) { return }
        throw unexpected("\(name) needs a term after it, found \(current.shown)")
    }

    /// Why a node cannot stand beside NEAR (nil when it can: terms, OR-groups of them, NEAR).
    private static func nonPositional(_ node: QueryNode) -> String? {
        switch node {
        case .term: nil
        case .near(let a, let b, _, _, _): nonPositional(a) ?? nonPositional(b)
        case .or(let a, let b): nonPositional(a) ?? nonPositional(b)
        case .and: "an AND-group"
        case .not: "a NOT"
        }
    }
}

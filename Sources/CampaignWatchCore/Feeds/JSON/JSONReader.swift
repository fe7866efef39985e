/// A small JSON reader over UTF-8 bytes that keeps where each value was in the input (so a
/// feed item's object can be kept as served) and bounds nesting. Lenient where generators are
/// sloppy: raw control characters inside strings are accepted, lone surrogate escapes become
/// U+FFFD.
struct JSONValue {
    enum Kind {
        case null
        case bool(Bool)
        /// The number as written, so identifiers keep their digits.
        case number(String)
        case string(String)
        case array([JSONValue])
        case object([String: JSONValue])
    }

    var kind: Kind
    var range: Range<Int>

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = kind { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let value) = kind { return value }
        return nil
    }

    /// A string, or a number's digits: how identifiers arrive.
    var scalarText: String? {
        switch kind {
        case .string(let value): value
        case .number(let text): text
        default: nil
        }
    }

    var array: [JSONValue]? {
        if case .array(let values) = kind { return values }
        return nil
    }
}

struct JSONReader {
    struct Failure: Error {
        var offset: Int
        var message: String
        var description: String { "invalid JSON at byte \(offset): \(message)" }
    }

    let p: UnsafeBufferPointer<UInt8>
    var i = 0
    let maxDepth: Int

    init(_ p: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.p = p
        self.maxDepth = maxDepth
    }

    var atEnd: Bool { i >= p.count }

    mutating func skipWhitespace() {
        while i < p.count, p[i] == 0x20 || p[i] == 0x0A || p[i] == 0x0D || p[i] == 0x09 { i += 1 }
    }

    func fail(_ message: String) -> Failure { Failure(offset: i, message: message) }

    mutating func expect(_ byte: UInt8) throws(Failure) {
        skipWhitespace()
        guard i < p.count, p[i] == byte else { throw fail("expected '\(Character(Unicode.Scalar(byte)))'") }
        i += 1
    }

    /// Consumes `byte` if it comes next (after whitespace).
    mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        if i < p.count, p[i] == byte { i += 1; return true }
        return false
    }

    mutating func value(depth: Int = 0) throws(Failure) -> JSONValue {
        skipWhitespace()
        guard i < p.count else { throw fail("unexpected end of input") }
        guard depth < maxDepth else { throw fail("nested deeper than \(maxDepth)") }
        let start = i
        switch p[i] {
        case UInt8(ascii: "{"):
            i += 1
            var members: [String: JSONValue] = [:]
            if take(UInt8(ascii: "}")) { return JSONValue(kind: .object(members), range: start..<i) }
            repeat {
                skipWhitespace()
                let key = try string()
                try expect(UInt8(ascii: ":"))
                let member = try value(depth: depth + 1)
                if members[key] == nil { members[key] = member }
            } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "}"))
            return JSONValue(kind: .object(members), range: start..<i)
        case UInt8(ascii: "["):
            i += 1
            var values: [JSONValue] = []
            if take(UInt8(ascii: "]")) { return JSONValue(kind: .array(values), range: start..<i) }
            repeat { values.append(try value(depth: depth + 1)) } while take(UInt8(ascii: ","))
            try expect(UInt8(ascii: "]"))
            return JSONValue(kind: .array(values), range: start..<i)
        case UInt8(ascii: "\""):
            let text = try string()
            return JSONValue(kind: .string(text), range: start..<i)
        case UInt8(ascii: "t"): try literal("true"); return JSONValue(kind: .bool(true), range: start..<i)
        case UInt8(ascii: "f"): try literal("false"); return JSONValue(kind: .bool(false), range: start..<i)
        case UInt8(ascii: "n"): try literal("null"); return JSONValue(kind: .null, range: start..<i)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            while i < p.count, p[i].isASCIIDigit || p[i] == UInt8(ascii: "-") || p[i] == UInt8(ascii: "+")
                    || p[i] == UInt8(ascii: ".") || (p[i] | 0x20) == UInt8(ascii: "e") { i += 1 }
            return JSONValue(kind: .number(String(decoding: UnsafeBufferPointer(rebasing: p[start..<i]), as: UTF8.self)),
                             range: start..<i)
        default:
            throw fail("unexpected character")
        }
    }

    private mutating func literal(_ word: StaticString) throws(Failure) {
        let count = word.utf8CodeUnitCount
        guard i + count <= p.count else { throw fail("unexpected end of input") }
        for k in 0..<count where p[i + k] != word.utf8Start[k] { throw fail("unexpected character") }
        i += count
    }

    mutating func string() throws(Failure) -> String {
        guard i < p.count, p[i] == UInt8(ascii: "\"") else { throw fail("expected a string") }
        i += 1
        let start = i
        // Fast path: no escapes.
        while i < p.count, p[i] != UInt8(ascii: "\""), p[i] != UInt8(ascii: "\\") { i += 1 }
        guard i < p.count else { throw fail("unterminated string") }
        if p[i] == UInt8(ascii: "\"") {
            i += 1
            return String(decoding: UnsafeBufferPointer(rebasing: p[start..<(i - 1)]), as: UTF8.self)
        }
        var out = Array(UnsafeBufferPointer(rebasing: p[start..<i]))
        while i < p.count {
            let byte = p[i]
            if byte == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: out, as: UTF8.self)
            }
            if byte != UInt8(ascii: "\\") { out.append(byte); i += 1; continue }
            guard i + 1 < p.count else { break }
            let escape = p[i + 1]
            i += 2
            switch escape {
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "u"):
                var scalar = try hex4()
                if (0xD800...0xDBFF).contains(scalar) {
                    if i + 1 < p.count, p[i] == UInt8(ascii: "\\"), p[i + 1] == UInt8(ascii: "u") {
                        let mark = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                            i = mark
                        }
                    } else {
                        scalar = 0xFFFD
                    }
                } else if (0xDC00...0xDFFF).contains(scalar) {
                    scalar = 0xFFFD
                }
                Transcoder.appendScalar(scalar, to: &out)
            default: out.append(escape)  // \" \\ \/ and anything else as itself
            }
        }
        throw fail("unterminated string")
    }

    private mutating func hex4() throws(Failure) -> UInt32 {
        guard i + 4 <= p.count else { throw fail("unexpected end of input") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = p[i]
            let digit: UInt32
            if byte.isASCIIDigit { digit = UInt32(byte - 0x30) }
            else if (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x66 { digit = UInt32((byte | 0x20) - 0x61 + 10) }
            else { throw fail("bad \\u escape") }
            value = value << 4 | digit
            i += 1
        }
        return value
    }
}

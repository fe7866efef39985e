/// A small writer of JSON text with keys in the order they are written, so an alert's fields
/// stand in the order of the contract and the same alert always renders to the same bytes.
public struct JSONWriter: Sendable {
    public enum Style: Sendable { case pretty, compact }

    public private(set) var bytes: [UInt8] = []
    private let style: Style
    private var depth = 0
    /// Whether the container being written already holds a member (a comma is due).
    private var hasMember: [Bool] = []

    public init(style: Style) { self.style = style }

    public mutating func beginObject(_ key: String? = nil) { member(key); bytes.append(UInt8(ascii: "{")); open() }
    public mutating func endObject() { close(UInt8(ascii: "}")) }
    public mutating func beginArray(_ key: String? = nil) { member(key); bytes.append(UInt8(ascii: "[")); open() }
    public mutating func endArray() { close(UInt8(ascii: "]")) }

    public mutating func string(_ key: String?, _ value: String?) {
        member(key)
        guard let value else { bytes += Array("null".utf8); return }
        appendQuoted(value)
    }

    public mutating func int(_ key: String?, _ value: Int?) {
        member(key)
        bytes += Array((value.map(String.init) ?? "null").utf8)
    }

    public mutating func bool(_ key: String?, _ value: Bool) {
        member(key)
        bytes += Array((value ? "true" : "false").utf8)
    }

    private mutating func open() {
        depth += 1
        hasMember.append(false)
    }

    private mutating func close(_ bracket: UInt8) {
        let had = hasMember.removeLast()
        depth -= 1
        if had { newline() }
        bytes.append(bracket)
    }

    private mutating func member(_ key: String?) {
        guard !hasMember.isEmpty else { return }
        if hasMember[hasMember.count - 1] { bytes.append(UInt8(ascii: ",")) }
        hasMember[hasMember.count - 1] = true
        newline()
        if let key {
            appendQuoted(key)
            bytes.append(UInt8(ascii: ":"))
            if style == .pretty { bytes.append(UInt8(ascii: " ")) }
        }
    }

    private mutating func newline() {
        guard style == .pretty else { return }
        bytes.append(UInt8(ascii: "\n"))
        bytes += [UInt8](repeating: UInt8(ascii: " "), count: depth * 2)
    }

    /// RFC 8259 escaping; U+2028 and U+2029 are escaped too so the text is also valid JavaScript.
    private mutating func appendQuoted(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case "\\": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case "\n": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case "\r": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case "\t": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case "\u{08}": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "b")]
            case "\u{0C}": bytes += [UInt8(ascii: "\\"), UInt8(ascii: "f")]
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                let hex = Array("0123456789abcdef".utf8)
                bytes += Array("\\u".utf8)
                for shift in [12, 8, 4, 0] { bytes.append(hex[Int((scalar.value >> UInt32(shift)) & 0xF)]) }
            default:
                UTF8.encode(scalar) { bytes.append($0) }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

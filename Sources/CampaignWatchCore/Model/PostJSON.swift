/// The `parse` output of a post: one JSON object with exactly the contract's fields, in the
/// contract's order, plus `edited_at`, `declared_at`, `forwarded_from` when they are known and
/// `"recovered": true` when the post was read past an error.
extension Post {
    public var jsonLine: String {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the object (without a newline) to `out`.
    public func appendJSON(to out: inout [UInt8]) {
        out.reserveCapacity(out.count + text.utf8.count + 256)
        out.append(contentsOf: "{\"id\":".utf8)
        JSONText.appendString(id, to: &out)
        field("url", url, &out)
        field("title", title, &out)
        out.append(contentsOf: ",\"text\":".utf8)
        JSONText.appendString(text, to: &out)
        field("author", author, &out)
        field("published_at", publishedAt.map(Timestamp.utc), &out)
        field("updated_at", updatedAt.map(Timestamp.utc), &out)
        out.append(contentsOf: (edited ? ",\"edited\":true" : ",\"edited\":false").utf8)
        list("tags", tags, &out)
        list("media", media, &out)
        if let editedAt { field("edited_at", Timestamp.utc(editedAt), &out) }
        if let declaredAt { field("declared_at", Timestamp.utc(declaredAt), &out) }
        if let forwardedFrom { field("forwarded_from", forwardedFrom, &out) }
        if recovered { out.append(contentsOf: ",\"recovered\":true".utf8) }
        out.append(UInt8(ascii: "}"))
    }

    private func field(_ name: String, _ value: String?, _ out: inout [UInt8]) {
        out.append(contentsOf: ",\"\(name)\":".utf8)
        if let value { JSONText.appendString(value, to: &out) } else { out.append(contentsOf: "null".utf8) }
    }

    private func list(_ name: String, _ values: [String], _ out: inout [UInt8]) {
        out.append(contentsOf: ",\"\(name)\":[".utf8)
        for (index, value) in values.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(value, to: &out)
        }
        out.append(UInt8(ascii: "]"))
    }
}

/// JSON string literals written straight into UTF-8 bytes (non-ASCII kept as is, readable).
public enum JSONText {
    public static func appendString(_ value: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            for (index, byte) in bytes.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
                switch byte {
                case UInt8(ascii: "\""): out.append(contentsOf: "\\\"".utf8)
                case UInt8(ascii: "\\"): out.append(contentsOf: "\\\\".utf8)
                case 0x0A: out.append(contentsOf: "\\n".utf8)
                case 0x0D: out.append(contentsOf: "\\r".utf8)
                case 0x09: out.append(contentsOf: "\\t".utf8)
                default:
                    let digits: [UInt8] = Array("0123456789abcdef".utf8)
                    out.append(contentsOf: "\\u00".utf8)
                    out.append(digits[Int(byte >> 4)])
                    out.append(digits[Int(byte & 0xF)])
                }
                runStart = index + 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
        }
        out.append(UInt8(ascii: "\""))
    }
}

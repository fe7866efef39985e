/// The host part of a URL as the per-host limits see it: lower-cased, with the port when the URL
/// names one (two services on one address are two servers), without user info. Parsed by hand on
/// the UTF-8 bytes: it runs for every account on every reload.
public enum HostKey {
    public static func of(_ url: String) -> String {
        var bytes = Array(url.utf8)
        var start = 0
        if let schemeEnd = firstIndex(of: Array("://".utf8), in: bytes) {
            start = schemeEnd + 3
        }
        var end = bytes.count
        for index in start..<bytes.count where bytes[index] == UInt8(ascii: "/")
            || bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "#") {
            end = index
            break
        }
        if let at = bytes[start..<end].lastIndex(of: UInt8(ascii: "@")) {
            start = at + 1
        }
        for index in start..<end where bytes[index] >= UInt8(ascii: "A") && bytes[index] <= UInt8(ascii: "Z") {
            bytes[index] |= 0x20
        }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }

    private static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        outer: for start in 0...(haystack.count - needle.count) {
            for offset in 0..<needle.count where haystack[start + offset] != needle[offset] {
                continue outer
            }
            return start
        }
        return nil
    }
}

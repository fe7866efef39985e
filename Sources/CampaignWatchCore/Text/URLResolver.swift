/// Relative references resolved the way RFC 3986 §5.2 says, on strings as feeds write them
/// (non-ASCII and unescaped characters are left alone rather than rejected).
public enum URLResolver {
    /// `reference` resolved against `base`. An absolute reference, or one with no usable base,
    /// comes back as written (trimmed).
    public static func resolve(_ reference: String, against base: String?) -> String {
        let ref = reference.trimmingWhitespace()
        guard let base, let parsedBase = Parts(base.trimmingWhitespace()), parsedBase.scheme != nil else { return ref }
        if hasScheme(ref) { return ref }
        if ref.isEmpty { return parsedBase.withoutFragment }
        let scheme = parsedBase.scheme!
        if ref.hasPrefix("//") { return scheme + ":" + ref }
        let authority = parsedBase.authority.map { "//" + $0 } ?? ""
        if ref.hasPrefix("#") { return parsedBase.withoutFragment + ref }
        if ref.hasPrefix("?") { return scheme + ":" + authority + parsedBase.path + ref }
        let split = ref.firstIndex { $0 == "?" || $0 == "#" } ?? ref.endIndex
        let refPath = String(ref[..<split]), rest = String(ref[split...])
        let path: String
        if refPath.hasPrefix("/") {
            path = removeDotSegments(refPath)
        } else if parsedBase.authority != nil && parsedBase.path.isEmpty {
            path = removeDotSegments("/" + refPath)
        } else {
            let directory = parsedBase.path.lastIndex(of: "/").map { parsedBase.path[...$0] } ?? ""
            path = removeDotSegments(directory + refPath)
        }
        return scheme + ":" + authority + path + rest
    }

    /// `scheme:` at the start: a letter, then letters, digits, `+`, `-` or `.`, then a colon.
    public static func hasScheme(_ text: String) -> Bool {
        var first = true
        for byte in text.utf8 {
            if byte == UInt8(ascii: ":") { return !first }
            if first {
                guard byte.isASCIILetter else { return false }
                first = false
            } else if !(byte.isASCIIAlphanumeric || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
                        || byte == UInt8(ascii: ".")) {
                return false
            }
        }
        return false
    }

    /// Whether `text` is an absolute http(s) URL.
    public static func isWebURL(_ text: String) -> Bool {
        let lower = text.prefix(8).lowercased()
        return lower.hasPrefix("http://") || lower.hasPrefix("https://")
    }

    static func removeDotSegments(_ path: String) -> String {
        guard path.contains(".") else { return path }
        let absolute = path.hasPrefix("/")
        var output: [Substring] = []
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst(absolute ? 1 : 0)
        var trailingSlash = false
        for (offset, segment) in segments.enumerated() {
            let last = offset == segments.count - 1
            trailingSlash = false
            if segment == "." {
                trailingSlash = last
            } else if segment == ".." {
                if !output.isEmpty { output.removeLast() }
                trailingSlash = last
            } else {
                output.append(segment)
            }
        }
        var result = (absolute ? "/" : "") + output.joined(separator: "/")
        if trailingSlash && !result.hasSuffix("/") { result += "/" }
        return result
    }

    private struct Parts {
        var scheme: String?
        var authority: String?
        var path: String
        var query: String?
        var withoutFragment: String

        init?(_ text: String) {
            guard !text.isEmpty else { return nil }
            var rest = Substring(text)
            if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
            withoutFragment = String(rest)
            if URLResolver.hasScheme(String(rest)), let colon = rest.firstIndex(of: ":") {
                scheme = rest[..<colon].lowercased()
                rest = rest[rest.index(after: colon)...]
            }
            if rest.hasPrefix("//") {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
                authority = String(rest[..<end])
                rest = rest[end...]
            }
            if let question = rest.firstIndex(of: "?") {
                query = String(rest[rest.index(after: question)...])
                rest = rest[..<question]
            }
            path = String(rest)
        }
    }
}

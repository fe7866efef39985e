/// Relative references resolved the way RFC 3986 §5.2 says, on UTF-8 bytes and as feeds write
/// them (non-ASCII and unescaped characters are left alone rather than rejected).
public enum URLResolver {
    /// `reference` resolved against `base`. An absolute reference, or one with no usable base,
    /// comes back as written (trimmed).
    public static func resolve(_ reference: String, against base: String?) -> String {
        let ref = reference.trimmingWhitespace()
        guard let base, !hasScheme(ref), let parsed = Base(base.trimmingWhitespace()) else { return ref }
        return parsed.resolve(ref)
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
        var prefix: [UInt8] = []
        for byte in text.utf8.prefix(8) { prefix.append(byte.asciiLowercased) }
        return prefix.starts(with: "http://".utf8) || prefix.starts(with: "https://".utf8)
    }

    /// A base URL split once into its parts, for resolving many references against it.
    struct Base {
        let scheme: [UInt8]
        let authority: [UInt8]?
        let path: [UInt8]
        let query: [UInt8]?
        let withoutFragment: String
        /// `scheme://authority` and the base up to its last `/`: most references only append.
        let origin: String
        let directory: String

        /// Nil unless `text` is absolute (has a scheme).
        init?(_ text: String) {
            guard URLResolver.hasScheme(text) else { return nil }
            var bytes = Array(text.utf8)
            if let hash = bytes.firstIndex(of: UInt8(ascii: "#")) { bytes.removeSubrange(hash...) }
            withoutFragment = String(decoding: bytes, as: UTF8.self)
            let colon = bytes.firstIndex(of: UInt8(ascii: ":"))!
            scheme = bytes[..<colon].map(\.asciiLowercased)
            var rest = bytes[(colon + 1)...]
            if rest.starts(with: "//".utf8) {
                rest = rest.dropFirst(2)
                let end = rest.firstIndex { $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") } ?? rest.endIndex
                authority = Array(rest[..<end])
                rest = rest[end...]
            } else {
                authority = nil
            }
            if let question = rest.firstIndex(of: UInt8(ascii: "?")) {
                query = Array(rest[(question + 1)...])
                rest = rest[..<question]
            } else {
                query = nil
            }
            path = Array(rest)
            var originBytes = scheme + [UInt8(ascii: ":")]
            if let authority { originBytes += Array("//".utf8) + authority }
            origin = String(decoding: originBytes, as: UTF8.self)
            if authority != nil && path.isEmpty {
                directory = origin + "/"
            } else {
                let cut = path.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? 0
                directory = origin + String(decoding: path[..<cut], as: UTF8.self)
            }
        }

        func resolve(_ reference: String) -> String {
            // The usual cases, `/path` and `name`, without dot segments: plain concatenation.
            if let first = reference.utf8.first, !URLResolver.hasDotSegment(reference.utf8) {
                if first == UInt8(ascii: "/") {
                    if reference.utf8.dropFirst().first != UInt8(ascii: "/") { return origin + reference }
                } else if first != UInt8(ascii: "?") && first != UInt8(ascii: "#") {
                    return directory + reference
                }
            }
            let ref = Array(reference.utf8)
            if ref.isEmpty { return withoutFragment }
            var out = scheme
            out.append(UInt8(ascii: ":"))
            if ref.starts(with: "//".utf8) { return String(decoding: out + ref, as: UTF8.self) }
            if ref.first == UInt8(ascii: "#") { return withoutFragment + reference }
            if let authority {
                out.append(contentsOf: "//".utf8)
                out.append(contentsOf: authority)
            }
            if ref.first == UInt8(ascii: "?") {
                out.append(contentsOf: path)
                out.append(contentsOf: ref)
                return String(decoding: out, as: UTF8.self)
            }
            let split = ref.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? ref.endIndex
            let refPath = ref[..<split]
            if refPath.first == UInt8(ascii: "/") {
                out.append(contentsOf: URLResolver.removeDotSegments(Array(refPath)))
            } else if authority != nil && path.isEmpty {
                out.append(contentsOf: URLResolver.removeDotSegments([UInt8(ascii: "/")] + refPath))
            } else {
                let directory = path.lastIndex(of: UInt8(ascii: "/")).map { path[...$0] } ?? []
                out.append(contentsOf: URLResolver.removeDotSegments(Array(directory) + refPath))
            }
            out.append(contentsOf: ref[split...])
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Whether a `.` or `..` segment occurs before any `?` or `#`.
    static func hasDotSegment(_ bytes: String.UTF8View) -> Bool {
        var previous: UInt8 = UInt8(ascii: "/")
        var dots = 0
        for byte in bytes {
            if byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") { break }
            if byte == UInt8(ascii: ".") {
                if previous == UInt8(ascii: "/") || (previous == UInt8(ascii: ".") && dots == 1) { dots += 1 } else { dots = 0 }
            } else {
                if byte == UInt8(ascii: "/") && dots > 0 && dots <= 2 { return true }
                dots = 0
            }
            previous = byte
        }
        return dots > 0 && dots <= 2
    }

    static func removeDotSegments(_ path: [UInt8]) -> [UInt8] {
        guard path.contains(UInt8(ascii: ".")) else { return path }
        let absolute = path.first == UInt8(ascii: "/")
        var output: [ArraySlice<UInt8>] = []
        let segments = path.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).dropFirst(absolute ? 1 : 0)
        var trailingSlash = false
        for (offset, segment) in segments.enumerated() {
            let last = offset == segments.count - 1
            trailingSlash = false
            if segment.elementsEqual(".".utf8) {
                trailingSlash = last
            } else if segment.elementsEqual("..".utf8) {
                if !output.isEmpty { output.removeLast() }
                trailingSlash = last
            } else {
                output.append(segment)
            }
        }
        var result: [UInt8] = absolute ? [UInt8(ascii: "/")] : []
        for (index, segment) in output.enumerated() {
            if index > 0 { result.append(UInt8(ascii: "/")) }
            result.append(contentsOf: segment)
        }
        if trailingSlash && result.last != UInt8(ascii: "/") { result.append(UInt8(ascii: "/")) }
        return result
    }
}

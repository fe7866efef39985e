import Foundation

/// What a handle of each platform looks like, with the fix for the usual slips (a pasted profile
/// address, a leading `@`), so a typo in a watchlist is caught when the file is loaded rather
/// than as a stream of failed polls.
public enum AccountHandleSyntax {
    public static func check(_ handle: String, platform: Platform) throws(ConfigValueError) {
        guard !handle.isEmpty else { throw ConfigValueError("the \(platform.rawValue) handle is empty") }
        guard handle == handle.trimmingCharacters(in: .whitespacesAndNewlines) else {
            throw ConfigValueError("the \(platform.rawValue) handle `\(handle)` has spaces around it: remove them")
        }
        switch platform {
        case .telegram: try telegram(handle)
        case .bluesky: try bluesky(handle)
        case .mastodon: try mastodon(handle)
        case .youtube: try youtube(handle)
        case .rss, .atom, .jsonfeed: try httpURL(handle, what: "the \(platform.rawValue) feed address")
        }
    }

    /// Public channel names: a letter, then letters, digits or `_`; 4 to 32 characters (the
    /// short ones are auctioned names).
    static func telegram(_ name: String) throws(ConfigValueError) {
        let lower = name.lowercased()
        for prefix in ["https://t.me/s/", "http://t.me/s/", "https://t.me/", "http://t.me/", "t.me/s/", "t.me/",
                       "https://telegram.me/", "telegram.me/"] where lower.hasPrefix(prefix) {
            let rest = name.dropFirst(prefix.count).prefix { $0 != "/" && $0 != "?" }
            if rest.hasPrefix("+") || rest.hasPrefix("joinchat") {
                throw ConfigValueError("`\(name)` is an invite link to a private channel; only public channels can be watched")
            }
            throw ConfigValueError("write only the channel name, `\(rest)`, not its address")
        }
        if name.hasPrefix("@") {
            throw ConfigValueError("write the channel name without `@`: `\(name.dropFirst())`")
        }
        let ascii = name.unicodeScalars.allSatisfy { isASCIILetter($0) || isDigit($0) || $0 == "_" }
        guard ascii, let first = name.unicodeScalars.first, isASCIILetter(first) else {
            throw ConfigValueError("`\(name)` is not a Telegram channel name: it starts with a letter and holds only "
                + "Latin letters, digits and `_` (the part after t.me/)")
        }
        guard (4...32).contains(name.unicodeScalars.count) else {
            throw ConfigValueError("`\(name)` is not a Telegram channel name: those are 4 to 32 characters long")
        }
    }

    /// A domain-name handle (`name.bsky.social`, `example.org`) or a DID (`did:plc:…`, `did:web:…`).
    static func bluesky(_ handle: String) throws(ConfigValueError) {
        let lower = handle.lowercased()
        for prefix in ["https://bsky.app/profile/", "bsky.app/profile/", "at://"] where lower.hasPrefix(prefix) {
            let rest = handle.dropFirst(prefix.count).prefix { $0 != "/" && $0 != "?" }
            throw ConfigValueError("write only the handle or DID, `\(rest)`, not its address")
        }
        if handle.hasPrefix("@") {
            throw ConfigValueError("write the Bluesky handle without `@`: `\(handle.dropFirst())`")
        }
        if lower.hasPrefix("did:") {
            if lower.hasPrefix("did:plc:") {
                let id = handle.dropFirst(8)
                let valid = id.unicodeScalars.count == 24
                    && id.unicodeScalars.allSatisfy { ($0.value >= 0x61 && $0.value <= 0x7A) || ($0.value >= 0x32 && $0.value <= 0x37) }
                guard valid else {
                    throw ConfigValueError("`\(handle)` is not a did:plc identifier: after `did:plc:` come 24 characters a–z and 2–7")
                }
                return
            }
            if lower.hasPrefix("did:web:") {
                guard isDomainName(String(handle.dropFirst(8))) else {
                    throw ConfigValueError("`\(handle)` is not a did:web identifier: after `did:web:` comes a domain name")
                }
                return
            }
            throw ConfigValueError("`\(handle)`: Bluesky accounts use did:plc or did:web identifiers")
        }
        guard isDomainName(handle) else {
            throw ConfigValueError("`\(handle)` is not a Bluesky handle: write it like `name.bsky.social` or `example.org`, "
                + "or give the account's DID (`did:plc:…`)")
        }
    }

    /// `@user@instance`, the form Mastodon shows on every profile.
    static func mastodon(_ handle: String) throws(ConfigValueError) {
        let lower = handle.lowercased()
        if lower.hasPrefix("https://") || lower.hasPrefix("http://") {
            let rest = handle.drop { $0 != "/" }.dropFirst(2)
            let host = rest.prefix { $0 != "/" }
            let path = rest.dropFirst(host.count + 1)
            let user = path.hasPrefix("@") ? path.dropFirst().prefix { $0 != "/" && $0 != "?" } : ""
            if !user.isEmpty, !host.isEmpty {
                throw ConfigValueError("write the account as `@\(user)@\(host)`, not its address")
            }
            throw ConfigValueError("write the Mastodon account as `@user@instance`, not an address")
        }
        let parts = handle.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count == 2, !parts[0].isEmpty, isDomainName(String(parts[1])) {
            throw ConfigValueError("write the Mastodon account with a leading `@`: `@\(handle)`")
        }
        guard parts.count == 3, parts[0].isEmpty, !parts[1].isEmpty else {
            throw ConfigValueError("`\(handle)` is not a Mastodon account: write it as `@user@instance`, e.g. `@marat@mastodon.social`")
        }
        let userValid = parts[1].unicodeScalars.allSatisfy { isASCIILetter($0) || isDigit($0) || $0 == "_" || $0 == "." || $0 == "-" }
        guard userValid else {
            throw ConfigValueError("`\(parts[1])` in `\(handle)` is not a Mastodon user name: only Latin letters, digits, `_`, `.` and `-`")
        }
        guard isDomainName(String(parts[2])) else {
            throw ConfigValueError("`\(parts[2])` in `\(handle)` is not the domain name of an instance")
        }
    }

    /// A channel id: `UC` and 22 more characters of the URL-safe base64 alphabet.
    static func youtube(_ id: String) throws(ConfigValueError) {
        let fix = "give the channel id, `UC` and 22 more characters (open the channel, Share → Copy channel ID)"
        if let range = id.range(of: "/channel/") {
            let rest = id[range.upperBound...].prefix { $0 != "/" && $0 != "?" }
            throw ConfigValueError("write only the channel id, `\(rest)`, not its address")
        }
        if id.hasPrefix("@") || id.contains("youtube.com") {
            throw ConfigValueError("`\(id)` is a channel handle or address; \(fix)")
        }
        let scalars = id.unicodeScalars
        let valid = scalars.count == 24 && id.hasPrefix("UC")
            && scalars.allSatisfy { isASCIILetter($0) || isDigit($0) || $0 == "_" || $0 == "-" }
        guard valid else { throw ConfigValueError("`\(id)` is not a YouTube channel id: \(fix)") }
    }

    /// An absolute `http://` or `https://` address with a host.
    public static func httpURL(_ text: String, what: String) throws(ConfigValueError) {
        let lower = text.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else {
            throw ConfigValueError("\(what) `\(text)` is not an http:// or https:// address")
        }
        guard !text.unicodeScalars.contains(where: { $0 == " " || $0.value < 0x20 }),
              let components = URLComponents(string: text), let host = components.host, !host.isEmpty else {
            throw ConfigValueError("\(what) `\(text)` is not a valid address (spaces must be written %20; a host is needed)")
        }
    }

    /// A proxy address libcurl understands.
    public static func proxyURL(_ text: String) throws(ConfigValueError) {
        let schemes = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"]
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme), let host = components.host, !host.isEmpty else {
            throw ConfigValueError("`\(text)` is not a proxy address: write it like `socks5h://127.0.0.1:9050` or "
                + "`http://proxy.example:3128` (schemes: \(schemes.joined(separator: ", ")))")
        }
    }

    /// RFC 1035 host names as Bluesky and Mastodon use them: two or more labels of letters,
    /// digits and inner hyphens, the last not starting with a digit.
    static func isDomainName(_ text: String) -> Bool {
        guard text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            let scalars = label.unicodeScalars
            guard (1...63).contains(scalars.count), scalars.first != "-", scalars.last != "-",
                  scalars.allSatisfy({ isASCIILetter($0) || isDigit($0) || $0 == "-" }) else { return false }
        }
        return labels.last!.unicodeScalars.first.map(isASCIILetter) ?? false
    }

    private static func isASCIILetter(_ s: Unicode.Scalar) -> Bool {
        (s.value >= 0x41 && s.value <= 0x5A) || (s.value >= 0x61 && s.value <= 0x7A)
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value >= 0x30 && s.value <= 0x39 }
}

/// Mastodon's error answers: `{"error": "Record not found"}` and the like, with the status.
enum MastodonErrorAnswer {
    /// The JSON of an API answer, or the error the answer means: an HTTP error status, a body
    /// that is not JSON (`what` names the answer in the message), or Mastodon's `{"error": …}`.
    static func root(of bytes: [UInt8], context: PlatformContext, what: String) throws(PlatformParseError) -> JSONNode {
        if let error = PlatformResponseCheck.statusError(.mastodon, context) { throw error }
        let root: JSONNode
        do {
            root = try JSONTree.parse(bytes)
        } catch {
            if let status = context.response?.status, status >= 400 {
                throw nonJSON(status: status, bytes: bytes, context: context)
            }
            throw PlatformParseError.malformedJSON(.mastodon, error, what: what)
        }
        if let error = error(in: root, context: context) { throw error }
        return root
    }

    static func error(in root: JSONNode, context: PlatformContext) -> PlatformParseError? {
        let status = context.response?.status
        guard let said = root["error"]?.string else {
            if let status, status >= 400 {
                return PlatformParseError(platform: .mastodon, kind: .platformError(status: status), message: "HTTP \(status) without an error message")
            }
            return nil
        }
        let account = context.account.isEmpty ? "the account" : "\"\(context.account)\""
        let lowered = said.lowercased()
        if status == 429 || lowered.contains("too many requests") {
            return PlatformResponseCheck.rateLimited(.mastodon, context, detail: said)
        }
        if lowered.contains("authenticated") || lowered.contains("authorized") || lowered.contains("access token") || status == 401 || status == 403 {
            return PlatformParseError(platform: .mastodon, kind: .authenticationRequired,
                                      message: "the instance refuses its API without a login (\(said)); read the account's RSS feed instead")
        }
        if lowered.contains("record not found") || status == 404 {
            return PlatformParseError(platform: .mastodon, kind: .accountNotFound,
                                      message: "no Mastodon account \(account) (\(said)); check the handle, or the account was deleted or moved")
        }
        if status == 410 || lowered.contains("suspended") || lowered.contains("gone") {
            return PlatformParseError(platform: .mastodon, kind: .accountNotFound, message: "\(account) is gone or suspended (\(said))")
        }
        return PlatformParseError(platform: .mastodon, kind: .platformError(status: status), message: "the instance answered: \(said)")
    }

    /// An error status with a body that is not Mastodon's JSON (a proxy's page, another server).
    static func nonJSON(status: Int, bytes: [UInt8], context: PlatformContext) -> PlatformParseError {
        let excerpt = PlatformResponseCheck.excerpt(bytes)
        switch status {
        case 401, 403:
            return PlatformParseError(platform: .mastodon, kind: .authenticationRequired,
                                      message: "HTTP \(status) from the API (\(excerpt)); read the account's RSS feed instead")
        case 429:
            return PlatformResponseCheck.rateLimited(.mastodon, context, detail: "HTTP 429")
        default:
            return PlatformParseError(platform: .mastodon, kind: .platformError(status: status), message: "HTTP \(status): \(excerpt)")
        }
    }
}

/// The RSS fallback: when an instance will not answer its API without a token, the account's
/// public feed (`https://instance/@user.rss`) still lists its public posts.
public enum MastodonRSSFallback {
    /// Whether a failed API answer should be retried through the RSS feed: 401 and 403, an error
    /// saying a login is needed (whatever the status), or a 404 that is not Mastodon's JSON (the
    /// API path is blocked or the server is not Mastodon). Not for "Record not found" (no such
    /// account: the feed would not exist either), rate limits or server errors (retry later).
    public static func applies(status: Int, body: [UInt8]) -> Bool {
        if status == 401 || status == 403 { return true }
        guard let root = try? JSONTree.parse(body) else { return status == 404 }
        guard let said = root["error"]?.string?.lowercased() else { return false }
        return said.contains("authenticated") || said.contains("access token") || said.contains("authorized")
    }

    public static func applies(to error: PlatformParseError) -> Bool {
        error.platform == .mastodon && error.kind == .authenticationRequired
    }
}

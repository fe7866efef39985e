import Foundation

/// What the pipeline remembers per account between polls beyond HTTP validators: a Mastodon
/// account's numeric id (one lookup, not one per poll) and whether its API refused us lately.
public struct PlatformState: Sendable, Hashable, Codable {
    public var mastodonAccountID: String?
    /// Until then, read the account's public RSS feed instead of the API that refused us.
    public var mastodonRSSUntil: Date?

    public init(mastodonAccountID: String? = nil, mastodonRSSUntil: Date? = nil) {
        self.mastodonAccountID = mastodonAccountID
        self.mastodonRSSUntil = mastodonRSSUntil
    }

    static func decode(_ text: String?) -> PlatformState {
        guard let text, let data = text.data(using: .utf8),
              let state = try? JSONDecoder().decode(PlatformState.self, from: data) else { return PlatformState() }
        return state
    }

    var encoded: String? {
        guard self != PlatformState(), let data = try? JSONEncoder().encode(self) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}

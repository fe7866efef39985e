/// The kinds of source an account can be read from. The raw value is the key used in the
/// configuration (`telegram: channel`) and in `parse --as`.
public enum Platform: String, Sendable, Hashable, CaseIterable, Codable {
    /// Any RSS, RDF, Atom or JSON Feed URL (also RSS-Bridge and RSSHub routes).
    case rss
    case atom
    case jsonfeed
    case telegram
    case bluesky
    case mastodon
    case youtube
}

/// The account a `GET /api/v1/accounts/lookup?acct=user` answer describes: its numeric id is
/// what the statuses URL needs.
public struct MastodonAccount: Sendable, Hashable {
    public var id: String
    public var username: String
    public var acct: String
    public var displayName: String?
    public var url: String?
    /// The account moved to another one (`moved`): its old statuses stay readable, new ones
    /// appear at the new address, so the watchlist should name the new one.
    public var movedTo: String?
}

public enum MastodonAccountLookup {
    public static func parse(_ bytes: [UInt8], context: PlatformContext = PlatformContext()) throws(PlatformParseError) -> MastodonAccount {
        let root = try MastodonErrorAnswer.root(of: bytes, context: context, what: "account lookup answer")
        guard let id = root["id"]?.scalarText, !id.isEmpty, let username = root["username"]?.string else {
            throw PlatformParseError.layout(.mastodon, "the account lookup answer is \(root.kindName) without \"id\" and \"username\"")
        }
        let account = context.account.isEmpty ? "@\(root["acct"]?.string ?? username)" : context.account
        if root["suspended"]?.bool == true {
            throw PlatformParseError(platform: .mastodon, kind: .accountNotFound, message: "\(account) is suspended by its instance")
        }
        let moved = root["moved"].flatMap { $0.members != nil ? ($0["url"]?.string ?? $0["acct"]?.string) : nil }
        return MastodonAccount(
            id: id, username: username, acct: root["acct"]?.string ?? username,
            displayName: root["display_name"]?.string.flatMap { $0.isEmpty ? nil : $0 },
            url: root["url"]?.string, movedTo: moved)
    }
}

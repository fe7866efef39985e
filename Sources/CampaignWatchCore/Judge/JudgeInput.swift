import Foundation

/// What happened to a post, as the state store saw it; it decides which kinds of alert can follow.
public enum PostEvent: Sendable, Hashable {
    /// The first version of a post seen.
    case new
    /// A version with different content than `previous`. `priorAlerts` are the first alerts
    /// raised on this post, one per election at most.
    case changed(previous: Alert.PreviousVersion, priorAlerts: [PriorAlert])
    /// The post has gone from its source; `post` in the input is the last version seen.
    case gone(deletedAt: Date, priorAlerts: [PriorAlert])
}

/// The first alert raised on a post in one election: what edits and deletions refer to.
public struct PriorAlert: Sendable, Hashable {
    public var electionID: String
    public var alertID: String

    public init(electionID: String, alertID: String) {
        self.electionID = electionID
        self.alertID = alertID
    }
}

/// One post version to judge, with everything known about it.
public struct JudgeInput: Sendable, Hashable {
    public var post: Post
    public var account: Account
    public var subject: Subject
    /// When the post (its first version) was first seen.
    public var firstSeenAt: Date
    /// When this version was first seen; the same as `firstSeenAt` for a new post.
    public var versionSeenAt: Date
    /// What the rules engine found in this version, for every rule; the judge keeps, per
    /// election, those of the rules the election selects.
    public var matches: [RuleMatch]
    public var event: PostEvent
    /// The content hash of this version; `PostContentHash.sha256(of: post)` unless the store
    /// already has it.
    public var contentSHA256: String

    public init(post: Post, account: Account, subject: Subject, firstSeenAt: Date, versionSeenAt: Date? = nil,
                matches: [RuleMatch], event: PostEvent = .new, contentSHA256: String? = nil) {
        self.post = post
        self.account = account
        self.subject = subject
        self.firstSeenAt = firstSeenAt
        self.versionSeenAt = versionSeenAt ?? firstSeenAt
        self.matches = matches
        self.event = event
        self.contentSHA256 = contentSHA256 ?? PostContentHash.sha256(of: post)
    }
}

/// A decision of the judge: this post, in this election and period, is reported as `kind`.
public struct Finding: Sendable, Hashable {
    public var kind: Alert.Kind
    public var election: Election
    public var period: ElectionPeriod
    public var judgedTime: JudgedTime
    /// The matches of the rules this election selects, in the order the rules are configured.
    public var matches: [RuleMatch]
    public var refersTo: String?
    public var deletedAt: Date?
    public var previous: Alert.PreviousVersion?
}

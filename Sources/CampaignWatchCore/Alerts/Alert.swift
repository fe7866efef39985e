import Foundation

/// One alert of schema `campaignwatch.alert/1`: everything a monitor (or a program) needs to act
/// on a finding without opening the configuration, the database or the source.
public struct Alert: Sendable, Hashable {
    public static let schema = "campaignwatch.alert/1"

    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// A post, or a new version of one, matched rules inside a prohibited period.
        case violation
        /// A post alerted on before (or edited inside a prohibited period) changed.
        case edit
        /// A post alerted on before has disappeared from its source.
        case deletion
    }

    public struct ElectionInfo: Sendable, Hashable {
        public var id: String
        public var name: String
        public var timeZone: TimeZone
    }

    public struct PeriodInfo: Sendable, Hashable {
        public var kind: ElectionPeriod.Kind
        public var from: Date
        public var to: Date
        public var prohibited: Bool
    }

    public struct SubjectInfo: Sendable, Hashable {
        public var id: String
        public var name: String
        public var role: Subject.Role
        public var district: String?
        public var tags: [String]
    }

    public struct AccountInfo: Sendable, Hashable {
        public var platform: Platform
        public var handle: String
        public var url: String
    }

    public struct PostInfo: Sendable, Hashable {
        public var id: String
        public var url: String?
        public var author: String?
        public var publishedAt: Date?
        public var editedAt: Date?
        /// When this version of the post was first seen.
        public var observedAt: Date
        public var timeBasis: TimeBasis
        /// The instant judged (rendered in the election's zone as `local_time`).
        public var judgedAt: Date
        public var text: String
        public var contentSHA256: String
        /// Not in the example of the contract; added within version 1 because a video or an
        /// article is often campaigning by its title alone.
        public var title: String?
        /// Added within version 1: the time the author's client declared where the platform
        /// keeps one apart from its own (a backdated Bluesky post shows here).
        public var declaredAt: Date?
    }

    public struct TermInfo: Sendable, Hashable {
        public var term: String
        public var start: Int
        public var end: Int
        public var snippet: String
        /// Added within version 1: which text `start` and `end` count in (`text` or `title`).
        public var field: TextField = .text
    }

    public struct MatchInfo: Sendable, Hashable {
        public var rule: String
        public var severity: Severity
        public var description: String
        public var terms: [TermInfo]
    }

    /// Filled by the evidence store; each field is rendered as null until it is known.
    public struct EvidenceInfo: Sendable, Hashable {
        public var rawSHA256: String?
        public var archive: String?
        public var chainSeq: Int?
        public var chainHash: String?

        public init(rawSHA256: String? = nil, archive: String? = nil, chainSeq: Int? = nil, chainHash: String? = nil) {
            self.rawSHA256 = rawSHA256
            self.archive = archive
            self.chainSeq = chainSeq
            self.chainHash = chainHash
        }
    }

    /// The version an `edit` replaced.
    public struct PreviousVersion: Sendable, Hashable {
        public var text: String
        public var contentSHA256: String
        public var observedAt: Date

        public init(text: String, contentSHA256: String, observedAt: Date) {
            self.text = text
            self.contentSHA256 = contentSHA256
            self.observedAt = observedAt
        }
    }

    public var id: String
    public var kind: Kind
    public var createdAt: Date
    public var election: ElectionInfo
    public var period: PeriodInfo
    public var subject: SubjectInfo
    public var account: AccountInfo
    public var post: PostInfo
    public var matches: [MatchInfo]
    public var evidence: EvidenceInfo
    /// `edit` only.
    public var previous: PreviousVersion?
    /// The id of the first alert on this post (`deletion` always, `edit` when there was one).
    public var refersTo: String?
    /// `deletion` only: when the post's absence was confirmed.
    public var deletedAt: Date?

    /// The election-local wall-clock time of the judged instant, with the offset of that instant.
    public var localTime: String { Timestamp.local(post.judgedAt, in: election.timeZone) }
}

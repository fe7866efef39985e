import Foundation

/// Which clock a post is judged by.
public enum TimeBasis: String, Sendable, Hashable, CaseIterable {
    /// The platform's own time for the post (or, for an edit, for the edit).
    case published
    /// The post had no usable platform time; when campaignwatch first saw it is used instead.
    case observed
}

/// The instant a post (or an edit of it) is judged at, and where that instant came from.
public struct JudgedTime: Sendable, Hashable {
    public var instant: Date
    public var basis: TimeBasis

    public init(instant: Date, basis: TimeBasis) {
        self.instant = instant
        self.basis = basis
    }

    /// How far a platform's time may lie after the moment the post was first seen before it is
    /// distrusted. Clocks of platforms and of this host drift by seconds, and feeds round times
    /// to the minute; five minutes absorbs both while a backdated or future-dated time (an
    /// author's client, a broken feed) still falls back to what was observed.
    public static let allowedSkew: TimeInterval = 300

    /// The platform's time when it has one that is not later than first seen (plus the skew);
    /// otherwise the first-seen time. A post first seen today but published months ago is
    /// judged by when it was published: that is the pre-campaign case.
    public static func of(platformTime: Date?, firstSeen: Date) -> JudgedTime {
        if let platformTime, platformTime <= firstSeen.addingTimeInterval(allowedSkew) {
            return JudgedTime(instant: platformTime, basis: .published)
        }
        return JudgedTime(instant: firstSeen, basis: .observed)
    }
}

import Foundation

public struct Election: Sendable, Hashable {
    public var id: String
    public var name: String
    public var timeZone: TimeZone
    /// Sorted by `from`; never overlapping (the loader checks).
    public var periods: [ElectionPeriod]
    /// Rule ids or rule tags this election judges by; nil means every rule.
    public var ruleSelectors: [String]?

    public init(id: String, name: String, timeZone: TimeZone, periods: [ElectionPeriod], ruleSelectors: [String]? = nil) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
        self.periods = periods
        self.ruleSelectors = ruleSelectors
    }
}

public struct ElectionPeriod: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case preCampaign = "pre-campaign"
        case campaign
        case silence
        case voting
        case runoffCampaign = "runoff-campaign"
        case runoffSilence = "runoff-silence"

        /// Campaigning is allowed in the campaign periods and nowhere else unless the
        /// configuration says otherwise.
        public var prohibitedByDefault: Bool {
            switch self {
            case .campaign, .runoffCampaign: false
            default: true
            }
        }
    }

    public var kind: Kind
    /// Inclusive.
    public var from: Date
    /// Exclusive.
    public var to: Date
    public var prohibited: Bool

    public init(kind: Kind, from: Date, to: Date, prohibited: Bool? = nil) {
        self.kind = kind
        self.from = from
        self.to = to
        self.prohibited = prohibited ?? kind.prohibitedByDefault
    }

    public func contains(_ instant: Date) -> Bool {
        from <= instant && instant < to
    }
}

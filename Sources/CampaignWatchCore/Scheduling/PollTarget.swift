import Foundation

/// One thing the scheduler polls: an account, with the cadence its settings give it and the
/// elections of every subject that lists it (the same account under two subjects is polled once).
public struct PollTarget: Sendable, Hashable {
    public var key: String
    public var url: String
    public var host: String
    public var cadence: PollCadence
    public var electionIDs: [String]

    public init(key: String, url: String, cadence: PollCadence, electionIDs: [String]) {
        self.key = key
        self.url = url
        self.host = HostKey.of(url)
        self.cadence = cadence
        self.electionIDs = electionIDs
    }

    public init(account: Account, electionIDs: [String], settings: PollSettings) {
        self.init(
            key: account.key, url: account.url,
            cadence: PollCadence(settings: settings, override: account.poll), electionIDs: electionIDs)
    }

    /// Every account of every subject, once per key, in configuration order. When two subjects
    /// list one account, the first listing's URL and cadence win and the elections are merged.
    public static func targets(subjects: [Subject], settings: PollSettings) -> [PollTarget] {
        var targets: [PollTarget] = []
        var indexByKey: [String: Int] = [:]
        for subject in subjects {
            for account in subject.accounts {
                if let index = indexByKey[account.key] {
                    for id in subject.elections where !targets[index].electionIDs.contains(id) {
                        targets[index].electionIDs.append(id)
                    }
                } else {
                    indexByKey[account.key] = targets.count
                    targets.append(PollTarget(account: account, electionIDs: subject.elections, settings: settings))
                }
            }
        }
        return targets
    }
}

/// How often one account may be polled: `interval` by default, adaptation never leaving
/// `[minInterval, maxInterval]`. Inconsistent values are repaired rather than trusted.
public struct PollCadence: Sendable, Hashable {
    public var interval: TimeInterval
    public var minInterval: TimeInterval
    public var maxInterval: TimeInterval

    public init(interval: TimeInterval, minInterval: TimeInterval, maxInterval: TimeInterval) {
        let low = max(1, min(minInterval, maxInterval))
        let high = max(low, maxInterval)
        self.minInterval = low
        self.maxInterval = high
        self.interval = min(max(interval, low), high)
    }

    public init(settings: PollSettings, override: PollOverride? = nil) {
        self.init(
            interval: override?.interval ?? settings.interval,
            minInterval: override?.minInterval ?? settings.minInterval,
            maxInterval: override?.maxInterval ?? settings.maxInterval)
    }
}

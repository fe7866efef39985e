import CampaignWatchCore
import Foundation

/// Helpers shared by the scheduler tests: a fixed clock origin, targets, and a driver that
/// completes every started poll.
enum SchedulerFixtures {
    static let origin = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ seconds: TimeInterval) -> Date { origin.addingTimeInterval(seconds) }

    static func settings(
        interval: TimeInterval = 300, min: TimeInterval = 60, max: TimeInterval = 21_600, jitter: Double = 0,
        concurrency: Int = 32, perHost: Int = 2
    ) -> PollSettings {
        var settings = PollSettings()
        settings.interval = interval
        settings.minInterval = min
        settings.maxInterval = max
        settings.jitter = jitter
        settings.concurrency = concurrency
        settings.perHost = perHost
        return settings
    }

    static func target(_ name: String, host: String? = nil, elections: [String] = [], settings: PollSettings) -> PollTarget {
        PollTarget(
            key: "rss:\(name)", url: "https://\(host ?? "\(name).example")/\(name).xml",
            cadence: PollCadence(settings: settings), electionIDs: elections)
    }

    static func scheduler(
        _ targets: [PollTarget], settings: PollSettings, elections: [Election] = [],
        policy: SchedulerPolicy = SchedulerPolicy(hostSpacing: .none), seed: UInt64 = 7, now: Date = origin
    ) -> PollScheduler {
        var scheduler = PollScheduler(policy: policy, random: SeededRandom(seed: seed))
        scheduler.update(targets: targets, elections: elections, settings: settings, now: now)
        return scheduler
    }

    /// Starts whatever is due at `now` and completes each poll at once with `result`.
    @discardableResult
    static func pollDue(_ scheduler: inout PollScheduler, at now: Date, result: PollResult) -> [PollStart] {
        let starts = scheduler.nextActions(now: now)
        for start in starts { scheduler.completed(start.ticket, result: result, now: now) }
        return starts
    }

    /// Seconds from `now` to the account's next poll.
    static func delay(_ scheduler: PollScheduler, _ key: String, from now: Date) -> TimeInterval? {
        scheduler.status(of: key)?.nextPoll.map { $0.timeIntervalSince(now) }
    }

    static func election(id: String, prohibitedFrom from: Date, to: Date) -> Election {
        Election(
            id: id, name: id, timeZone: TimeZone(identifier: "UTC")!,
            periods: [ElectionPeriod(kind: .silence, from: from, to: to)])
    }
}

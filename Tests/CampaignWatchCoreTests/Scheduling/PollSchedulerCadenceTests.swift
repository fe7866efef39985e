import CampaignWatchCore
import Foundation
import Testing

@Suite("Scheduler cadence: defaults, adaptation, jitter, backoff")
struct PollSchedulerCadenceTests {
    typealias F = SchedulerFixtures

    @Test("a new account is due at once and then every `interval`")
    func defaults() {
        let settings = F.settings()
        var scheduler = F.scheduler([F.target("a", settings: settings)], settings: settings)
        #expect(scheduler.nextWakeup() == F.origin)
        let starts = F.pollDue(&scheduler, at: F.origin, result: .notModified)
        #expect(starts.map(\.key) == ["rss:a"])
        #expect(F.delay(scheduler, "rss:a", from: F.origin) == 300)
        #expect(scheduler.nextWakeup() == F.at(300))
        #expect(scheduler.nextActions(now: F.at(299)).isEmpty)
        #expect(scheduler.nextActions(now: F.at(300)).map(\.key) == ["rss:a"])
    }

    @Test("a per-account poll override sets that account's cadence")
    func override() {
        let settings = F.settings()
        let account = Account(platform: .rss, handle: "x", url: "https://x.example/feed", poll: PollOverride(interval: 120))
        let target = PollTarget(account: account, electionIDs: [], settings: settings)
        #expect(target.cadence == PollCadence(interval: 120, minInterval: 60, maxInterval: 21_600))
        var scheduler = F.scheduler([target], settings: settings)
        F.pollDue(&scheduler, at: F.origin, result: .notModified)
        #expect(F.delay(scheduler, account.key, from: F.origin) == 120)
    }

    @Test("a busy account is polled more often, never below min_interval")
    func adaptsDownToMinimum() {
        let settings = F.settings()
        var scheduler = F.scheduler([F.target("busy", settings: settings)], settings: settings)
        var now = F.origin
        var intervals: [TimeInterval] = []
        for _ in 0..<200 {
            F.pollDue(&scheduler, at: now, result: .success(newPosts: 10))
            let status = scheduler.status(of: "rss:busy")!
            intervals.append(status.interval)
            now = status.nextPoll!
        }
        #expect(intervals.allSatisfy { $0 >= 60 && $0 <= 300 })
        #expect(intervals.last == 60)
        #expect(zip(intervals, intervals.dropFirst()).allSatisfy { $1 <= $0 })
    }

    @Test("a silent account drifts up to max_interval and never past it")
    func adaptsUpToMaximum() {
        let settings = F.settings()
        var scheduler = F.scheduler([F.target("quiet", settings: settings)], settings: settings)
        var now = F.origin
        var intervals: [TimeInterval] = []
        while now < F.at(30 * 86_400) {
            F.pollDue(&scheduler, at: now, result: .notModified)
            let status = scheduler.status(of: "rss:quiet")!
            intervals.append(status.interval)
            now = status.nextPoll!
        }
        #expect(intervals.first == 300)
        #expect(intervals.allSatisfy { $0 >= 300 && $0 <= 21_600 })
        #expect(intervals.last == 21_600)
        #expect(zip(intervals, intervals.dropFirst()).allSatisfy { $1 >= $0 })
    }

    @Test("the adaptation formula: geometric mean of interval and time between posts")
    func adaptationFormula() {
        let cadence = PollCadence(interval: 300, minInterval: 1, maxInterval: 100_000)
        // One post per interval keeps the interval; four per interval halves it; one per four doubles it.
        #expect(abs(PostRateEstimator(posts: 1, time: 300).interval(for: cadence, strength: 0.5) - 300) < 1e-9)
        #expect(abs(PostRateEstimator(posts: 4, time: 300).interval(for: cadence, strength: 0.5) - 150) < 1e-9)
        #expect(abs(PostRateEstimator(posts: 1, time: 1200).interval(for: cadence, strength: 0.5) - 600) < 1e-9)
        #expect(PostRateEstimator(posts: 4, time: 300).interval(for: cadence, strength: 0) == 300)
    }

    @Test("the rate estimate forgets with its half-life")
    func rateDecays() {
        var estimator = PostRateEstimator(posts: 10, time: 1000)
        estimator.observe(newPosts: 0, elapsed: 86_400, halfLife: 86_400)
        #expect(abs(estimator.posts - 5) < 1e-9)
        estimator.observe(newPosts: 3, elapsed: 0, halfLife: 86_400)
        #expect(abs(estimator.posts - 8) < 1e-9)
    }

    @Test("jitter stays inside ±jitter and the bounds, spreads accounts, and repeats with the seed")
    func jitterBounds() {
        let settings = F.settings(jitter: 0.1, concurrency: 1000)
        let targets = (0..<1000).map { F.target("a\($0)", settings: settings) }
        func delays(seed: UInt64) -> [TimeInterval] {
            var scheduler = F.scheduler(targets, settings: settings, seed: seed)
            #expect(F.pollDue(&scheduler, at: F.origin, result: .notModified).count == 1000)
            return targets.map { F.delay(scheduler, $0.key, from: F.origin)! }
        }
        let first = delays(seed: 1)
        #expect(first.allSatisfy { $0 >= 270 && $0 <= 330 })
        #expect(first.min()! < 275 && first.max()! > 325)
        #expect(Set(first).count > 990)
        #expect(delays(seed: 1) == first)
        #expect(delays(seed: 2) != first)
    }

    @Test("jitter never takes an account below min_interval")
    func jitterRespectsMinimum() {
        let settings = F.settings(interval: 60, min: 60, jitter: 0.5, concurrency: 200)
        let targets = (0..<200).map { F.target("m\($0)", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings)
        F.pollDue(&scheduler, at: F.origin, result: .notModified)
        let delays = targets.map { F.delay(scheduler, $0.key, from: F.origin)! }
        #expect(delays.allSatisfy { $0 >= 60 && $0 <= 90 })
        #expect(Set(delays).count > 190)
    }

    @Test("failures back off exponentially up to max_interval and keep being retried")
    func backoff() {
        let settings = F.settings()
        var scheduler = F.scheduler([F.target("down", settings: settings)], settings: settings)
        var now = F.origin
        var delays: [TimeInterval] = []
        for _ in 0..<14 {
            let failure = PollFailure(kind: .connect, message: "cannot connect: Connection refused")
            #expect(F.pollDue(&scheduler, at: now, result: .failure(failure)).count == 1)
            let next = scheduler.status(of: "rss:down")!.nextPoll!
            delays.append(next.timeIntervalSince(now))
            now = next
        }
        #expect(Array(delays.prefix(9)) == [60, 120, 240, 480, 960, 1920, 3840, 7680, 15_360])
        #expect(delays.dropFirst(9).allSatisfy { $0 == 21_600 })
        let status = scheduler.status(of: "rss:down")!
        #expect(status.consecutiveFailures == 14)
        #expect(status.lastError?.kind == .connect)
        #expect(status.lastError?.message == "cannot connect: Connection refused")
        #expect(status.lastErrorAt == now.addingTimeInterval(-21_600))

        F.pollDue(&scheduler, at: now, result: .success(newPosts: 0))
        let recovered = scheduler.status(of: "rss:down")!
        #expect(recovered.consecutiveFailures == 0)
        #expect(recovered.lastSuccess == now)
        #expect(recovered.lastError?.kind == .connect)  // still shown, with its time
        #expect(F.delay(scheduler, "rss:down", from: now)! <= 21_600)
    }

    @Test("backoff carries jitter too")
    func backoffJitter() {
        let settings = F.settings(jitter: 0.2, concurrency: 100)
        let targets = (0..<100).map { F.target("f\($0)", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings)
        F.pollDue(&scheduler, at: F.origin, result: .failure(PollFailure(kind: .timeout, message: "timed out")))
        F.pollDue(&scheduler, at: F.at(200), result: .failure(PollFailure(kind: .timeout, message: "timed out")))
        let delays = targets.map { F.delay(scheduler, $0.key, from: F.at(200))! }
        #expect(delays.allSatisfy { $0 >= 96 && $0 <= 144 })
        #expect(Set(delays).count > 90)
    }

    @Test("a cancelled poll is due again at once and is not a failure")
    func cancelled() {
        let settings = F.settings()
        var scheduler = F.scheduler([F.target("c", settings: settings)], settings: settings)
        F.pollDue(&scheduler, at: F.origin, result: .cancelled)
        #expect(scheduler.status(of: "rss:c")?.consecutiveFailures == 0)
        #expect(scheduler.nextActions(now: F.origin).count == 1)
    }
}

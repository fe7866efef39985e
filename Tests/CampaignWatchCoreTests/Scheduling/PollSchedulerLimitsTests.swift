import CampaignWatchCore
import Foundation
import Testing

@Suite("Scheduler limits: concurrency, per host, spreading, Retry-After")
struct PollSchedulerLimitsTests {
    typealias F = SchedulerFixtures

    @Test("never more than `concurrency` polls in flight")
    func concurrency() {
        let settings = F.settings(concurrency: 3)
        let targets = (0..<10).map { F.target("h\($0)", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings)
        let first = scheduler.nextActions(now: F.origin)
        #expect(first.map(\.key) == ["rss:h0", "rss:h1", "rss:h2"])
        #expect(scheduler.nextActions(now: F.origin).isEmpty)
        #expect(scheduler.inFlightCount == 3)
        scheduler.completed(first[1].ticket, result: .notModified, now: F.at(1))
        #expect(scheduler.nextActions(now: F.at(1)).map(\.key) == ["rss:h3"])
        #expect(scheduler.snapshot().filter { $0.state == .waiting }.count == 6)
    }

    @Test("never more than `per_host` polls in flight to one host; other hosts go on")
    func perHost() {
        let settings = F.settings(concurrency: 32, perHost: 2)
        let shared = (0..<6).map { F.target("s\($0)", host: "t.me", settings: settings) }
        let other = F.target("o", host: "bsky.app", settings: settings)
        var scheduler = F.scheduler(shared + [other], settings: settings)
        let first = scheduler.nextActions(now: F.origin)
        #expect(Set(first.map(\.key)) == ["rss:s0", "rss:s1", "rss:o"])
        scheduler.completed(first[0].ticket, result: .notModified, now: F.at(2))
        #expect(scheduler.nextActions(now: F.at(2)).map(\.key) == ["rss:s2"])
        #expect(scheduler.nextActions(now: F.at(2)).isEmpty)
    }

    @Test("a ticket completed twice or unknown changes nothing")
    func duplicateCompletion() {
        let settings = F.settings(perHost: 1)
        var scheduler = F.scheduler([F.target("a", host: "h", settings: settings), F.target("b", host: "h", settings: settings)],
                                    settings: settings)
        let start = scheduler.nextActions(now: F.origin)[0]
        scheduler.completed(start.ticket, result: .notModified, now: F.origin)
        scheduler.completed(start.ticket, result: .notModified, now: F.origin)
        #expect(scheduler.inFlightCount == 0)
        #expect(scheduler.nextActions(now: F.origin).map(\.key) == ["rss:b"])
        #expect(scheduler.nextActions(now: F.origin).isEmpty)
    }

    @Test("starts to one host are spread by the adaptive gap, not fired as a burst")
    func burstSpreading() {
        let settings = F.settings(concurrency: 32, perHost: 5)
        let targets = (0..<10).map { F.target("b\($0)", host: "rsshub.example", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings, policy: SchedulerPolicy())
        // 10 accounts every 300 s need 1/30 polls/s; twice that is a 15 s gap, capped at 1 s.
        #expect(scheduler.nextActions(now: F.origin).count == 1)
        #expect(scheduler.nextActions(now: F.at(0.5)).isEmpty)
        #expect(scheduler.nextWakeup() == F.at(1))
        #expect(scheduler.nextActions(now: F.at(1)).count == 1)
        #expect(scheduler.nextActions(now: F.at(2)).count == 1)
        #expect(scheduler.inFlightCount == 3)
    }

    @Test("the gap shrinks with the host's load so a busy host keeps up")
    func adaptiveGapScales() {
        let settings = F.settings(concurrency: 64, perHost: 8)
        let targets = (0..<3000).map { F.target("x\($0)", host: "t.me", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings, policy: SchedulerPolicy())
        // 3000 accounts / 300 s = 10 polls/s; with headroom 2 the gap is 50 ms.
        #expect(scheduler.nextActions(now: F.origin).count == 1)
        #expect(scheduler.nextActions(now: F.at(0.049)).isEmpty)
        #expect(scheduler.nextActions(now: F.at(0.05)).count == 1)
        let wake = scheduler.nextWakeup()!.timeIntervalSince(F.origin)
        #expect(abs(wake - 0.1) < 1e-6)
    }

    @Test("a fixed gap holds per host, while other hosts start independently")
    func fixedGap() {
        let settings = F.settings(concurrency: 32, perHost: 4)
        let targets = (0..<4).map { F.target("a\($0)", host: "a.example", settings: settings) }
            + (0..<4).map { F.target("b\($0)", host: "b.example", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings, policy: SchedulerPolicy(hostSpacing: .fixed(2)))
        #expect(Set(scheduler.nextActions(now: F.origin).map(\.key)) == ["rss:a0", "rss:b0"])
        #expect(scheduler.nextActions(now: F.at(1.9)).isEmpty)
        #expect(Set(scheduler.nextActions(now: F.at(2)).map(\.key)) == ["rss:a1", "rss:b1"])
    }

    @Test("the longest-waiting account starts first across hosts")
    func oldestFirst() {
        let settings = F.settings(concurrency: 1)
        let targets = [F.target("late", settings: settings), F.target("early", settings: settings)]
        var scheduler = F.scheduler(targets, settings: settings)
        let first = scheduler.nextActions(now: F.origin)
        #expect(first.map(\.key) == ["rss:late"])  // configuration order at equal due times
        scheduler.completed(first[0].ticket, result: .failure(PollFailure(kind: .timeout, message: "t")), now: F.at(1))
        // "late" is due again at 61; "early" has waited since 0, so it goes first.
        #expect(scheduler.status(of: "rss:early")?.state == .waiting)
        #expect(scheduler.nextActions(now: F.at(61)).map(\.key) == ["rss:early"])
    }

    @Test("Retry-After holds back that account's URL only, not its host")
    func retryAfterPerURL() {
        let settings = F.settings(concurrency: 32, perHost: 4)
        let a = F.target("a", host: "rsshub.example", settings: settings)
        let b = F.target("b", host: "rsshub.example", settings: settings)
        var scheduler = F.scheduler([a, b], settings: settings)
        let starts = scheduler.nextActions(now: F.origin)
        #expect(starts.count == 2)
        let limited = PollFailure(kind: .http, message: "HTTP 429 Too Many Requests", retryAfter: .seconds(3600))
        scheduler.completed(starts.first { $0.key == a.key }!.ticket, result: .failure(limited), now: F.origin)
        scheduler.completed(starts.first { $0.key == b.key }!.ticket, result: .notModified, now: F.origin)
        #expect(F.delay(scheduler, a.key, from: F.origin) == 3600)
        #expect(scheduler.status(of: a.key)?.retryAfterUntil == F.at(3600))
        #expect(scheduler.nextActions(now: F.at(300)).map(\.key) == [b.key])
        #expect(scheduler.status(of: a.key)?.state == .scheduled)
        #expect(scheduler.nextActions(now: F.at(3599)).isEmpty)
        #expect(scheduler.nextActions(now: F.at(3600)).map(\.key) == [a.key])
    }

    @Test("Retry-After as an HTTP date, capped at max_interval")
    func retryAfterDate() {
        let settings = F.settings()
        var scheduler = F.scheduler([F.target("a", settings: settings), F.target("z", settings: settings)], settings: settings)
        let starts = scheduler.nextActions(now: F.origin)
        let dated = PollFailure(kind: .http, message: "HTTP 503", retryAfter: .date(F.at(7200)))
        let absurd = PollFailure(kind: .http, message: "HTTP 429", retryAfter: .seconds(30 * 86_400))
        scheduler.completed(starts[0].ticket, result: .failure(dated), now: F.origin)
        scheduler.completed(starts[1].ticket, result: .failure(absurd), now: F.origin)
        #expect(F.delay(scheduler, "rss:a", from: F.origin) == 7200)
        #expect(F.delay(scheduler, "rss:z", from: F.origin) == 21_600)
    }

    @Test("another account on the same URL also waits out the Retry-After")
    func retryAfterSharedURL() {
        let settings = F.settings()
        let first = PollTarget(key: "rss:one", url: "https://hub.example/route", cadence: PollCadence(settings: settings), electionIDs: [])
        let second = PollTarget(key: "atom:two", url: "https://hub.example/route", cadence: PollCadence(settings: settings), electionIDs: [])
        var scheduler = F.scheduler([first], settings: settings)
        let start = scheduler.nextActions(now: F.origin)[0]
        let limited = PollFailure(kind: .http, message: "HTTP 429", retryAfter: .seconds(600))
        scheduler.completed(start.ticket, result: .failure(limited), now: F.origin)
        scheduler.update(targets: [first, second], elections: [], settings: settings, now: F.at(10))
        #expect(scheduler.nextActions(now: F.at(10)).isEmpty)
        #expect(F.delay(scheduler, "atom:two", from: F.origin) == 600)
        #expect(Set(scheduler.nextActions(now: F.at(600)).map(\.key)) == ["rss:one", "atom:two"])
    }

    @Test("20,000 accounts on 200 hosts: every one polled, limits held throughout")
    func manyAccounts() {
        let settings = F.settings(jitter: 0.1, concurrency: 64, perHost: 2)
        let targets = (0..<20_000).map { F.target("n\($0)", host: "host\($0 % 200).example", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings)
        var polled = Set<String>()
        var inFlight: [PollStart] = []
        var now = F.origin
        while now < F.at(600) {
            for start in inFlight { scheduler.completed(start.ticket, result: .notModified, now: now) }
            inFlight = scheduler.nextActions(now: now)
            #expect(inFlight.count <= 64)
            var perHost: [String: Int] = [:]
            for start in inFlight { perHost[HostKey.of(start.url), default: 0] += 1 }
            #expect(perHost.values.allSatisfy { $0 <= 2 })
            polled.formUnion(inFlight.map(\.key))
            now = now.addingTimeInterval(0.25)
        }
        #expect(polled.count == 20_000)
        #expect(scheduler.accountCount == 20_000)
    }
}

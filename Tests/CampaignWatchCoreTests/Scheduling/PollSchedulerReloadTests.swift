import CampaignWatchCore
import Foundation
import Testing

@Suite("Scheduler reloads, status and memory")
struct PollSchedulerReloadTests {
    typealias F = SchedulerFixtures

    @Test("a reload keeps remaining accounts' state, adds new ones due at once, drops removed ones")
    func reload() {
        let settings = F.settings()
        let a = F.target("a", settings: settings)
        let b = F.target("b", settings: settings)
        let c = F.target("c", settings: settings)
        let d = F.target("d", settings: settings)
        var scheduler = F.scheduler([a, b, c], settings: settings)
        for start in scheduler.nextActions(now: F.origin) {
            let result: PollResult = start.key == b.key
                ? .failure(PollFailure(kind: .http, message: "HTTP 500 Internal Server Error")) : .notModified
            scheduler.completed(start.ticket, result: result, now: F.origin)
        }
        scheduler.update(targets: [b, c, d], elections: [], settings: settings, now: F.at(30))
        let snapshot = scheduler.snapshot()
        #expect(snapshot.map(\.key) == ["rss:b", "rss:c", "rss:d"])
        #expect(scheduler.status(of: b.key)?.consecutiveFailures == 1)
        #expect(scheduler.status(of: b.key)?.nextPoll == F.at(60))
        #expect(scheduler.status(of: c.key)?.nextPoll == F.at(300))
        #expect(scheduler.status(of: c.key)?.lastSuccess == F.origin)
        #expect(scheduler.status(of: d.key)?.nextPoll == F.at(30))
        #expect(scheduler.status(of: a.key) == nil)
        #expect(scheduler.nextActions(now: F.at(30)).map(\.key) == [d.key])
        #expect(scheduler.nextActions(now: F.at(300)).map(\.key).sorted() == [b.key, c.key])
    }

    @Test("an account removed while polled still frees its host slot, and its answer is ignored")
    func removedInFlight() {
        let settings = F.settings(perHost: 1)
        let a = F.target("a", host: "h.example", settings: settings)
        let e = F.target("e", host: "h.example", settings: settings)
        var scheduler = F.scheduler([a, e], settings: settings)
        let start = scheduler.nextActions(now: F.origin)
        #expect(start.map(\.key) == [a.key])
        scheduler.update(targets: [e], elections: [], settings: settings, now: F.at(1))
        #expect(scheduler.nextActions(now: F.at(1)).isEmpty)  // a's transfer still holds the host
        scheduler.completed(start[0].ticket, result: .success(newPosts: 3), now: F.at(2))
        #expect(scheduler.status(of: a.key) == nil)
        #expect(scheduler.nextActions(now: F.at(2)).map(\.key) == [e.key])
    }

    @Test("a changed URL clears failures and is tried at once; a shorter interval applies at once")
    func changedTarget() {
        let settings = F.settings()
        var a = F.target("a", settings: settings)
        var scheduler = F.scheduler([a], settings: settings)
        F.pollDue(&scheduler, at: F.origin, result: .failure(PollFailure(kind: .dns, message: "cannot resolve host")))
        F.pollDue(&scheduler, at: F.at(60), result: .failure(PollFailure(kind: .dns, message: "cannot resolve host")))
        #expect(scheduler.status(of: a.key)?.consecutiveFailures == 2)
        a.url = "https://fixed.example/a.xml"
        a.host = "fixed.example"
        scheduler.update(targets: [a], elections: [], settings: settings, now: F.at(70))
        #expect(scheduler.status(of: a.key)?.consecutiveFailures == 0)
        #expect(scheduler.nextActions(now: F.at(70)).map(\.url) == ["https://fixed.example/a.xml"])

        var b = F.target("b", settings: settings)
        var other = F.scheduler([b], settings: settings)
        F.pollDue(&other, at: F.origin, result: .notModified)
        #expect(F.delay(other, b.key, from: F.origin) == 300)
        b.cadence = PollCadence(interval: 120, minInterval: 60, maxInterval: 21_600)
        other.update(targets: [b], elections: [], settings: settings, now: F.at(10))
        #expect(F.delay(other, b.key, from: F.origin) == 120)
    }

    @Test("an unchanged reload does not move jittered times")
    func unchangedReload() {
        let settings = F.settings(jitter: 0.1)
        let targets = (0..<50).map { F.target("u\($0)", settings: settings) }
        var scheduler = F.scheduler(targets, settings: settings)
        F.pollDue(&scheduler, at: F.origin, result: .notModified)
        let before = scheduler.snapshot().map(\.nextPoll)
        scheduler.update(targets: targets, elections: [], settings: settings, now: F.at(5))
        #expect(scheduler.snapshot().map(\.nextPoll) == before)
    }

    @Test("the status snapshot shows state, failures, last error and next attempt")
    func snapshot() {
        let settings = F.settings(concurrency: 1)
        var scheduler = F.scheduler([F.target("a", settings: settings), F.target("b", settings: settings)], settings: settings)
        let start = scheduler.nextActions(now: F.origin)[0]
        var status = scheduler.snapshot()
        #expect(status.map(\.state) == [.polling, .waiting])
        #expect(status[0].nextPoll == nil)
        #expect(status[0].lastStarted == F.origin)
        scheduler.completed(start.ticket, result: .failure(PollFailure(kind: .tls, message: "TLS failure: certificate expired")), now: F.at(1))
        status = scheduler.snapshot()
        #expect(status[0].state == .scheduled)
        #expect(status[0].consecutiveFailures == 1)
        #expect(status[0].lastError?.message == "TLS failure: certificate expired")
        #expect(status[0].nextPoll == F.at(61))
        #expect(status[0].host == "a.example")
        #expect(status[0].lastCompleted == F.at(1))
        #expect(status[0].postsPerDay > 0)
    }

    @Test("memory survives a restart: failures, errors, due times")
    func memoryRoundTrip() throws {
        let settings = F.settings()
        let targets = [F.target("a", settings: settings), F.target("b", settings: settings)]
        var first = F.scheduler(targets, settings: settings)
        for start in first.nextActions(now: F.origin) {
            let result: PollResult = start.key == "rss:a"
                ? .failure(PollFailure(kind: .http, message: "HTTP 429", retryAfter: .seconds(900))) : .success(newPosts: 4)
            first.completed(start.ticket, result: result, now: F.origin)
        }
        let memory = first.memory()
        let encoded = try JSONEncoder().encode(memory)
        let decoded = try JSONDecoder().decode([String: AccountScheduleMemory].self, from: encoded)

        var second = F.scheduler(targets, settings: settings, now: F.at(100))
        second.restore(decoded, now: F.at(100))
        let a = second.status(of: "rss:a")!
        #expect(a.consecutiveFailures == 1)
        #expect(a.lastError?.kind == .http)
        #expect(a.retryAfterUntil == F.at(900))
        #expect(a.nextPoll == F.at(900))
        #expect(second.status(of: "rss:b")?.nextPoll == F.at(300))
        #expect(second.nextActions(now: F.at(100)).isEmpty)
    }
}

import CampaignWatchCore
import Foundation
import Testing

@Suite("Scheduler near elections: min_interval in and within a day of prohibited periods")
struct PollSchedulerElectionTests {
    typealias F = SchedulerFixtures

    /// A silence period of one day starting 10 days after the origin.
    static let silenceStart = F.at(10 * 86_400)
    static let silenceEnd = F.at(11 * 86_400)
    static let election = F.election(id: "e", prohibitedFrom: silenceStart, to: silenceEnd)

    func delayAfterPoll(at now: Date, interval: TimeInterval = 300, elections: [Election] = [election]) -> (TimeInterval, Bool) {
        let settings = F.settings(interval: interval)
        var scheduler = F.scheduler([F.target("c", elections: ["e"], settings: settings)], settings: settings,
                                    elections: elections, now: now)
        F.pollDue(&scheduler, at: now, result: .notModified)
        let status = scheduler.status(of: "rss:c")!
        return (status.nextPoll!.timeIntervalSince(now), status.nearProhibitedPeriod)
    }

    @Test("inside a prohibited period: min_interval")
    func inside() {
        #expect(delayAfterPoll(at: Self.silenceStart) == (60, true))
        #expect(delayAfterPoll(at: Self.silenceStart.addingTimeInterval(3600)) == (60, true))
    }

    @Test("exactly a day before: already at min_interval; a second earlier: not yet")
    func dayBeforeEdge() {
        #expect(delayAfterPoll(at: Self.silenceStart.addingTimeInterval(-86_400)) == (60, true))
        let (delay, near) = delayAfterPoll(at: Self.silenceStart.addingTimeInterval(-86_401))
        #expect(near == false)
        // The next poll is pulled in to the moment the window opens, one second later.
        #expect(delay == 1)
    }

    @Test("within a day after the end: min_interval; a day after: back to normal")
    func dayAfterEdge() {
        #expect(delayAfterPoll(at: Self.silenceEnd.addingTimeInterval(86_399)) == (60, true))
        #expect(delayAfterPoll(at: Self.silenceEnd.addingTimeInterval(86_400)) == (300, false))
    }

    @Test("a long interval is cut short when the window opens")
    func cappedAtOpening() {
        let now = Self.silenceStart.addingTimeInterval(-25 * 3600)
        #expect(delayAfterPoll(at: now, interval: 4 * 3600) == (3600, false))
    }

    @Test("a period that is not prohibited does not boost")
    func campaignPeriodDoesNot() {
        let campaign = Election(
            id: "e", name: "e", timeZone: TimeZone(identifier: "UTC")!,
            periods: [ElectionPeriod(kind: .campaign, from: Self.silenceStart, to: Self.silenceEnd)])
        #expect(delayAfterPoll(at: Self.silenceStart, elections: [campaign]) == (300, false))
    }

    @Test("only accounts of subjects in that election are boosted")
    func otherElections() {
        let settings = F.settings()
        let watched = F.target("w", elections: ["e"], settings: settings)
        let unrelated = F.target("u", elections: ["other"], settings: settings)
        var scheduler = F.scheduler([watched, unrelated], settings: settings, elections: [Self.election],
                                    now: Self.silenceStart)
        F.pollDue(&scheduler, at: Self.silenceStart, result: .notModified)
        #expect(F.delay(scheduler, watched.key, from: Self.silenceStart) == 60)
        #expect(F.delay(scheduler, unrelated.key, from: Self.silenceStart) == 300)
    }

    @Test("subjects sharing an account poll it once, with both subjects' elections")
    func sharedAccount() {
        let settings = F.settings()
        let account = Account(platform: .telegram, handle: "shared", url: "https://t.me/s/shared")
        let subjects = [
            Subject(id: "a", name: "A", elections: ["other"], accounts: [account]),
            Subject(id: "b", name: "B", elections: ["e"], accounts: [account]),
        ]
        let targets = PollTarget.targets(subjects: subjects, settings: settings)
        #expect(targets.count == 1)
        #expect(targets[0].electionIDs == ["other", "e"])
        var scheduler = PollScheduler(policy: SchedulerPolicy(hostSpacing: .none), random: SeededRandom(seed: 1))
        scheduler.update(subjects: subjects, elections: [Self.election], settings: settings, now: Self.silenceStart)
        F.pollDue(&scheduler, at: Self.silenceStart, result: .notModified)
        #expect(F.delay(scheduler, account.key, from: Self.silenceStart) == 60)
    }

    @Test("a reload that adds an election pulls a far-off poll in")
    func reloadAddsElection() {
        let settings = F.settings(interval: 6 * 3600, max: 6 * 3600)
        let now = Self.silenceStart.addingTimeInterval(-3600)
        let target = F.target("c", elections: ["e"], settings: settings)
        var scheduler = F.scheduler([target], settings: settings, elections: [], now: now)
        F.pollDue(&scheduler, at: now, result: .notModified)
        #expect(F.delay(scheduler, target.key, from: now) == 21_600)
        scheduler.update(targets: [target], elections: [Self.election], settings: settings, now: now.addingTimeInterval(10))
        // Already within a day of the period: due one min_interval after the last poll.
        #expect(F.delay(scheduler, target.key, from: now) == 60)
        #expect(scheduler.status(of: target.key)?.nearProhibitedPeriod == true)
    }
}

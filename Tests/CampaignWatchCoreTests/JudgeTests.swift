import CampaignWatchCore
import Foundation
import Testing

@Suite struct JudgeTests {
    typealias F = JudgeFixtures
    let now = JudgeFixtures.utc("2026-11-22T00:00Z")

    func alerts(_ post: Post, subject: Subject = F.omarova, account: Account = F.omarovaTelegram, seen: Date,
                matches: [RuleMatch] = F.allMatches, event: PostEvent = .new, versionSeen: Date? = nil) -> [Alert] {
        let input = JudgeInput(post: post, account: account, subject: subject, firstSeenAt: seen, versionSeenAt: versionSeen,
                               matches: matches, event: event)
        let alerts = Judge.alerts(for: input, configuration: F.configuration, now: now)
        for alert in alerts { F.checked(alert) }
        return alerts
    }

    @Test func aPostSeenTodayButPublishedInThePreCampaignIsJudgedByItsPublication() throws {
        let published = F.utc("2023-01-28T14:02:11Z")
        let result = alerts(F.post(published: published), seen: F.utc("2023-02-20T10:15:01Z"))
        let alert = try #require(result.first)
        #expect(result.count == 1)
        #expect(alert.kind == .violation)
        #expect(alert.period.kind == .preCampaign)
        #expect(alert.post.timeBasis == .published)
        #expect(alert.localTime == "2023-01-28T20:02:11+06:00")
        #expect(alert.matches.map(\.rule) == ["call-to-vote-ru", "support-request-en"])
    }

    @Test func after2024AlmatyAlertsCarryPlusFive() throws {
        let local = Subject(id: "local", name: "Local", elections: ["kz-local-2024"])
        let published = F.utc("2024-05-31T19:00Z")   // 00:00 on 1 June at +05: the silence begins
        let alert = try #require(alerts(F.post(published: published), subject: local, seen: published).first)
        #expect(alert.localTime == "2024-06-01T00:00:00+05:00")
        #expect(F.checked(alert)["period"]?["from"] == .string("2024-06-01T00:00:00+05:00"))
        #expect(alerts(F.post(published: published.addingTimeInterval(-1)), subject: local, seen: published).isEmpty)
    }

    @Test func campaigningInsideTheCampaignIsAllowed() {
        #expect(alerts(F.post(published: F.utc("2023-03-01T09:00Z")), seen: F.utc("2023-03-01T09:01Z")).isEmpty)
    }

    @Test func silenceAndVotingDayAreProhibited() {
        let silence = alerts(F.post(published: F.local("2023-03-18T00:00", F.almaty)), seen: F.utc("2023-03-18T00:00Z"))
        #expect(silence.map(\.period.kind) == [.silence])
        let voting = alerts(F.post(published: F.local("2023-03-19T19:59:59", F.almaty)), seen: F.utc("2023-03-19T14:00Z"))
        #expect(voting.map(\.period.kind) == [.voting])
        let afterPollsClose = alerts(F.post(published: F.local("2023-03-19T20:00", F.almaty)), seen: F.utc("2023-03-19T14:01Z"))
        #expect(afterPollsClose.isEmpty)
    }

    @Test func noMatchesNoFinding() {
        #expect(alerts(F.post(published: F.utc("2023-01-28T14:02:11Z")), seen: F.utc("2023-01-28T14:03Z"), matches: []).isEmpty)
    }

    @Test func outsideEveryPeriodIsNotJudged() {
        #expect(alerts(F.post(published: F.utc("2022-12-01T00:00Z")), seen: F.utc("2023-02-01T00:00Z")).isEmpty)
    }

    @Test func withoutAPlatformTimeTheFirstSightingCounts() throws {
        let seen = F.local("2023-03-18T10:00", F.almaty)
        let alert = try #require(alerts(F.post(published: nil), seen: seen).first)
        #expect(alert.post.timeBasis == .observed)
        #expect(alert.post.publishedAt == nil)
        #expect(alert.period.kind == .silence)
        #expect(alert.localTime == "2023-03-18T10:00:00+06:00")
    }

    @Test func aPlatformTimeLaterThanFirstSeenIsDistrusted() throws {
        // The feed claims the post is from the campaign, but it was seen during silence.
        let seen = F.local("2023-03-18T10:00", F.almaty)
        let claimed = F.local("2023-03-20T10:00", F.almaty)
        let alert = try #require(alerts(F.post(published: claimed), seen: seen).first)
        #expect(alert.post.timeBasis == .observed)
        #expect(alert.period.kind == .silence)
        #expect(alert.post.publishedAt == claimed)
        // Within the skew the platform's time is kept.
        let skewed = alerts(F.post(published: seen.addingTimeInterval(240)), seen: seen)
        #expect(skewed.first?.post.timeBasis == .published)
    }

    @Test func aSubjectInTwoElectionsIsJudgedAgainstEach() {
        // 2023-03-18 is silence in Kazakhstan; the Kyrgyz calendar has no period then.
        let account = F.temirov.accounts[0]
        let kzOnly = alerts(F.post(id: "aibek_temirov_blog/7", published: F.utc("2023-03-18T06:00Z")), subject: F.temirov,
                            account: account, seen: F.utc("2023-03-18T06:01Z"))
        #expect(kzOnly.map(\.election.id) == ["kz-mazhilis-2023"])
        // 2025-11-29T05:00Z is silence in Kyrgyzstan and outside the Kazakh calendar.
        let kgOnly = alerts(F.post(id: "aibek_temirov_blog/8", published: F.utc("2025-11-29T05:00Z")), subject: F.temirov,
                            account: account, seen: F.utc("2025-11-29T05:01Z"))
        #expect(kgOnly.map(\.election.id) == ["kg-jogorku-kenesh-2025"])
        #expect(kgOnly.first?.localTime == "2025-11-29T11:00:00+06:00")
    }

    @Test func eachElectionsRuleSelectorsPickItsMatches() {
        let both = Subject(id: "both", name: "Both", elections: ["kz-mazhilis-2023", "kg-jogorku-kenesh-2025"])
        let kzElection = F.kz, kgElection = F.kg
        let config = Configuration(stateDir: "/s", spool: SpoolSettings(dir: "/p"),
                                   elections: [kzElection, kgElection, Self.overlapping], subjects: [both], rules: F.rules)
        let matches = F.allMatches + [RuleMatch(rule: "party-slogan", terms: [TermMatch(term: "\"green steppe\"", start: 0, end: 5)])]
        // kg selects the tag call-to-vote (→ call-to-vote-ru) and the id support-request-en, not party-slogan.
        let kgPreview = JudgePreview.preview(subject: both, at: .instant(F.utc("2025-11-29T05:00Z")), configuration: config, matches: matches)
        #expect(kgPreview.first { $0.election.id == kgElection.id }?.matchedRules == ["call-to-vote-ru", "support-request-en"])
        #expect(kgPreview.first { $0.election.id == kgElection.id }?.wouldAlert == true)
        let onlySlogan = [matches[2]]
        let input = JudgeInput(post: F.post(published: F.utc("2025-11-29T05:00Z")), account: F.omarovaTelegram, subject: both,
                               firstSeenAt: F.utc("2025-11-29T05:01Z"), matches: onlySlogan)
        #expect(Judge.findings(for: input, configuration: config).isEmpty)
        // Without selectors (kz) every rule counts, in configuration order.
        let kzInput = JudgeInput(post: F.post(published: F.utc("2023-03-18T05:00Z")), account: F.omarovaTelegram, subject: both,
                                 firstSeenAt: F.utc("2023-03-18T05:01Z"), matches: matches.reversed())
        let kzFindings = Judge.findings(for: kzInput, configuration: config)
        #expect(kzFindings.map(\.matches).first?.map(\.rule) == ["call-to-vote-ru", "support-request-en", "party-slogan"])
        // A match of a rule that is no longer configured is ignored.
        let stale = JudgeInput(post: F.post(published: F.utc("2023-03-18T05:00Z")), account: F.omarovaTelegram, subject: both,
                               firstSeenAt: F.utc("2023-03-18T05:01Z"), matches: [RuleMatch(rule: "gone", terms: [])])
        #expect(Judge.findings(for: stale, configuration: config).isEmpty)
    }

    static let overlapping = Election(id: "unused", name: "Unused", timeZone: JudgeFixtures.almaty, periods: [])

    @Test func anEditOfAPostAlertedOnRefersToTheFirstAlert() throws {
        let published = F.utc("2023-01-28T14:02:11Z")
        let original = try #require(alerts(F.post(published: published), seen: F.utc("2023-01-28T14:03Z")).first)
        let previous = Alert.PreviousVersion(text: F.text, contentSHA256: original.post.contentSHA256, observedAt: original.post.observedAt)
        let edited = F.post(published: published, text: "Дорогие друзья! Увидимся 19 марта.", editedAt: F.utc("2023-02-01T08:00Z"))
        let result = alerts(edited, seen: F.utc("2023-01-28T14:03Z"), matches: [],
                            event: .changed(previous: previous, priorAlerts: [PriorAlert(electionID: "kz-mazhilis-2023", alertID: original.id)]),
                            versionSeen: F.utc("2023-02-01T08:05Z"))
        let edit = try #require(result.first)
        #expect(result.count == 1)
        #expect(edit.kind == .edit)
        #expect(edit.refersTo == original.id)
        #expect(edit.previous == previous)
        #expect(edit.matches.isEmpty)
        #expect(edit.period.kind == .preCampaign)
        #expect(edit.post.observedAt == F.utc("2023-02-01T08:05Z"))
        #expect(edit.id != original.id)
        #expect(edit.summary == "[campaignwatch] Asel Omarova: pre-campaign — no rule matches now (edited)")
        let json = F.checked(edit)
        #expect(json["previous"]?["content_sha256"]?.string == original.post.contentSHA256)
        #expect(json["refers_to"]?.string == original.id)
    }

    @Test func aPostEditedIntoCampaigningDuringSilenceIsAnEdit() throws {
        let published = F.local("2023-03-10T12:00", F.almaty)          // campaign: allowed
        let previous = Alert.PreviousVersion(text: "Hello", contentSHA256: String(repeating: "a", count: 64),
                                             observedAt: F.local("2023-03-10T12:01", F.almaty))
        let edited = F.post(published: published, editedAt: F.local("2023-03-18T09:00", F.almaty))
        let result = alerts(edited, seen: F.local("2023-03-10T12:01", F.almaty),
                            event: .changed(previous: previous, priorAlerts: []), versionSeen: F.local("2023-03-18T09:02", F.almaty))
        let edit = try #require(result.first)
        #expect(edit.kind == .edit)
        #expect(edit.refersTo == nil)
        #expect(edit.period.kind == .silence)
        #expect(edit.post.timeBasis == .published)
        #expect(edit.localTime == "2023-03-18T09:00:00+06:00")
        #expect(F.checked(edit)["refers_to"] == .null)
        // Without the platform's edit time, the moment the new version was seen is used.
        let unstamped = F.post(published: published)
        let observed = alerts(unstamped, seen: F.local("2023-03-10T12:01", F.almaty),
                              event: .changed(previous: previous, priorAlerts: []), versionSeen: F.local("2023-03-18T09:02", F.almaty))
        #expect(observed.first?.post.timeBasis == .observed)
        #expect(observed.first?.localTime == "2023-03-18T09:02:00+06:00")
        // An edit during the campaign of a campaign post is nothing.
        let harmless = alerts(unstamped, seen: F.local("2023-03-10T12:01", F.almaty),
                              event: .changed(previous: previous, priorAlerts: []), versionSeen: F.local("2023-03-11T09:02", F.almaty))
        #expect(harmless.isEmpty)
    }

    @Test func anyWatchedPostEditedInsideAProhibitedPeriodIsAnEditWhateverItMatches() throws {
        let published = F.local("2023-03-10T12:00", F.almaty)          // campaign: allowed
        let previous = Alert.PreviousVersion(text: "Встреча с избирателями", contentSHA256: String(repeating: "c", count: 64),
                                             observedAt: F.local("2023-03-10T12:01", F.almaty))
        let post = F.post(published: published, text: "Встреча с избирателями перенесена", editedAt: F.local("2023-03-18T09:00", F.almaty))
        let result = alerts(post, seen: F.local("2023-03-10T12:01", F.almaty), matches: [],
                            event: .changed(previous: previous, priorAlerts: []), versionSeen: F.local("2023-03-18T09:02", F.almaty))
        let edit = try #require(result.first)
        #expect(result.count == 1)
        #expect(edit.kind == .edit)
        #expect(edit.matches.isEmpty)
        #expect(edit.period.kind == .silence)
        #expect(edit.previous?.text == "Встреча с избирателями")
        #expect(edit.summary.hasSuffix("no rule matches now (edited)"))
        // The same edit during the campaign, and a first sighting without matches, are nothing.
        let duringCampaign = F.post(published: published, text: post.text, editedAt: F.local("2023-03-11T09:00", F.almaty))
        #expect(alerts(duringCampaign, seen: F.local("2023-03-10T12:01", F.almaty), matches: [],
                       event: .changed(previous: previous, priorAlerts: []), versionSeen: F.local("2023-03-11T09:02", F.almaty)).isEmpty)
        #expect(alerts(post, seen: F.local("2023-03-18T09:01", F.almaty), matches: []).isEmpty)
    }

    @Test func aNewVersionOfAPostPublishedInAProhibitedPeriodIsAViolation() throws {
        let previous = Alert.PreviousVersion(text: "Hello", contentSHA256: String(repeating: "b", count: 64),
                                             observedAt: F.utc("2023-01-28T14:03Z"))
        let result = alerts(F.post(published: F.utc("2023-01-28T14:02Z")), seen: F.utc("2023-01-28T14:03Z"),
                            event: .changed(previous: previous, priorAlerts: []), versionSeen: F.utc("2023-01-29T10:00Z"))
        #expect(result.map(\.kind) == [.violation])
        #expect(result.first?.previous == nil)
    }

    @Test func aFirstSightingEditedDuringSilenceIsJudgedAtTheEdit() throws {
        let post = F.post(published: F.local("2023-03-10T12:00", F.almaty), editedAt: F.local("2023-03-18T09:00", F.almaty))
        let alert = try #require(alerts(post, seen: F.local("2023-03-18T09:30", F.almaty)).first)
        #expect(alert.kind == .violation)
        #expect(alert.period.kind == .silence)
        #expect(alert.localTime == "2023-03-18T09:00:00+06:00")
    }

    @Test func aDeletedPostThatWasAlertedOnIsADeletion() throws {
        let published = F.utc("2023-01-28T14:02:11Z")
        let original = try #require(alerts(F.post(published: published), seen: F.utc("2023-01-28T14:03Z")).first)
        let gone = F.utc("2023-02-02T09:00Z")
        let result = alerts(F.post(published: published), seen: F.utc("2023-01-28T14:03Z"),
                            event: .gone(deletedAt: gone, priorAlerts: [PriorAlert(electionID: "kz-mazhilis-2023", alertID: original.id)]))
        let deletion = try #require(result.first)
        #expect(deletion.kind == .deletion)
        #expect(deletion.refersTo == original.id)
        #expect(deletion.deletedAt == gone)
        #expect(deletion.summary.hasSuffix("(deleted)"))
        let json = F.checked(deletion)
        #expect(json["deleted_at"]?.string == "2023-02-02T09:00:00Z")
        #expect(json.keys.suffix(2) == ["refers_to", "deleted_at"])
        // Never alerted on: its disappearance is not news.
        #expect(alerts(F.post(published: published), seen: F.utc("2023-01-28T14:03Z"), event: .gone(deletedAt: gone, priorAlerts: [])).isEmpty)
    }
}

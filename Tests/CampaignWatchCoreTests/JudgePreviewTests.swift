import CampaignWatchCore
import Foundation
import Testing

@Suite struct JudgePreviewTests {
    typealias F = JudgeFixtures

    @Test func aWallClockTimeIsReadInEachElectionsZone() throws {
        let at = try JudgePreview.At.parse("2023-03-18T12:00")
        let entries = JudgePreview.preview(subject: F.omarova, at: at, configuration: F.configuration)
        let entry = try #require(entries.first)
        #expect(entries.count == 1)
        #expect(entry.period?.kind == .silence)
        #expect(entry.instant == F.utc("2023-03-18T06:00Z"))
        #expect(entry.wouldAlert)
        #expect(entry.matchedRules == nil)
        #expect(entry.description == "kz-mazhilis-2023: 2023-03-18T12:00:00+06:00 (2023-03-18T06:00:00Z) is in silence "
            + "[2023-03-18T00:00:00+06:00, 2023-03-19T00:00:00+06:00), campaigning prohibited: a post matching any of "
            + "call-to-vote-ru, support-request-en, party-slogan would alert")
    }

    @Test func withATextTheVerdictFollowsItsMatches() throws {
        let at = try JudgePreview.At.parse("2023-01-28T14:02:11Z")
        let none = JudgePreview.preview(subject: F.omarova, at: at, configuration: F.configuration, matches: [])
        #expect(none.first?.wouldAlert == false)
        #expect(none.first?.description.hasSuffix("would not alert (no rule of this election matches)") == true)
        let some = JudgePreview.preview(subject: F.omarova, at: at, configuration: F.configuration, matches: F.allMatches)
        #expect(some.first?.wouldAlert == true)
        #expect(some.first?.description.hasSuffix("would alert (call-to-vote-ru, support-request-en)") == true)
    }

    @Test func campaignAndNoPeriodDoNotAlert() throws {
        let campaign = JudgePreview.preview(subject: F.omarova, at: try .parse("2023-03-01T12:00"), configuration: F.configuration,
                                            matches: F.allMatches)
        #expect(campaign.first?.wouldAlert == false)
        #expect(campaign.first?.description.hasSuffix("campaigning allowed: would not alert") == true)
        let outside = JudgePreview.preview(subject: F.omarova, at: try .parse("2024-01-01T12:00"), configuration: F.configuration)
        #expect(outside.first?.period == nil)
        #expect(outside.first?.description.hasSuffix("lies in no period: not judged") == true)
    }

    @Test func aSubjectInTwoElectionsGetsAnEntryForEach() throws {
        let entries = JudgePreview.preview(subject: F.temirov, at: try .parse("2025-11-29T09:00"), configuration: F.configuration)
        #expect(entries.map(\.election.id) == ["kz-mazhilis-2023", "kg-jogorku-kenesh-2025"])
        #expect(entries.map(\.period?.kind) == [nil, .silence])
        #expect(entries[1].selectedRules == ["call-to-vote-ru", "support-request-en"])
    }
}

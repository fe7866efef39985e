import CampaignWatchCore
import Foundation
import Testing

@Suite struct PeriodCalendarTests {
    typealias F = JudgeFixtures

    @Test func fromIsInclusiveAndToExclusive() {
        let campaignStart = F.local("2023-02-18T18:00", F.almaty)
        #expect(F.kz.period(at: campaignStart)?.kind == .campaign)
        #expect(F.kz.period(at: campaignStart.addingTimeInterval(-0.001))?.kind == .preCampaign)
        let silenceStart = F.local("2023-03-18T00:00", F.almaty)
        #expect(F.kz.period(at: silenceStart)?.kind == .silence)
        #expect(F.kz.period(at: silenceStart.addingTimeInterval(-1))?.kind == .campaign)
        let pollsClose = F.local("2023-03-19T20:00", F.almaty)
        #expect(F.kz.period(at: pollsClose.addingTimeInterval(-1))?.kind == .voting)
        #expect(F.kz.period(at: pollsClose) == nil)
        #expect(F.kz.period(at: F.local("2023-01-18T23:59:59", F.almaty)) == nil)
        #expect(F.kz.period(at: F.local("2023-01-19T00:00", F.almaty))?.kind == .preCampaign)
    }

    @Test func theCampaignStartIsReadAtPlusSixIn2023() {
        // 18:00 at +06 is 12:00Z; at +05 it would be 13:00Z. 12:30Z must already be campaign.
        #expect(F.kz.period(at: F.utc("2023-02-18T12:30Z"))?.kind == .campaign)
        #expect(F.kz.period(at: F.utc("2023-02-18T11:59:59Z"))?.kind == .preCampaign)
    }

    @Test func an2024AlmatyPeriodIsReadAtPlusFive() {
        // 2024-06-01T00:00 at +05 is 2024-05-31T19:00Z.
        #expect(F.kz2024.period(at: F.utc("2024-05-31T19:00Z"))?.kind == .silence)
        #expect(F.kz2024.period(at: F.utc("2024-05-31T18:30Z")) == nil)
        #expect(F.kz2024.period(at: F.utc("2024-06-01T18:59:59Z"))?.kind == .silence)
        #expect(F.kz2024.period(at: F.utc("2024-06-01T19:00Z")) == nil)
    }

    @Test func bishkekSilenceBeginsTwentyFourHoursBeforePollsOpen() {
        // Asia/Bishkek is +06: 08:00 local is 02:00Z.
        #expect(F.kg.period(at: F.utc("2025-11-29T01:59:59Z"))?.kind == .campaign)
        #expect(F.kg.period(at: F.utc("2025-11-29T02:00Z"))?.kind == .silence)
        #expect(F.kg.period(at: F.utc("2025-11-30T02:00Z"))?.kind == .voting)
        #expect(F.kg.period(at: F.utc("2025-11-30T14:00Z")) == nil)
    }

    @Test func prohibitedDefaultsFollowTheKind() {
        #expect(F.kz.periods.map(\.prohibited) == [true, false, true, true])
        #expect(ElectionPeriod(kind: .runoffCampaign, from: Date(), to: Date()).prohibited == false)
        #expect(ElectionPeriod(kind: .runoffSilence, from: Date(), to: Date()).prohibited == true)
        #expect(ElectionPeriod(kind: .campaign, from: Date(), to: Date(), prohibited: true).prohibited == true)
    }

    @Test func timeBasisPrefersThePlatformsTime() {
        let seen = F.utc("2023-02-20T10:15:01Z")
        let published = F.utc("2023-01-28T14:02:11Z")
        #expect(JudgedTime.of(platformTime: published, firstSeen: seen) == JudgedTime(instant: published, basis: .published))
        #expect(JudgedTime.of(platformTime: nil, firstSeen: seen) == JudgedTime(instant: seen, basis: .observed))
        // Up to five minutes in the future of first seen is clock skew, not a lie.
        let skewed = seen.addingTimeInterval(300)
        #expect(JudgedTime.of(platformTime: skewed, firstSeen: seen).basis == .published)
        let future = seen.addingTimeInterval(301)
        #expect(JudgedTime.of(platformTime: future, firstSeen: seen) == JudgedTime(instant: seen, basis: .observed))
    }
}

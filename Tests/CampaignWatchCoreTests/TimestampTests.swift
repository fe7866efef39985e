import CampaignWatchCore
import Foundation
import Testing

@Suite struct TimestampTests {
    @Test func rendersUTCWithZ() {
        #expect(Timestamp.utc(Date(timeIntervalSince1970: 1_674_914_531)) == "2023-01-28T14:02:11Z")
        #expect(Timestamp.utc(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00Z")
        #expect(Timestamp.utc(Date(timeIntervalSince1970: -1)) == "1969-12-31T23:59:59Z")
        #expect(Timestamp.utc(Date(timeIntervalSince1970: 951_782_400)) == "2000-02-29T00:00:00Z")
    }

    @Test func keepsMilliseconds() {
        #expect(Timestamp.utc(Date(timeIntervalSince1970: 1_674_914_531.25)) == "2023-01-28T14:02:11.250Z")
    }

    @Test func rendersTheOffsetTheZoneHadThen() throws {
        let almaty = try #require(TimeZone(identifier: "Asia/Almaty"))
        // Asia/Almaty was +06 in 2023 and +05 from 2024-03-01.
        #expect(Timestamp.local(Date(timeIntervalSince1970: 1_674_914_531), in: almaty) == "2023-01-28T20:02:11+06:00")
        #expect(Timestamp.local(Date(timeIntervalSince1970: 1_735_689_600), in: almaty) == "2025-01-01T05:00:00+05:00")
    }
}

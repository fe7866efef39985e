import CampaignWatchCore
import Foundation
import Testing

@Suite struct WallClockTimeTests {
    let almaty = TimeZone(identifier: "Asia/Almaty")!
    let utc = TimeZone(identifier: "UTC")!

    @Test func readsTheFormsTheConfigurationUses() throws {
        #expect(try WallClockTime.parse("2023-02-18T18:00") == WallClockTime(year: 2023, month: 2, day: 18, hour: 18))
        #expect(try WallClockTime.parse("2023-02-18 18:00:30") == WallClockTime(year: 2023, month: 2, day: 18, hour: 18, second: 30))
        #expect(try WallClockTime.parse("2023-02-18") == WallClockTime(year: 2023, month: 2, day: 18))
        #expect(try WallClockTime.parse("2023-02-18T12:00Z").offsetSeconds == 0)
        #expect(try WallClockTime.parse("2023-02-18T12:00:00+06:00").offsetSeconds == 21_600)
        #expect(try WallClockTime.parse("2023-02-18T12:00-03:30").offsetSeconds == -12_600)
    }

    @Test(arguments: ["18.02.2023", "2023-02-30T10:00", "2023-13-01", "2023-02-18T24:00", "2023-02-18T18", "2023-02-18T18:00+6",
                      "2023-02-18T18:00 Asia/Almaty", "", "2023-2-18"])
    func refusesWhatItCannotReadExactly(_ text: String) {
        #expect(throws: ConfigValueError.self) { try WallClockTime.parse(text) }
    }

    @Test func almatyWasSixHoursAheadIn2023() throws {
        let instant = try WallClockTime.parse("2023-02-18T18:00").resolve(in: almaty)
        #expect(Timestamp.utc(instant) == "2023-02-18T12:00:00Z")
        #expect(Timestamp.local(instant, in: almaty) == "2023-02-18T18:00:00+06:00")
    }

    @Test func almatyIsFiveHoursAheadSinceMarch2024() throws {
        let instant = try WallClockTime.parse("2024-06-01T18:00").resolve(in: almaty)
        #expect(Timestamp.utc(instant) == "2024-06-01T13:00:00Z")
        #expect(Timestamp.local(instant, in: almaty) == "2024-06-01T18:00:00+05:00")
        // The first day of the new offset.
        #expect(Timestamp.utc(try WallClockTime.parse("2024-03-01T12:00").resolve(in: almaty)) == "2024-03-01T07:00:00Z")
    }

    @Test func aWallClockHourThatOccurredTwiceIsItsFirstOccurrence() throws {
        // Almaty set its clocks back from 00:00 to 23:00 on 2024-02-29/03-01: 23:30 happened at +06, then at +05.
        let instant = try WallClockTime.parse("2024-02-29T23:30").resolve(in: almaty)
        #expect(Timestamp.utc(instant) == "2024-02-29T17:30:00Z")
    }

    @Test func aSkippedWallClockTimeIsAnError() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(throws: ConfigValueError.self) { try WallClockTime.parse("2023-03-26T02:30").resolve(in: berlin) }
        #expect(Timestamp.utc(try! WallClockTime.parse("2023-03-26T03:00").resolve(in: berlin)) == "2023-03-26T01:00:00Z")
    }

    @Test func anExplicitOffsetIgnoresTheZone() throws {
        let instant = try WallClockTime.parse("2023-02-18T12:00Z").resolve(in: almaty)
        #expect(Timestamp.utc(instant) == "2023-02-18T12:00:00Z")
        #expect(Timestamp.utc(try WallClockTime.parse("2023-02-18T18:00+06:00").resolve(in: utc)) == "2023-02-18T12:00:00Z")
    }

    @Test func timeZoneNamesAreIANANames() throws {
        #expect(try TimeZoneName.resolve("Asia/Bishkek").identifier == "Asia/Bishkek")
        let typo = #expect(throws: ConfigValueError.self) { try TimeZoneName.resolve("Asia/Almati") }
        #expect(typo?.message.contains("did you mean `Asia/Almaty`?") == true)
        let lower = #expect(throws: ConfigValueError.self) { try TimeZoneName.resolve("asia/almaty") }
        #expect(lower?.message.contains("`Asia/Almaty`") == true)
        let fixed = #expect(throws: ConfigValueError.self) { try TimeZoneName.resolve("GMT+6") }
        #expect(fixed?.message.contains("fixed offset") == true)
    }
}

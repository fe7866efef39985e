import CampaignWatchCore
import Testing

@Suite struct ConfigValueSyntaxTests {
    @Test func durations() throws {
        #expect(try ConfigValueSyntax.duration("30s") == 30)
        #expect(try ConfigValueSyntax.duration("5m") == 300)
        #expect(try ConfigValueSyntax.duration("2h") == 7200)
        #expect(try ConfigValueSyntax.duration("1d") == 86_400)
        #expect(try ConfigValueSyntax.duration("1h30m") == 5400)
        #expect(try ConfigValueSyntax.duration("1.5h") == 5400)
    }

    @Test(arguments: ["300", "5 min", "5x", "m", "", "1h30", "-5m"])
    func unreadableDurations(_ text: String) {
        #expect(throws: ConfigValueError.self) { try ConfigValueSyntax.duration(text) }
    }

    @Test func aBareNumberAsksForAUnit() {
        let error = #expect(throws: ConfigValueError.self) { try ConfigValueSyntax.duration("300") }
        #expect(error?.message.contains("no unit") == true)
    }

    @Test func sizes() throws {
        #expect(try ConfigValueSyntax.size("512KiB") == 524_288)
        #expect(try ConfigValueSyntax.size("10MiB") == 10_485_760)
        #expect(try ConfigValueSyntax.size("1GiB") == 1_073_741_824)
        #expect(try ConfigValueSyntax.size("800B") == 800)
        #expect(try ConfigValueSyntax.size("2MB") == 2_000_000)
        for bad in ["10", "10 Mb", "ten MiB", "10MiBs", "MiB"] {
            #expect(throws: ConfigValueError.self) { try ConfigValueSyntax.size(bad) }
        }
    }

    @Test func percentages() throws {
        #expect(try ConfigValueSyntax.percentage("10%") == 0.1)
        #expect(try ConfigValueSyntax.percentage("0%") == 0)
        #expect(try ConfigValueSyntax.percentage("2.5%") == 0.025)
        for bad in ["10", "0.1", "150%", "-1%", "%", "ten%"] {
            #expect(throws: ConfigValueError.self) { try ConfigValueSyntax.percentage(bad) }
        }
    }

    @Test func nearestNameSuggestsTyposOnly() {
        let keys = ["interval", "min_interval", "max_interval", "jitter", "timeout"]
        #expect(NearestName.suggest("intervall", among: keys) == "interval")
        #expect(NearestName.suggest("intevral", among: keys) == "interval")
        #expect(NearestName.suggest("min-interval", among: keys) == "min_interval")
        #expect(NearestName.suggest("colour", among: keys) == nil)
        #expect(NearestName.hint("jiter", among: keys) == "; did you mean `jitter`?")
    }
}

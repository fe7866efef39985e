import Foundation
import Testing

@Suite struct CheckCommandTests {
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/Fixtures/config")

    @Test func aValidConfigurationPrintsItsSummary() async throws {
        let path = Self.fixtures.appendingPathComponent("valid/campaignwatch.yaml").path
        let result = try await CLI.run(["check", "--config", path])
        #expect(result.status == 0, "\(result.stderr)")
        let out = result.stdout
        #expect(out.hasPrefix("configuration OK: \(path) (6 files, "))
        #expect(out.contains("elections: 2"))
        #expect(out.contains("  kz-mazhilis-2023: Mazhilis early elections 2023 [Asia/Almaty]"))
        // Each period in the election's local time and in UTC.
        #expect(out.contains("campaign      2023-02-18T18:00:00+06:00 – 2023-03-18T00:00:00+06:00  = 2023-02-18T12:00:00Z – 2023-03-17T18:00:00Z  allowed"))
        #expect(out.contains("silence       2025-11-29T08:00:00+06:00 – 2025-11-30T08:00:00+06:00  = 2025-11-29T02:00:00Z – 2025-11-30T02:00:00Z  prohibited"))
        #expect(out.contains("rules: 3 (selected by call-to-vote, support-request-en); subjects: 4"))
        #expect(out.contains("rules: 3 (every rule); subjects: 3"))
        #expect(out.contains("subjects: 6 (candidate 2, media 1, party 2, proxy 1)"))
        #expect(out.contains("accounts: 14 (bluesky 2, mastodon 2, rss 2, telegram 6, youtube 2)"))
        #expect(out.contains("rules: 3 (high 2, medium 1)"))
        #expect(out.contains("spool: " + Self.fixtures.appendingPathComponent("valid/spool").path + " (json)"))
        // The calendars are over by now: warnings, on stderr, never a failure.
        for line in result.stderr.split(separator: "\n") {
            #expect(line.contains(": warning: "), "\(line)")
        }
    }

    /// The shipped example must pass as is, whether or not its rules.d/ holds rules yet.
    @Test func theExampleConfigurationPasses() async throws {
        let path = CLI.repositoryRoot.appendingPathComponent("config/campaignwatch.yaml").path
        let result = try await CLI.run(["check", "--config", path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("kz-mazhilis-2023: Mazhilis early elections 2023 [Asia/Almaty]"))
        #expect(result.stdout.contains("kg-jogorku-kenesh-2025: Jogorku Kenesh early elections 2025 [Asia/Bishkek]"))
        #expect(result.stdout.contains("pre-campaign  2023-01-19T00:00:00+06:00 – 2023-02-18T18:00:00+06:00  = 2023-01-18T18:00:00Z – 2023-02-18T12:00:00Z  prohibited"))
        #expect(result.stdout.contains("voting        2025-11-30T08:00:00+06:00 – 2025-11-30T20:00:00+06:00"))
        let accounts = result.stdout.split(separator: "\n").first { $0.hasPrefix("accounts: ") }.map(String.init) ?? ""
        for platform in ["telegram", "bluesky", "mastodon", "youtube", "rss"] {
            #expect(accounts.contains(platform), "\(accounts)")
        }
    }

    @Test func everyErrorIsPrintedAndTheStatusIs78() async throws {
        let dir = Self.fixtures.appendingPathComponent("broken")
        let result = try await CLI.run(["check", "--config", "campaignwatch.yaml"], currentDirectory: dir)
        #expect(result.status == 78)
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n").map(String.init).filter { !$0.contains(": warning: ") }
        #expect(lines.map { $0.split(separator: ":").prefix(3).joined(separator: ":") } == [
            "campaignwatch.yaml:7:3", "elections.d/kz.yaml:4:15", "rules.d/rules.yaml:4:15",
            "watchlists.d/kz.yaml:6:19", "watchlists.d/kg.csv:2:33",
        ], "\(result.stderr)")
        #expect(lines[0].hasSuffix("did you mean `interval`? (known keys: interval, min_interval, max_interval, jitter, concurrency, per_host, timeout, max_body, user_agent, proxy)"))
        #expect(lines[1].contains("did you mean `Asia/Almaty`?"))
        #expect(lines[3].contains("without `@`"))
        #expect(lines[4].contains("unknown election `kg-2025`"))
    }

    @Test func aMissingFileIsAConfigurationError() async throws {
        let result = try await CLI.run(["check", "--config", "/nonexistent/campaignwatch.yaml"])
        #expect(result.status == 78)
        #expect(result.stderr.hasPrefix("/nonexistent/campaignwatch.yaml:1:1: cannot read"))
    }
}

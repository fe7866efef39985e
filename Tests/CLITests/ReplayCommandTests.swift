import Foundation
import Testing

/// `campaignwatch replay`: the archive the demo leaves behind, judged again with a configuration
/// whose rules changed; the spool read back as a consumer reads it.
@Suite struct ReplayCommandTests {
    let directory: URL
    let config = CLI.repositoryRoot.appendingPathComponent("config")

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-replay-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Polls the bundled demo sources into `state/` and `spool/`.
    func runDemo() async throws {
        let result = try await CLI.run(["demo", "--config", config.appendingPathComponent("campaignwatch.yaml").path,
                                  "--spool", path("spool"), "--state", path("state")], currentDirectory: directory)
        try #require(result.status == 0, "demo failed: \(result.stderr)")
    }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The example configuration on the same state and spool, with the rules of `ruleFiles`
    /// (from config/rules.d) plus `extraRules`.
    func writeConfiguration(ruleFiles: [String], extraRules: String? = nil) throws -> String {
        var include = ["elections.d/*.yaml", "watchlists.d/*.yaml", "watchlists.d/*.csv"].map { config.appendingPathComponent($0).path }
        include += ruleFiles.map { config.appendingPathComponent("rules.d/\($0)").path }
        if let extraRules {
            try Data(extraRules.utf8).write(to: directory.appendingPathComponent("extra-rules.yaml"))
            include.append("extra-rules.yaml")
        }
        let yaml = """
            state_dir: state
            spool:
              dir: spool
            include:
            \(include.map { "  - \"\($0)\"" }.joined(separator: "\n"))

            """
        let file = directory.appendingPathComponent("replay.yaml")
        try Data(yaml.utf8).write(to: file)
        return file.path
    }

    /// Every alert in spool/new: id → the ids of the rules it matched and its post id.
    func spooled() throws -> [String: (rules: Set<String>, post: String)] {
        let new = directory.appendingPathComponent("spool/new")
        var alerts: [String: (rules: Set<String>, post: String)] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: new.path) where name.hasSuffix(".json") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: new.appendingPathComponent(name))) as? [String: Any])
            let matches = try #require(object["matches"] as? [[String: Any]])
            let post = try #require(object["post"] as? [String: Any])
            alerts[try #require(object["id"] as? String)] = (Set(matches.compactMap { $0["rule"] as? String }), try #require(post["id"] as? String))
        }
        return alerts
    }

    static let callToVoteRules: Set<String> = ["call-to-vote-ru", "choose-us-ru", "call-to-vote-kk", "elect-us-kk",
                                                "call-to-vote-ky", "elect-us-ky", "call-to-vote-en"]

    @Test func theSameConfigurationChangesNothing() async throws {
        try await runDemo()
        let before = try spooled()
        let same = try writeConfiguration(ruleFiles: ["call-to-vote.yaml", "fundraising.yaml", "outcome-promise.yaml", "support-request.yaml"])
        let replay = try await CLI.run(["replay", "--config", same], currentDirectory: directory)
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        #expect(replay.stdout.contains("replayed 67 archived post(s)"), "\(replay.stdout)")
        #expect(replay.stdout.contains("violations: 0 new, 0 no longer raised, \(before.count) unchanged"), "\(replay.stdout)")
    }

    @Test func showsWhatARuleChangeAddsAndRemovesAndWritesTheNewOnesOnce() async throws {
        try await runDemo()
        let before = try spooled()
        let changed = try writeConfiguration(
            ruleFiles: ["fundraising.yaml", "outcome-promise.yaml", "support-request.yaml"],
            extraRules: """
                rules:
                  - id: silence-day-mention
                    query: '"день тишины" OR жымжырттык*'
                    severity: low
                """)
        // Alerts raised only by the rules left out are no longer raised; the rest stay.
        let dropped = before.filter { $0.value.rules.isSubset(of: Self.callToVoteRules) }
        #expect(!dropped.isEmpty)

        let replay = try await CLI.run(["replay", "--config", changed], currentDirectory: directory)
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        let out = replay.stdout
        for id in dropped.keys { #expect(out.contains(id), "\(id) should be listed as no longer raised") }
        #expect(out.contains("no longer raised"))
        #expect(out.contains("why: no rule of election"), "\(out)")
        #expect(out.contains("asel_omarova_kz/417"), "the silence-day post should be new: \(out)")
        let summary = try #require(out.split(separator: "\n").first { $0.hasPrefix("violations:") })
        #expect(summary.contains("\(dropped.count) no longer raised"), "\(summary)")
        #expect(summary.contains("\(before.count - dropped.count) unchanged"), "\(summary)")
        #expect(try spooled().count == before.count, "replay without --write must not touch the spool")

        let write = try await CLI.run(["replay", "--config", changed, "--write"], currentDirectory: directory)
        #expect(write.status == 0, "stderr: \(write.stderr)")
        let after = try spooled()
        let added = after.filter { before[$0.key] == nil }
        #expect(!added.isEmpty)
        #expect(added.values.allSatisfy { $0.rules == ["silence-day-mention"] })
        #expect(added.values.contains { $0.post == "asel_omarova_kz/417" })
        #expect(write.stdout.contains("spool/new: \(added.count) of \(added.count) new alert(s)"), "\(write.stdout)")
        // Each written alert's `evidence.archive` opens with zcat and hashes to its `raw_sha256`
        // (the object was packed by the poll; the replay wrote its loose file).
        for id in added.keys {
            let object = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("spool/new/\(id).json")))
            let evidence = try #require((object as? [String: Any])?["evidence"] as? [String: Any])
            let raw = try #require(evidence["raw_sha256"] as? String)
            let archive = try #require(evidence["archive"] as? String)
            let piped = try await CLI.runProgram(URL(fileURLWithPath: "/bin/sh"), ["-c", "zcat 'state/\(archive)' | sha256sum"],
                                                 currentDirectory: directory)
            #expect(piped.stdout.hasPrefix(raw + " "), "\(archive): \(piped.stdout)\(piped.stderr)")
        }

        // Written once: they count as raised now, and a second --write adds nothing.
        let again = try await CLI.run(["replay", "--config", changed, "--write"], currentDirectory: directory)
        #expect(again.status == 0)
        #expect(again.stdout.contains("violations: 0 new"), "\(again.stdout)")
        #expect(try spooled().count == after.count)
    }

    @Test func selectsPostsByTheirTime() async throws {
        try await runDemo()
        let same = try writeConfiguration(ruleFiles: ["call-to-vote.yaml"])
        // Kazakhstan 2023 only: the Kyrgyz posts are from 2024 and 2025.
        let replay = try await CLI.run(["replay", "--config", same, "--since", "2023-01-01T00:00Z", "--until", "2024-01-01T00:00Z"],
                                 currentDirectory: directory)
        #expect(replay.status == 0, "stderr: \(replay.stderr)")
        #expect(!replay.stdout.contains("alatoo_union"))
        let count = try #require(replay.stdout.split(separator: "\n").first.flatMap { line in
            line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        })
        #expect(count > 0 && count < 67, "\(replay.stdout)")

        let backwards = try await CLI.run(["replay", "--config", same, "--since", "2024-01-01", "--until", "2023-01-01"],
                                    currentDirectory: directory)
        #expect(backwards.status == 64)
        let unreadable = try await CLI.run(["replay", "--config", same, "--since", "yesterday"], currentDirectory: directory)
        #expect(unreadable.status == 64)
        #expect(unreadable.stderr.contains("--since"))
        // Two elections in two time zones: a time without an offset is ambiguous.
        let ambiguous = try await CLI.run(["replay", "--config", same, "--since", "2024-01-01"], currentDirectory: directory)
        #expect(ambiguous.status == 64)
        #expect(ambiguous.stderr.contains("give an offset"), "\(ambiguous.stderr)")
    }

    @Test func withoutAnArchiveItSaysWhatToDo() async throws {
        let same = try writeConfiguration(ruleFiles: ["call-to-vote.yaml"])
        let replay = try await CLI.run(["replay", "--config", same], currentDirectory: directory)
        #expect(replay.status == 1)
        #expect(replay.stderr.contains("poll --once"), "\(replay.stderr)")
    }
}

import Foundation
import Testing

@Suite struct MatchCommandTests {
    let directory: URL
    let rules: String

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-match-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        rules = directory.appendingPathComponent("rules.yaml").path
        try """
            rules:
              - id: call-to-vote-ru
                description: "Призыв голосовать"
                query: '(голосуй* OR "отдай* голос*") NEAR/3 (нас OR @names)'
                severity: high
                tags: [call-to-vote]
              - id: vote-en
                description: "Vote for us"
                query: '"vote for" ONEAR/1 (us OR @names)'
                severity: medium
                tags: [call-to-vote]
            """.write(toFile: rules, atomically: true, encoding: .utf8)
    }

    @Test func showsTheNormalisedTextAndTheMarkedTerms() async throws {
        let result = try await CLI.run(["match", "--rules", rules, "Гoлocуйтe за нас!"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("normalised: голосуите за нас"))
        #expect(result.stdout.contains("call-to-vote-ru (high): Призыв голосовать"))
        #expect(result.stdout.contains("[Гoлocуйтe] за [нас]!"))
        #expect(result.stdout.contains("terms: голосуй* 0-9, нас 13-16"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func readsStdinAndBindsNames() async throws {
        let result = try await CLI.run(["match", "--rules", rules, "--name", "Марат Жыланбаев"], stdin: Data("Vote for Marat? No: vote for Марата Жыланбаева".utf8))
        #expect(result.status == 0)
        #expect(result.stdout.contains("vote-en (medium)"))
        #expect(result.stdout.contains("[vote for] [Марата Жыланбаева]"))
    }

    @Test func exitsWithOneWhenNothingMatches() async throws {
        let result = try await CLI.run(["match", "--rules", rules, "Погода на завтра"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("no rule matched"))
    }

    @Test func matchesJSONLinesAndNamesBadLines() async throws {
        let input = """
            {"id": "a1", "text": "Голосуйте за нас", "published_at": "2023-01-28T14:02:11Z"}
            {"id": "a2", "text": broken}
            {"id": 3, "text": "nothing to see"}
            {"id": "a4", "title": "Отдайте голоса", "text": "за нас"}
            """
        let result = try await CLI.run(["match", "--rules", rules, "--jsonl", "-"], stdin: Data(input.utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("stdin:2: not valid JSON"))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"{"id":"a1","rules":["call-to-vote-ru"],"matches":[{"rule":"call-to-vote-ru","terms":[{"term":"голосуй*","start":0,"end":9},{"term":"нас","start":13,"end":16}]}]}"#,
        ])
        let clean = try await CLI.run(["match", "--rules", rules, "--jsonl", "-"], stdin: Data(#"{"id":"x","text":"голосуйте за нас"}"#.utf8))
        #expect(clean.status == 0)
    }

    @Test func reportsRuleFileErrorsWithTheirPosition() async throws {
        let bad = directory.appendingPathComponent("bad.yaml").path
        try "rules:\n  - id: call-to-vote-ru\n    query: '(голосуй* OR \"отдай* голос*\") NEAR/x нас'\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try await CLI.run(["match", "--rules", bad, "голосуйте"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("bad.yaml:3:43: rule `call-to-vote-ru`: NEAR/ needs a number, found \"x\""))
    }

    @Test func readsEveryRuleFileOfADirectory() async throws {
        let root = CLI.repositoryRoot.appendingPathComponent("config/rules.d").path
        let result = try await CLI.run(["match", "--rules", root, "--name", "Марат Жыланбаев", "Мени шайлагыла! Маған дауыс беріңіздер!"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("elect-us-ky (high)"))
        #expect(result.stdout.contains("call-to-vote-kk (high)"))
    }

    @Test func needsAConfigurationWithoutRulesFiles() async throws {
        let missing = directory.appendingPathComponent("absent.yaml").path
        let result = try await CLI.run(["match", "--config", missing, "vote"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("absent.yaml"))
    }

    var exampleConfig: String { CLI.repositoryRoot.appendingPathComponent("config/campaignwatch.yaml").path }

    @Test func matchesTheRulesOfTheConfiguration() async throws {
        let result = try await CLI.run(["match", "--config", exampleConfig, "Маған дауыс беріңіздер!"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("call-to-vote-kk (high)"))
        // Without a subject, @names stands for nobody and no period is judged.
        #expect(!result.stdout.contains("would alert"))
    }

    @Test func judgesAsTheSubjectAtATime() async throws {
        let text = "Маған дауыс беріңіздер! Омароваға дауыс беріңіз"
        // 12:00 on the silence day, in the election's zone (Asia/Almaty, +06:00).
        let silence = try await CLI.run(["match", "--config", exampleConfig, "--subject", "omarova", "--at", "2023-03-18T12:00", text])
        #expect(silence.status == 0, "\(silence.stderr)")
        #expect(silence.stdout.contains("[Омароваға]"), "the subject's names bind @names")
        #expect(silence.stdout.contains("@names 24-33"))
        #expect(silence.stdout.contains("kz-mazhilis-2023: 2023-03-18T12:00:00+06:00 (2023-03-18T06:00:00Z) is in silence"))
        #expect(silence.stdout.contains("campaigning prohibited: would alert (call-to-vote-kk)"))
        // The same text in the campaign period, given as an instant.
        let campaign = try await CLI.run(["match", "--config", exampleConfig, "--subject", "omarova", "--at", "2023-02-20T12:00:00Z", text])
        #expect(campaign.status == 0)
        #expect(campaign.stdout.contains("(2023-02-20T12:00:00Z) is in campaign"))
        #expect(campaign.stdout.contains("campaigning allowed: would not alert"))
        // Nothing matched on the silence day: no alert.
        let quiet = try await CLI.run(["match", "--config", exampleConfig, "--subject", "omarova", "--at", "2023-03-18T12:00", "Ауа райы"])
        #expect(quiet.status == 1)
        #expect(quiet.stdout.contains("would not alert (no rule of this election matches)"))
        // Before the first period: not judged.
        let before = try await CLI.run(["match", "--config", exampleConfig, "--subject", "omarova", "--at", "2022-12-01T12:00", text])
        #expect(before.stdout.contains("lies in no period: not judged"))
    }

    @Test func judgesRulesFilesAgainstTheConfigurationsCalendar() async throws {
        // Rules from --rules, the subject and its elections from --config.
        let result = try await CLI.run(["match", "--config", exampleConfig, "--rules", rules, "--subject", "omarova", "--at", "2023-03-18T09:00",
                                  "Голосуйте за кандидата Омарова!"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("call-to-vote-ru (high)"))
        #expect(!result.stdout.contains("call-to-vote-kk"))
        #expect(result.stdout.contains("would alert (call-to-vote-ru)"))
    }

    @Test func reportsUsageMistakesOfSubjectAndTime() async throws {
        let unknown = try await CLI.run(["match", "--config", exampleConfig, "--subject", "Omarova", "--at", "2023-03-18T12:00", "x"])
        #expect(unknown.status == 64)
        #expect(unknown.stderr.contains("no subject `Omarova`"))
        #expect(unknown.stderr.contains("did you mean `omarova`?"))
        let time = try await CLI.run(["match", "--config", exampleConfig, "--subject", "omarova", "--at", "yesterday", "x"])
        #expect(time.status == 64)
        #expect(time.stderr.contains("`yesterday` is not a date and time"))
        let alone = try await CLI.run(["match", "--config", exampleConfig, "--at", "2023-03-18T12:00", "x"])
        #expect(alone.status == 64)
        #expect(alone.stderr.contains("--at needs --subject"))
    }

    @Test func bindsEachPostsSubjectInJSONLines() async throws {
        let input = """
            {"id": "p1", "subject": "omarova", "text": "Голосуйте за кандидата Омарова"}
            {"id": "p2", "text": "Голосуйте за кандидата Омарова"}
            {"id": "p3", "subject": "nobody", "text": "Голосуйте за нас"}
            """
        let result = try await CLI.run(["match", "--config", exampleConfig, "--rules", rules, "--jsonl", "-"], stdin: Data(input.utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("stdin:3: no subject `nobody`"))
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(lines.first?.hasPrefix(#"{"id":"p1","rules":["call-to-vote-ru"]"#) == true)
    }
}

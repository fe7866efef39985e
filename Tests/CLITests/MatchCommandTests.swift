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

    @Test func showsTheNormalisedTextAndTheMarkedTerms() throws {
        let result = try CLI.run(["match", "--rules", rules, "Гoлocуйтe за нас!"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("normalised: голосуите за нас"))
        #expect(result.stdout.contains("call-to-vote-ru (high): Призыв голосовать"))
        #expect(result.stdout.contains("[Гoлocуйтe] за [нас]!"))
        #expect(result.stdout.contains("terms: голосуй* 0-9, нас 13-16"))
        #expect(!result.stdout.contains("\u{1B}["))
    }

    @Test func readsStdinAndBindsNames() throws {
        let result = try CLI.run(["match", "--rules", rules, "--name", "Марат Жыланбаев"], stdin: Data("Vote for Marat? No: vote for Марата Жыланбаева".utf8))
        #expect(result.status == 0)
        #expect(result.stdout.contains("vote-en (medium)"))
        #expect(result.stdout.contains("[vote for] [Марата Жыланбаева]"))
    }

    @Test func exitsWithOneWhenNothingMatches() throws {
        let result = try CLI.run(["match", "--rules", rules, "Погода на завтра"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("no rule matched"))
    }

    @Test func matchesJSONLinesAndNamesBadLines() throws {
        let input = """
            {"id": "a1", "text": "Голосуйте за нас", "published_at": "2023-01-28T14:02:11Z"}
            {"id": "a2", "text": broken}
            {"id": 3, "text": "nothing to see"}
            {"id": "a4", "title": "Отдайте голоса", "text": "за нас"}
            """
        let result = try CLI.run(["match", "--rules", rules, "--jsonl", "-"], stdin: Data(input.utf8))
        #expect(result.status == 65)
        #expect(result.stderr.contains("stdin:2: not valid JSON"))
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            #"{"id":"a1","rules":["call-to-vote-ru"],"matches":[{"rule":"call-to-vote-ru","terms":[{"term":"голосуй*","start":0,"end":9},{"term":"нас","start":13,"end":16}]}]}"#,
        ])
        let clean = try CLI.run(["match", "--rules", rules, "--jsonl", "-"], stdin: Data(#"{"id":"x","text":"голосуйте за нас"}"#.utf8))
        #expect(clean.status == 0)
    }

    @Test func reportsRuleFileErrorsWithTheirPosition() throws {
        let bad = directory.appendingPathComponent("bad.yaml").path
        try "rules:\n  - id: call-to-vote-ru\n    query: '(голосуй* OR \"отдай* голос*\") NEAR/x нас'\n"
            .write(toFile: bad, atomically: true, encoding: .utf8)
        let result = try CLI.run(["match", "--rules", bad, "голосуйте"])
        #expect(result.status == 78)
        #expect(result.stderr.contains("bad.yaml:3:43: rule `call-to-vote-ru`: NEAR/ needs a number, found \"x\""))
    }

    @Test func readsEveryRuleFileOfADirectory() throws {
        let root = CLI.repositoryRoot.appendingPathComponent("config/rules.d").path
        let result = try CLI.run(["match", "--rules", root, "--name", "Марат Жыланбаев", "Мени шайлагыла! Маған дауыс беріңіздер!"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("elect-us-ky (high)"))
        #expect(result.stdout.contains("call-to-vote-kk (high)"))
    }

    @Test func asksForRules() throws {
        let result = try CLI.run(["match", "vote"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--rules FILE"))
    }
}

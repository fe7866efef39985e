import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct RulesFileTests {
    @Test func readsRules() throws {
        let rules = try RulesFile.parse("""
            rules:
              - id: call-to-vote-ru
                description: "Призыв голосовать"
                query: 'голосуй* NEAR/3 (нас OR @names)'
                severity: high
                tags: [call-to-vote]
              - id: plain
                query: vote
            """, file: "r.yaml")
        #expect(rules == [
            RuleDefinition(id: "call-to-vote-ru", description: "Призыв голосовать", query: "голосуй* NEAR/3 (нас OR @names)",
                           severity: .high, tags: ["call-to-vote"]),
            RuleDefinition(id: "plain", query: "vote"),
        ])
    }

    @Test func pointsQueryErrorsAtTheirLineAndColumnInTheFile() {
        #expect(throws: RulesFile.Failure.self) {
            try RulesFile.parse("rules:\n  - id: call-to-vote-ru\n    query: '(голосуй* OR \"отдай* голос*\") NEAR/x нас'\n", file: "r.yaml")
        }
        let problems = failure("rules:\n  - id: call-to-vote-ru\n    query: '(голосуй* OR \"отдай* голос*\") NEAR/x нас'\n")
        #expect(problems == ["r.yaml:3:43: rule `call-to-vote-ru`: NEAR/ needs a number, found \"x\""])
        // A plain (unquoted) value: no quote to skip.
        #expect(failure("rules:\n  - id: a\n    query: vote NEAR/ us\n") == ["r.yaml:3:17: rule `a`: NEAR/ needs a number, found nothing"])
    }

    @Test func reportsEveryProblemOfEveryRule() {
        let problems = failure("""
            rules:
              - id: a
                qurey: vote
              - id: b
                query: vote
                severity: urgent
              - id: c
                query: NOT vote
            """)
        #expect(problems == [
            "r.yaml:2:5: rule `a` has no `query`: a rule needs an `id` and a `query`",
            "r.yaml:3:5: unknown key `qurey` in a rule; did you mean `query`? (known keys: id, description, query, severity, tags)",
            "r.yaml:6:15: `urgent` is not a valid severity (one of: low, medium, high)",
            "r.yaml:8:12: rule `c`: the query can never match: it has only NOT terms; add a word the post must contain",
        ])
        // Only `rules:` belongs in a rules file.
        #expect(failure("rules:\n  - id: a\n    query: x\nsubjects: []\n")
            == ["r.yaml:4:1: a rules file holds only `rules`; `subjects` belongs in the configuration"])
    }

    @Test func readsRulesAsTheConfigurationDoes() throws {
        // The example rule files, read one by one as rules files and through the example
        // configuration that includes them: the same rules, in the same order.
        let config = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("config")
        let fromFiles = try RulesFile.files(at: config.appendingPathComponent("rules.d").path).flatMap { try RulesFile.load($0) }
        let loaded = ConfigurationLoader().load(path: config.appendingPathComponent("campaignwatch.yaml").path)
        #expect(loaded.errors.map(\.description) == [])
        #expect(fromFiles.count >= 10)
        #expect(fromFiles == loaded.configuration?.rules)
    }

    @Test func reportsDuplicateIds() {
        #expect(failure("rules:\n  - id: a\n    query: x\n  - id: a\n    query: y\n")
            == ["r.yaml:4:9: duplicate rule id `a`: it is first defined at r.yaml:2:9; give each rule its own id"])
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirPosition() {
        let problems = failure("rules:\n  - id: a\n    query: 'unterminated\n")
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("r.yaml:4:1: YAML syntax error: found unexpected end of stream"))
    }

    private func failure(_ yaml: String) -> [String] {
        do {
            _ = try RulesFile.parse(yaml, file: "r.yaml")
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }
}

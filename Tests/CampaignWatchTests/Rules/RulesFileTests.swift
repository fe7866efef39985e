import CampaignWatch
import CampaignWatchCore
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
        #expect(problems == ["r.yaml:3:43: rule call-to-vote-ru, column 31: NEAR/ needs a number, found \"x\""])
        // A plain (unquoted) value: no quote to skip.
        #expect(failure("rules:\n  - id: a\n    query: vote NEAR/ us\n") == ["r.yaml:3:17: rule a, column 6: NEAR/ needs a number, found nothing"])
    }

    @Test func reportsEveryProblemOfEveryRule() {
        let problems = failure("""
            rules:
              - id: a
                qurey: vote
              - id: b
                query: NOT vote
                severity: urgent
              - id: a
                query: fine
            """)
        #expect(problems == [
            "r.yaml:3:5: unknown key `qurey` in a rule (did you mean `query`?)",
            "r.yaml:2:5: rule a has no `query`",
            "r.yaml:6:15: `severity` must be low, medium or high, found `urgent`",
            "r.yaml:5:12: rule b, column 1: the query can never match: it has only NOT terms; add a word the post must contain",
        ])
    }

    @Test func reportsDuplicateIds() {
        #expect(failure("rules:\n  - id: a\n    query: x\n  - id: a\n    query: y\n") == ["r.yaml:4:5: rule id `a` is used twice (first at line 2)"])
    }

    @Test func reportsYAMLSyntaxErrorsWithTheirPosition() {
        let problems = failure("rules:\n  - id: a\n    query: 'unterminated\n")
        #expect(problems.count == 1)
        #expect(problems[0].hasPrefix("r.yaml:4:1: not valid YAML") || problems[0].hasPrefix("r.yaml:3:"))
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

@testable import CampaignWatchCore
import Testing

private func render(_ query: String) -> String {
    switch QueryParser.parse(query) {
    case .success(let node): return render(node)
    case .failure(let failure): return "error: " + failure.errors.map(\.message).joined(separator: "; ")
    }
}

private func render(_ node: QueryNode) -> String {
    switch node {
    case .term(let term): term.text
    case .and(let a, let b): "(\(render(a)) AND \(render(b)))"
    case .or(let a, let b): "(\(render(a)) OR \(render(b)))"
    case .not(let a, _): "NOT \(render(a))"
    case .near(let a, let b, let n, let ordered, _): "(\(render(a)) \(ordered ? "ONEAR" : "NEAR")/\(n) \(render(b)))"
    }
}

private func errors(_ query: String, id: String = "r") -> [String] {
    RuleEngine.errors(in: RuleDefinition(id: id, query: query)).map(\.description)
}

@Suite struct QueryParserTests {
    @Test func parsesEveryConstruct() {
        #expect(render("vote now") == "(vote AND now)")
        #expect(render("vote AND now") == "(vote AND now)")
        #expect(render("a OR b c") == "(a OR (b AND c))")
        #expect(render("NOT a b") == "(NOT a AND b)")
        #expect(render("b -a") == "(b AND NOT a)")
        #expect(render("b -\"a c\"") == "(b AND NOT \"a c\")")
        #expect(render("(a OR b*) NEAR/3 c") == "((a OR b*) NEAR/3 c)")
        #expect(render("a ONEAR/2 \"b c*\"") == "(a ONEAR/2 \"b c*\")")
        #expect(render("a NEAR/1 b NEAR/2 c") == "((a NEAR/1 b) NEAR/2 c)")
        #expect(render("#VoteFor @names") == "(#VoteFor AND @names)")
        #expect(render("из-за") == "из-за")
        // Lower-case operators are words; operators inside phrases are words.
        #expect(render("a and b or c not d") == "((((((a AND and) AND b) AND or) AND c) AND not) AND d)")
        #expect(render("\"vote OR die\"") == "\"vote OR die\"")
        // NOT binds to the NEAR expression that follows it, tighter than AND and OR.
        #expect(render("x -a NEAR/2 b OR c") == "((x AND NOT (a NEAR/2 b)) OR c)")
        // Typographic quotes, as pasted from a document.
        #expect(render("«отдайте голос» “vote now”") == "(«отдайте голос» AND “vote now”)")
    }

    @Test func reportsTheColumnWhatWasExpectedAndWhatWasFound() {
        #expect(errors("(голосуй* OR \"отдай* голос*\") NEAR/x нас", id: "call-to-vote-ru")
            == ["rule call-to-vote-ru, column 31: NEAR/ needs a number, found \"x\""])
        #expect(errors("a NEAR/ b") == ["rule r, column 3: NEAR/ needs a number, found nothing"])
        #expect(errors("a ONEAR/500 b") == ["rule r, column 3: ONEAR/500 is too far: at most ONEAR/100"])
        #expect(errors("a near/3 b") == ["rule r, column 3: \"near/3\": operators are upper-case (NEAR/3); to search these words, quote them"])
        #expect(errors("vote \"for us") == ["rule r, column 6: unterminated phrase: no closing \" for the \" at column 6"])
        #expect(errors("vote \"\"") == ["rule r, column 6: the phrase \"\" is empty and can never match"])
        #expect(errors("г* OR vote") == ["rule r, column 1: \"г*\" matches too much: a wildcard needs at least 2 letters before *"])
        #expect(errors("го*лос") == ["rule r, column 3: \"*\" is allowed only at the end of a word, found \"го*лос\""])
        #expect(errors("vote @name") == ["rule r, column 6: unknown \"@name\": the only @-term is @names (the names of the account's subject)"])
        #expect(errors("vote #") == ["rule r, column 6: \"#\" needs a hashtag after it, as in #vote"])
        #expect(errors("vote )") == ["rule r, column 6: unbalanced \")\": no \"(\" before it"])
        #expect(errors("(vote OR poll") == ["rule r, column 1: \"(\" at column 1 is never closed"])
        #expect(errors("vote ()") == ["rule r, column 7: empty parentheses"])
        #expect(errors("vote AND") == ["rule r, column 9: AND needs a term after it, found the end of the query"])
        #expect(errors("OR vote") == ["rule r, column 1: expected a word, phrase, hashtag, @names or \"(\", found OR"])
        #expect(errors("a NEAR/2 NOT b") == ["rule r, column 10: NEAR/2 needs a term after it, found NOT"])
        #expect(errors("(a AND b) NEAR/3 c") == ["rule r, column 11: NEAR/3 joins words, phrases, wildcards, hashtags, @names or OR-groups of these; found an AND-group"])
        #expect(errors("vote !!!") == ["rule r, column 6: \"!!!\" has no letters or digits to match"])
        #expect(errors("vote - poll") == ["rule r, column 6: \"-\" must be attached to the term it excludes, as in -word or -\"a phrase\""])
        #expect(errors("   ") == ["rule r, column 1: the query is empty"])
    }

    @Test func rejectsRulesThatCanNeverMatchOrMatchEverything() {
        #expect(errors("NOT vote") == ["rule r, column 1: the query can never match: it has only NOT terms; add a word the post must contain"])
        #expect(errors("-vote -poll") == ["rule r, column 1: the query can never match: it has only NOT terms; add a word the post must contain"])
        #expect(errors("vote OR NOT poll") == [
            "rule r, column 9: the query matches posts that contain none of its words (the NOT at column 9 stands alone in an OR); "
                + "put a word beside every NOT, as in vote AND NOT poll",
        ])
        #expect(errors("vote AND NOT poll").isEmpty)
        #expect(errors("(vote OR poll) -spam").isEmpty)
    }

    @Test func reportsEveryLexicalErrorOfARule() {
        #expect(errors("a NEAR/x b OR @foo OR го*лос").count == 3)
    }

    @Test func reportsEveryRuleAndDuplicateIds() throws {
        let rules = [
            RuleDefinition(id: "one", query: "vote NEAR/x us"),
            RuleDefinition(id: "two", query: "fine"),
            RuleDefinition(id: "three", query: "NOT vote"),
            RuleDefinition(id: "two", query: "also fine"),
        ]
        #expect(throws: RuleCompileErrors.self) { try RuleEngine(rules: rules) }
        do {
            _ = try RuleEngine(rules: rules)
        } catch {
            #expect(error.errors.map(\.rule) == ["one", "two", "three"])
            #expect(error.errors[1].message == "another rule has the same id; rule ids must be unique")
        }
    }
}

@testable import CampaignWatchCore
import Testing

/// A matcher's word cache changes how fast it matches, never what: the same posts give the same
/// matches (rules, terms, offsets, fields) without a cache, with one that keeps every word, and
/// with one so small that it fills up and is emptied all the time.
@Suite struct CachedMatchingTests {
    @Test func sameMatchesWithAndWithoutTheWordCache() throws {
        let queries = [
            "vote", "vot*", "голосуй*", "\"голосуйте за\" OR поддержите", "(голосуй* OR vote*) NEAR/3 (нас OR us)",
            "#voteformarat", "#vote*", "беріңіздер", "dauys NEAR/2 ber*", "нас AND NOT шоке", "@names", "жыланбаев*",
            "hope", "нас", "\"vote for\"", "support* ONEAR/4 campaign", "жизнь OR дом*",
        ]
        let engine = try RuleEngine(rules: queries.enumerated().map { RuleDefinition(id: "r\($0.offset)", query: $0.element) })
        let names = engine.bind(names: ["Марат Жыланбаев", "Zhylanbayev"])
        let pieces = [
            "голосуйте", "Голосуйте", "ГОЛОСУЙТЕ", "поддержите", "нас", "НАС", "за", "и", "в", "а", "я", "шоке", "vote", "Vote",
            "votes", "voters", "for", "us", "I", "a", "Marat", "Жыланбаева", "Жыланбаевқа", "Zhylanbayev", "беріңіздер",
            "berińizder", "dauys", "HAC", "BOT", "НОРЕ", "hope", "нac", "hоpе", "гoлocуйтe", "vоte", "#VoteForMarat",
            "#vote_for", "@marat", "2024", "г0л0с", "support", "supporters", "campaign", "дом", "дома", "жизнь", "🔥",
            "г о л о с у й т е", "голосууууйте", "vooote", "из-за", "vote.for", "ёлка", "word_", "\u{200B}",
        ]
        let gaps = [" ", " ", " ", ", ", ". ", "-", "\n", " 🔥 ", "!", "", "  ", "_", "’"]
        var random = SeededRandom(seed: 7)
        func below(_ n: Int) -> Int { Int(random.next() % UInt64(n)) }
        var posts: [(text: String, title: String?)] = []
        for _ in 0..<1_500 {
            var text = ""
            for _ in 0..<(1 + below(30)) { text += pieces[below(pieces.count)] + gaps[below(gaps.count)] }
            posts.append((text, below(4) == 0 ? pieces[below(pieces.count)] + " " + pieces[below(pieces.count)] : nil))
        }

        let plain = RuleMatcher(engine: engine, cachedWords: nil)
        let roomy = RuleMatcher(engine: engine, cachedWords: WordCache.defaultEntries)
        let tiny = RuleMatcher(engine: engine, cachedWords: 6)
        var matched = 0
        for round in 0..<2 {
            for post in posts {
                let bound = post.text.count % 2 == 0 ? names : nil
                let expected = plain.match(text: post.text, title: post.title, names: bound)
                if round == 0 && !expected.isEmpty { matched += 1 }
                #expect(roomy.match(text: post.text, title: post.title, names: bound) == expected, "\(post)")
                #expect(tiny.match(text: post.text, title: post.title, names: bound) == expected, "\(post)")
            }
        }
        #expect(matched > 1_000)
        #expect(roomy.wordCache.count > 40 && roomy.wordCache.clears == 0)
        #expect(tiny.wordCache.clears > 100)
    }

    /// A matcher has a word cache only when its engine has enough words for the cache to pay.
    @Test func onlyEnginesWithManyWordsGetACache() throws {
        // Distinct words of distinct keys: no letter repeats beside itself, no look-alike reading.
        let positions = [Array("бвгд"), Array("клмн"), Array("прст"), Array("фхцч")]
        func word(_ i: Int) -> String { "жы" + String((0..<4).map { positions[$0][i >> (2 * $0) & 3] }) }
        func words(_ count: Int) -> [RuleDefinition] {
            (0..<count).map { RuleDefinition(id: "w\($0)", query: word($0)) }
        }
        let small = try RuleEngine(rules: words(RuleMatcher.wordCacheThreshold - 1))
        let large = try RuleEngine(rules: words(RuleMatcher.wordCacheThreshold))
        #expect(small.statistics.keys == RuleMatcher.wordCacheThreshold - 1)
        #expect(large.statistics.keys == RuleMatcher.wordCacheThreshold)
        let text = "голосуйте \(word(200)) за нас \(word(200).uppercased())"
        let smallMatcher = small.makeMatcher(), largeMatcher = large.makeMatcher()
        #expect(smallMatcher.match(text: text).map(\.rule) == largeMatcher.match(text: text).map(\.rule))
        #expect(largeMatcher.match(text: text).count == 1)
        #expect(smallMatcher.wordCache.count == 0)
        #expect(largeMatcher.wordCache.count > 0)
    }
}

import CampaignWatchCore
import Testing

private func engine(_ queries: [String: String]) throws -> RuleEngine {
    try RuleEngine(rules: queries.sorted { $0.key < $1.key }.map { RuleDefinition(id: $0.key, query: $0.value) })
}

/// Whether the single rule `query` matches `text`.
private func matches(_ query: String, _ text: String, names: [String]? = nil) throws -> Bool {
    let engine = try RuleEngine(rules: [RuleDefinition(id: "r", query: query)])
    return !engine.match(text: text, names: names.map { engine.bind(names: $0) }).isEmpty
}

private func slice(_ text: String, _ term: TermMatch) -> String {
    String(String.UnicodeScalarView(Array(text.unicodeScalars)[term.start..<term.end]))
}

@Suite struct MatcherTests {
    /// Word-table lookups: prefixes of every length (also longer than 63 letters) and exact
    /// words among many rules, hashtag prefixes, and the Cyrillic reading of a Latin word.
    @Test func prefixesOfEveryLengthAmongManyRules() throws {
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        let long = String((0..<80).map { letters[$0 % 26] })
        var queries: [String: String] = [:]
        for length in 2...70 { queries["p\(length)"] = String(long.prefix(length)) + "*" }
        queries["exact"] = String(long.prefix(75))
        queries["hash"] = "#votefor*"
        queries["cyrillic"] = "голосуй*"
        let engine = try engine(queries)
        let found = Set(engine.match(text: "x \(long.prefix(40)) y").map(\.rule))
        #expect(found == Set((2...40).map { "p\($0)" }))
        let all = Set(engine.match(text: String(long.prefix(75))).map(\.rule))
        #expect(all == Set((2...70).map { "p\($0)" } + ["exact"]))
        #expect(Set(engine.match(text: "#VoteForMarat").map(\.rule)) == ["hash"])
        #expect(Set(engine.match(text: "golosuyte").map(\.rule)) == ["cyrillic"])
        #expect(engine.match(text: "голос vote").isEmpty)
    }

    @Test func juxtapositionAndOrNot() throws {
        #expect(try matches("vote now", "Now, vote!"))
        #expect(try !matches("vote now", "vote later"))
        #expect(try matches("vote OR support", "please support"))
        #expect(try matches("vote -poll", "vote today"))
        #expect(try !matches("vote -poll", "vote in the poll"))
        #expect(try !matches("vote AND NOT \"opinion poll\"", "an opinion poll on the vote"))
        #expect(try matches("vote AND NOT \"opinion poll\"", "a poll of opinion on the vote"))
    }

    @Test func nearCountsWordsBetweenInEitherOrder() throws {
        #expect(try matches("vote NEAR/0 marat", "vote marat"))
        #expect(try !matches("vote NEAR/0 marat", "vote for marat"))
        #expect(try matches("vote NEAR/2 marat", "vote for our marat"))
        #expect(try matches("vote NEAR/2 marat", "Marat, we vote"))
        #expect(try !matches("vote NEAR/2 marat", "vote for all of marat"))
        // Emoji and punctuation separate words but are not words.
        #expect(try matches("vote NEAR/1 marat", "vote 🔥🔥 for!!! marat"))
    }

    @Test func orderedNearKeepsTheOrder() throws {
        #expect(try matches("vote ONEAR/2 marat", "vote for marat"))
        #expect(try !matches("vote ONEAR/2 marat", "marat will vote"))
    }

    @Test func nearNeedsTwoDifferentWords() throws {
        #expect(try !matches("голос* NEAR/3 голосуй*", "голосуйте"))
        #expect(try matches("голос* NEAR/3 голосуй*", "голосуйте, голос важен"))
    }

    @Test func nearTakesGroupsPhrasesAndChains() throws {
        let query = "(голосуй* OR \"отдай* голос*\") NEAR/3 (нас OR @names)"
        #expect(try matches(query, "Отдайте голоса за нас"))
        #expect(try matches(query, "Нас поддержат: голосуйте!"))
        #expect(try !matches(query, "Отдайте голоса за нас".replacingOccurrences(of: "нас", with: "них")))
        #expect(try matches("vote NEAR/1 for NEAR/1 marat", "vote for marat"))
    }

    /// Each NEAR reports the terms on its sides as the rule wrote them, whether its sides are
    /// leaves and groups of leaves or a NEAR of their own; rules laid out one after another keep
    /// their own nodes, and the farthest NEAR the parser takes reaches that far.
    @Test func nearReportsTheTermsOfEachSide() throws {
        let gap = Array(repeating: "word", count: 100).joined(separator: " ")
        let engine = try engine([
            "a-flat": "(Голосуй* OR \"отдай* голос*\") NEAR/3 (нас OR Марат)",
            "b-chain": "vote ONEAR/1 for NEAR/1 marat",
            "c-far": "vote NEAR/100 marat",
            "d-word": "marat",
        ])
        let text = "Отдайте голоса за нас! vote for Marat"
        let found = engine.match(text: text)
        #expect(found.map(\.rule) == ["a-flat", "b-chain", "c-far", "d-word"])
        #expect(found[0].terms.map { "\($0.term)=\(slice(text, $0))" } == ["\"отдай* голос*\"=Отдайте голоса", "нас=нас"])
        #expect(found[1].terms.map { "\($0.term)=\(slice(text, $0))" } == ["vote=vote", "for=for", "marat=Marat"])
        #expect(engine.match(text: "vote \(gap) marat").map(\.rule) == ["c-far", "d-word"])
        #expect(engine.match(text: "vote \(gap) word marat").map(\.rule) == ["d-word"])
        #expect(engine.match(text: "for vote marat").map(\.rule) == ["c-far", "d-word"])
    }

    @Test func prefixesMatchInsideAndOutsidePhrases() throws {
        #expect(try matches("голосуй*", "ГОЛОСУЙТЕ!"))
        #expect(try matches("голосуй*", "голосуй"))
        #expect(try !matches("голосуй*", "голосуют"))
        #expect(try matches("\"отдай* голос*\"", "Отдайте голоса"))
        #expect(try !matches("\"отдай* голос*\"", "Отдайте свои голоса"))
        #expect(try matches("\"vote for\"", "VOTE FOR"))
    }

    @Test func hashtagsAndWords() throws {
        #expect(try matches("#vote", "#Vote today"))
        #expect(try !matches("#vote", "vote today"))
        #expect(try matches("vote", "#VoteForMarat"))
        #expect(try matches("marat", "#vote_for_marat"))
        #expect(try matches("#VoteForMarat", "#voteformarat"))
        #expect(try matches("#voteformarat", "#Vote_For_Marat"))
        #expect(try matches("\"vote for marat\"", "#VoteForMarat"))
        #expect(try matches("#votefor*", "#VoteForMarat2024"))
        #expect(try !matches("#voteformarat", "vote for marat"))
    }

    /// Capitals running into lower case: the last capital may end either word, and both
    /// readings match, as words, phrases and NEAR, with offsets on the words as written.
    @Test func hashtagsWithCapitalsRunningIntoLowerCase() throws {
        let cases: [(String, String)] = [
            ("vote", "#VOTEforMarat"), ("for", "#VOTEforMarat"), ("marat", "#VOTEforMarat"),
            ("\"vote for\"", "#VOTEforMarat"), ("\"vote for marat\"", "#VOTEforMarat"), ("\"for marat\"", "#VOTEforMarat"),
            ("vote ONEAR/1 marat", "#VOTEforMarat"), ("#voteformarat", "#VOTEforMarat"),
            ("nyc", "#NYCMarathon"), ("marathon", "#NYCMarathon"), ("\"nyc marathon\"", "#NYCMarathon"),
            ("html", "#HTMLParser"), ("parser", "#HTMLParser"), ("\"html parser\"", "#HTMLParser"),
            ("голосуйте", "#ГОЛОСУЙТЕза"), ("\"голосуйте за\"", "#ГОЛОСУЙТЕза"),
            ("support", "#SUPPORTus"), ("\"support us\"", "#SUPPORTus"),
            ("қолдаңыз", "#ҚОЛДАҢЫЗбізді"), ("\"қолдаңыз бізді\"", "#ҚОЛДАҢЫЗбізді"),
            ("\"vote for marat\"", "#VOTE_forMarat"), ("\"please vote for\"", "please #VOTEfor"),
        ]
        for (query, text) in cases { #expect(try matches(query, text), "\(query) in \(text)") }
        let not: [(String, String)] = [
            ("vote NEAR/0 marat", "#VOTEforMarat"), ("\"vote marat\"", "#VOTEforMarat"), ("\"vote vot\"", "#VOTEforMarat"),
            ("vote", "#NYCMarathon"), ("\"marathon nyc\"", "#NYCMarathon"), ("\"nyc nycm\"", "#NYCMarathon"),
            ("m", "#NYCMarathon"), ("nycmarathon", "#NYCMarathon"), ("\"nyc now\"", "#NYCMarathon now"),
            ("parser NEAR/0 today", "#HTMLParser now today"), ("\"за голосуйте\"", "#ГОЛОСУЙТЕза"),
        ]
        for (query, text) in not { #expect(try !matches(query, text), "\(query) in \(text)") }
        // Both readings are different words of the text only where they stand at different positions.
        #expect(try !matches("vote NEAR/3 vot*", "#VOTEforMarat"))
        let e = try engine(["r": "\"vote for\" AND marat AND nyc AND marathon"])
        let text = "🗳 #VOTEforMarat, #NYCMarathon"
        let terms = try #require(e.match(text: text).first).terms
        #expect(terms.map { slice(text, $0) } == ["VOTEfor", "Marat", "NYC", "Marathon"])
    }

    /// A keycap (`1️⃣`, `#️⃣`) is an emoji between words, never a letter or a digit of one.
    @Test func keycapsSeparateWords() throws {
        #expect(try matches("vote", "vote1️⃣"))
        #expect(try matches("vote", "1️⃣vote"))
        #expect(try matches("vote", "vote0️⃣"))
        #expect(try matches("vote", "1⃣vote3⃣"))
        #expect(try matches("\"голосуйте за\"", "голосуйте1️⃣за"))
        #expect(try matches("голосуйте", "1️⃣голосуйте1️⃣"))
        #expect(try matches("қолдаңыз", "қолдаңыз3️⃣"))
        #expect(try matches("\"голосуйте за\"", "голосуйте™за"))
        #expect(try matches("vote NEAR/0 now", "vote 1️⃣2️⃣3️⃣ now"))
        #expect(try !matches("votel OR voteo OR lvote", "vote1️⃣ 1️⃣vote vote0️⃣"))
        #expect(try matches("\"vote now\"", "vote #️⃣ 5️⃣ now"))
        #expect(try !matches("#vote", "#️⃣vote"))
        #expect(try !matches("tm OR sm OR tel", "голосуйте™за vote℠ ℡"))
        let e = try engine(["r": "vote"])
        let text = "1️⃣vote2️⃣"
        let terms = try #require(e.match(text: text).first).terms
        #expect(terms.map { slice(text, $0) } == ["vote"])
        #expect((terms[0].start, terms[0].end) == (3, 7))
    }

    @Test func namesAreBoundPerSubject() throws {
        let e = try engine(["call": "голосуй* NEAR/3 @names"])
        let marat = e.bind(names: ["Марат Жыланбаев", "Zhylanbayev"])
        let other = e.bind(names: ["Айгерим Сейтказы"])
        let text = "Голосуйте за Марата Жыланбаева!"
        #expect(e.match(text: text, names: marat).map(\.rule) == ["call"])
        #expect(e.match(text: text, names: other).isEmpty)
        #expect(e.match(text: text).isEmpty)
        #expect(!e.match(text: "голосуйте за Zhylanbayev", names: marat).isEmpty)
        // Only the whole name counts: a first name alone is not the subject.
        #expect(e.match(text: "голосуйте за Марата", names: marat).isEmpty)
        // The name typed in Latin reads as Cyrillic (Zhylanbayev = Жыланбаев), so it finds the
        // surname in Cyrillic text too, inside the whole name and alone.
        #expect(!e.match(text: "голосуйте за Жыланбаева", names: marat).isEmpty)
        let terms = e.match(text: text, names: marat)[0].terms
        #expect(terms.map { slice(text, $0) } == ["Голосуйте", "Марата Жыланбаева", "Жыланбаева"])
        #expect(terms.map(\.term) == ["голосуй*", "@names", "@names"])
    }

    /// Names ending in а or я decline by replacing that letter: every case form matches, the
    /// stem alone and other words on it do not, and Kazakh endings still follow the whole name.
    @Test func namesEndingInAVowelMatchTheirCaseForms() throws {
        let e = try engine(["call": "голосуй* NEAR/3 @names"])
        let omarova = e.bind(names: ["Айгерим Омарова", "Мария"])
        for form in ["Омарова", "Омаровой", "Омарову", "Омаровою", "Омароваға", "ОМАРОВОЙ", "Omarovoy", "Omarovu"] {
            #expect(e.match(text: "Голосуйте за Айгерим \(form)!", names: omarova).map(\.rule) == ["call"], "\(form)")
        }
        for form in ["Омаров", "Омаровым", "Омаровского", "Омаро", "Омаровыми"] {
            #expect(e.match(text: "Голосуйте за Айгерим \(form)!", names: omarova).isEmpty, "\(form)")
        }
        for form in ["Мария", "Марии", "Марию", "Марией", "Мариям"] {
            #expect(e.match(text: "голосуйте за \(form)", names: omarova).map(\.rule) == ["call"], "\(form)")
        }
        for form in ["Мар", "Марио", "Мариус", "Мариу"] {
            #expect(e.match(text: "голосуйте за \(form)", names: omarova).isEmpty, "\(form)")
        }
        let text = "Голосуйте за Айгерим Омаровой"
        let terms = try #require(e.match(text: text, names: omarova).first).terms
        #expect(terms.map { slice(text, $0) } == ["Голосуйте", "Айгерим Омаровой"])
        // A name of three letters does not decline (too many words would look like its forms).
        let ana = e.bind(names: ["Ана"])
        #expect(e.match(text: "голосуйте за Аны", names: ana).isEmpty)
    }

    @Test func evasiveSpellingsMatch() throws {
        let query = "(голосуй* OR \"отдай* голос*\") NEAR/3 (нас OR за)"
        for text in [
            "гoлocуйтe зa нac", "Г О Л О С У Й Т Е   З А   Н А С", "г.о.л.о.с.у.й.т.е за нас", "голо\u{200B}суйте за нас",
            "<b>голосуйте</b> &#1079;&#1072; нас", "ГОЛОСУУУУЙТЕ ЗА НАС", "г0л0суйте за нас", "golosuyte za nas",
            "ｇｏｌｏｓｕｙｔｅ za nas", "голосу́йте за нас", "#ГолосуйтеЗаНас", "голо$уйте за на$",
            "г 0 л 0 с у й т е за нас", "г.о.л.о.с-у.й.т.е за нас", "#г_о_л_о_с_у_й_т_е за нас",
        ] {
            #expect(try matches(query, text), "\(text)")
        }
        #expect(try matches("\"дауыс беріңіздер\"", "Daýys berińizder!"))
        #expect(try matches("\"дауыс беріңіздер\"", "dauys berıñızder"))
        #expect(try matches("\"дауыс беріңіздер\"", "дауыс берiңiздер"))
        #expect(try matches("қолдаңыздар", "колданыздар"))
        #expect(try matches("vote", "v o t e"))
        #expect(try matches("vote", "vоte"))
        #expect(try matches("vote", "v 0 t e"))
        // 2021 Kazakh Latin, and ı for ы as Turkish writes it; a Cyrillic look-alike inside.
        #expect(try matches("\"дауыс беріңіз\"", "Dauys berıñız"))
        #expect(try matches("\"дауыс беріңіз\"", "DAUIS BERIÑIZ"))
        #expect(try matches("халық", "Halıq"))
        #expect(try matches("Қазақстан", "Qаzaqstan"))
        #expect(try matches("\"голосуйте за нас\"", "golosuйте za нас"))
        #expect(try !matches("халық", "halaq"))
        // Symbols for letters: read as the letter and as the punctuation they also are.
        #expect(try matches("\"vote for\" OR support", "$upport us"))
        #expect(try matches("\"vote for us\"", "vo+e f0r u$"))
        #expect(try matches("\"vote for\"", "vot€ for"))
        #expect(try matches("голосуйте NEAR/2 нас", "голосуй+е за нас"))
        #expect(try matches("politics", "pol!tics"))
        #expect(try matches("\"голосуйте все\"", "Голосуйте!Все"))
        #expect(try !matches("vote", "vo!e"), "! reads as i, not as any letter")
        // Letters spelled out with mixed gaps, and a word glued to a number.
        #expect(try matches("\"vote for\"", "v/o t-e for us"))
        #expect(try matches("поддержите NEAR/2 нас", "п-о.д д е/р-ж и т е нас"))
        #expect(try matches("\"голосуйте за\"", "голосуйте2024 за Марата"))
        #expect(try matches("сайлау", "Сайлау2023 жақында"))
        #expect(try !matches("\"vote for\"", "vote2024for"))
        #expect(try matches("\"vote for us\"", "v o t e     f o r     u s"))
        #expect(try matches("\"голосуйте за нас\"", "го🔥ло🔥суй🔥те за нас"))
        #expect(try matches("\"vote for\"", "vo✅te for"))
        // Pairs of symbols drawing a letter, ы drawn as ЬI, and regional indicators that make no flag.
        #expect(try matches("выборы NEAR/1 голосуйте", "На вЬIборЬI! Голосуйте"))
        #expect(try matches("судь*", "судьи"))
        #expect(try matches("\"голосуйте за нас\"", "г()лосуйте за нас"))
        #expect(try matches("\"vote for\"", "\\/ote for us"))
        #expect(try matches("\"vote for\"", "🇻🇴🇹🇪 for us"))
        #expect(try matches("\"vote for\"", "🇻 🇴 🇹 🇪   🇫 🇴 🇷"))
        #expect(try !matches("\"vote for\"", "vote 🇫🇷"), "🇫🇷 is the flag of France")
        // A letter hidden by `*`.
        #expect(try matches("\"голосуйте за нас\"", "г*лосуйте за нас"))
        #expect(try matches("\"vote for\"", "v*te for"))
        #expect(try matches("голос* NEAR/1 нас", "голосуй*е за нас"))
        #expect(try !matches("vote", "v*t*"))
        // Digits for letters in compatibility forms and inside hashtags.
        #expect(try matches("\"vote for\"", "v⁰te for us"))
        #expect(try matches("\"vote for us\"", "#v0teForUs"))
        #expect(try matches("выборы", "#ВЫБ0РЫ2024"))
    }

    @Test func mixedWordsWithNoDistinctiveLetterMatchInEitherScript() throws {
        // "нac": Cyrillic н with Latin a and c; no letter of the word says which script it is.
        #expect(try matches("поддержите нас", "Поддержите нac!"))
        #expect(try matches("\"поддержите нас\"", "Поддержите нac!"))
        #expect(try matches("\"поддержите нас\"", "ПОДДЕРЖИТЕ НAC"))
        #expect(try matches("нас", "Нac"))
        // The reverse: Cyrillic о and е inside a Latin word, in a phrase and as a prefix.
        #expect(try matches("\"hope for\"", "hоpе for the best"))
        #expect(try matches("hop*", "hоpе"))
        #expect(try matches("\"vote for hope\"", "Vote for Hоpе"))
        // A whole word in Cyrillic look-alikes of Latin letters.
        #expect(try matches("\"hope for\"", "НОРЕ for the best"))
        // Or in Greek look-alikes of Latin or Cyrillic letters.
        #expect(try matches("\"hope for\"", "ΗΟΡΕ for the best"))
        #expect(try matches("\"голосуйте за нас\"", "ΓΟΛΟϹΥЙΤΕ ЗΑ ΗΑϹ"))
        // Still only the words it can be.
        #expect(try !matches("нас", "Поддержите вac!"))
        #expect(try !matches("hope", "hоpа"))
    }

    /// Comments, scripts, processing instructions, inline and unknown elements inside a word
    /// render as nothing and must not hide it; offsets cover the word with the markup inside.
    @Test func markupInsideAWordDoesNotHideIt() throws {
        let e = try engine(["cyrillic": "голосуйте", "latin": "vote"])
        for markup in InvisibleMarkup.samples {
            for (head, tail, rule) in [("Го", "лосуйте", "cyrillic"), ("VO", "TE", "latin")] {
                let text = "Все: \(head)\(markup)\(tail) сегодня"
                let found = e.match(text: text)
                #expect(found.map(\.rule) == [rule], "\(markup)")
                #expect(found.first?.terms.map { slice(text, $0) } == [head + markup + tail], "\(markup)")
            }
        }
        #expect(try matches("голосуйте", "го<!---->лосуйте"))
        for text in ["го<p>лосуйте", "го<br>лосуйте", "го<div>x</div>лосуйте", "го<!-- never closed лосуйте"] {
            #expect(try !matches("голосуйте", text), "\(text)")
        }
        #expect(try !matches("vote", "vo<td>te"))
    }

    @Test func termsAreSortedWithOffsetsIntoTheOriginal() throws {
        let e = try engine(["r": "(vote OR \"for us\") AND now"])
        let text = "🔥 <i>Now</i> vote for us, vote!"
        let terms = try #require(e.match(text: text).first).terms
        #expect(terms.map { slice(text, $0) } == ["Now", "vote", "for us", "vote"])
        #expect(terms.map(\.term) == ["now", "vote", "\"for us\"", "vote"])
        #expect(terms.map(\.start) == terms.map(\.start).sorted())
    }

    @Test func matchesAPostsTitleWithItsText() throws {
        let e = try engine(["r": "vote AND marat"])
        let post = Post(id: "1", title: "Marat", text: "vote tomorrow")
        let found = e.match(post: post)
        #expect(found.map(\.rule) == ["r"])
        #expect(found[0].terms.map(\.field) == [.text, .title])
        // NEAR does not reach from the title into the text.
        let near = try engine(["r": "vote NEAR/5 marat"])
        #expect(near.match(post: post).isEmpty)
    }

    @Test func reportsRulesInDefinitionOrder() throws {
        let e = try RuleEngine(rules: [
            RuleDefinition(id: "z", query: "vote"), RuleDefinition(id: "a", query: "now"), RuleDefinition(id: "m", query: "vote now"),
        ])
        #expect(e.match(text: "now vote").map(\.rule) == ["z", "a", "m"])
        let matcher = e.makeMatcher()
        #expect(matcher.match(text: "vote").map(\.rule) == ["z"])
        #expect(matcher.match(text: "nothing here").isEmpty)
        #expect(matcher.match(text: "now").map(\.rule) == ["a"])
    }
}

@testable import CampaignWatchCore
import Testing

/// `RuleMatcher.match` reads texts piece by piece through its cache; `referenceMatch` normalises
/// the whole text and walks the trie with every token. They must agree on every rule and every
/// offset, for texts built to hit every boundary the piece scanner draws (and every one it must
/// not draw), on the first reading of a piece and on every later one.
@Suite struct PieceMatchingTests {
    /// A small deterministic generator (SplitMix64).
    struct Random {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
        mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
        mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
    }

    static let words = """
        голосуйте голосуй голос голоса поддержите поддержка выборы кандидат за нас вас мы наш марат жыланбаев жыланбаева \
        отдайте свой отдай сегодня город дом и в я с а к у о дауыс беріңіздер беріңіз қолдаңыздар сайлаңыздар маған бізге \
        мені үшін және жоқ бір ауыл бергиле колдогула добуш vote voting for us our marat zhylanbayev support donate help win \
        campaign now today a i the of poll opinion berińizder dauys qoldañyzdar golosuyte podderzhite 2024 covid19 3а г0л0с v0te
        """.split(separator: " ").map(String.init)

    /// Every kind of separator, the ones that make hard boundaries and the ones that must not.
    static let separators = [
        " ", " ", " ", " ", "  ", "   ", ", ", ". ", "! ", "\n", "\t", "-", ".", "_", "'", "’", "/", "*", "·", "•", "‐", "…", ":",
        "\u{00A0}", "\u{200B}", "\u{00AD}", "\u{FE0F}", " \u{200B} ", " 🔥 ", "🔥", " 🗳️ ", "❤️", "🇰🇿", " @", "@", " #", "#", "# ",
        "\u{0301}", " \u{0301}", "=\u{0338}", "—", " — ", "«", "» ", "“", "\u{3000}", "＃", "＿", "＠", "－", "．", " 👉 ", "?!", "()",
    ]

    /// Evasive spellings (the matcher and normalisation tests' texts among them).
    static let evasions = [
        "гoлocуйтe зa нac", "Г О Л О С У Й Т Е   З А   Н А С", "г.о.л.о.с.у.й.т.е за нас", "голо\u{200B}суйте за нас",
        "<b>голосуйте</b> &#1079;&#1072; нас", "ГОЛОСУУУУЙТЕ ЗА НАС", "г0л0суйте за нас", "golosuyte za nas",
        "ｇｏｌｏｓｕｙｔｅ za nas", "голосу́йте за нас", "#ГолосуйтеЗаНас", "Daýys berińizder!", "dauys berıñızder",
        "дауыс берiңiздер", "колданыздар", "v o t e", "vоte", "Голосуйте за Марата Жыланбаева!", "голосуйте за Zhylanbayev",
        "🔥 <i>Now</i> vote for us, vote!", "vote 🔥🔥 for!!! marat", "#VoteForMarat2024", "#vote_for_marat", "го-ло-суй-те за нас",
        "г о л о с у й т е", "г\nо\nл\nо\nс", "а я в шоке", "и т.д.", "4тобы v0t3 п@ртия з@ нас, @marat", "3A HAC", "HAC BOT",
        "ПOДДEPЖИTE нас", "gолосуйте", "голοсуйте", "гօлосуйте", "vՕte", "𝐯𝐨𝐭𝐞 𝓿𝓸𝓽𝓮", "ⓥⓞⓣⓔ 🅥🅞🅣🅔 🆅🅾🆃🅴", "ᴠᴏᴛᴇ ɡolos",
        "е\u{0308}лка голосуи\u{0306}те", "Маǵан даýыс берińіздер", "Shyndyq podderzhite golosujte ajar", "Straße STRASSE",
        "г о л о с у й   з а", "v-o-t-e for us", "g-o-l-o-s", "го\u{3164}лосуйте", "\u{FEFF}vo\u{200D}te\u{FE0F}",
        "a < b and c > d vote", "&laquo;голосуйте&raquo; за нас", "vote.for.marat", "ＶＯＴＥ ＦＯＲ ＵＳ", "v o t e f o r u s",
        "г🔥о🔥л🔥о🔥с🔥у🔥й", "В О Т Е", "Голосуйте\u{0301}", "\u{0301}голосуйте", "x@marat", "ꙮ vote ꙮ", "日本 голосуйте 日本",
    ]

    static let queries = [
        "голосуй* NEAR/3 @names", "(голосуй* OR \"отдай* голос*\") NEAR/3 (нас OR за)", "\"дауыс беріңіздер\"", "қолдаңыздар",
        "vote", "vote NEAR/1 marat", "vote ONEAR/2 marat", "#vote", "#VoteForMarat", "#votefor*", "\"vote for marat\"",
        "\"vote for\" OR \"for us\"", "(vote OR \"for us\") AND now", "vote AND NOT \"opinion poll\"", "поддерж* NEAR/5 нас",
        "голос* NEAR/3 голосуй*", "\"голосуйте за нас\"", "голосуите", "vote -poll", "#бізбіргеміз", "нас NEAR/0 за",
        "@names", "\"за @names\"", "чтобы", "партия", "marat", "шоке", "golos", "елка", "strasse", "final", "final OR ꙮ",
        "бергиле NEAR/2 добуш", "donate* NEAR/4 (help OR win)", "\"support our campaign\"", "г*", "сегодня NEAR/2 город",
        "(голос OR голоса) NEAR/1 (за OR свой)", "covid19", "2024", "\"3а нас\"", "бот", "за", "нас", "hac",
    ]

    static func engine() throws -> RuleEngine {
        var rules: [RuleDefinition] = []
        for (i, query) in queries.enumerated() where RuleEngine.errors(in: RuleDefinition(id: "q", query: query)).isEmpty {
            rules.append(RuleDefinition(id: "q\(i)", query: query))
        }
        // Generated rules over the vocabulary: words, prefixes, phrases, NEAR, names, NOT.
        var random = Random(state: 11)
        let long = words.filter { $0.count >= 3 && !$0.contains(where: \.isNumber) }
        for i in 0..<400 {
            let a = random.pick(long), b = random.pick(long), c = random.pick(long)
            let query: String
            switch random.below(6) {
            case 0: query = a
            case 1: query = "\(a.prefix(3))* \(b)"
            case 2: query = "\"\(a) \(b.prefix(2))*\" OR \(c)"
            case 3: query = "(\(a) OR \(b.prefix(3))*) NEAR/\(random.below(4)) (\(random.chance(30) ? "@names" : c) OR \"\(b) \(a)\")"
            case 4: query = "#\(a)\(b)"
            default: query = "\(a) AND NOT \(b)"
            }
            let rule = RuleDefinition(id: "g\(i)", query: query)
            if RuleEngine.errors(in: rule).isEmpty { rules.append(rule) }
        }
        return try RuleEngine(rules: rules)
    }

    /// Texts of words in every spelling, joined by every kind of separator.
    static func texts(_ count: Int, seed: UInt64) -> [String] {
        var random = Random(state: seed)
        var result: [String] = []
        for _ in 0..<count {
            var text = ""
            for _ in 0..<(1 + random.below(40)) {
                var word = random.chance(10) ? random.pick(evasions) : random.pick(words)
                switch random.below(12) {
                case 0: word = word.uppercased()
                case 1: word = word.prefix(1).uppercased() + word.dropFirst()
                case 2: word = word.map(String.init).joined(separator: random.pick([" ", ".", "-", "  ", "🔥"]))
                case 3: word = "#" + word
                default: break
                }
                text += word + random.pick(separators)
            }
            result.append(random.chance(20) ? String(text.dropLast(random.below(3))) : text)
        }
        return result
    }

    private func compare(_ matcher: RuleMatcher, _ reference: RuleMatcher, _ text: String, title: String?, names: NameBinding?) -> Bool {
        let fast = matcher.match(text: text, title: title, names: names)
        let slow = reference.referenceMatch(text: text, title: title, names: names)
        #expect(fast == slow, "text: \(text.debugDescription), title: \(title.debugDescription)")
        return !slow.isEmpty
    }

    @Test func piecesAndCacheMatchLikeTheWholeText() throws {
        let engine = try Self.engine()
        let names = engine.bind(names: ["Марат Жыланбаев", "Жыланбаев", "Zhylanbayev"])
        let matcher = engine.makeMatcher(), reference = engine.makeMatcher()
        let corpus = Self.evasions + Self.texts(1500, seed: 1)
        var matched = 0
        // Twice: the first reading of a piece fills the cache, the second is served from it.
        for _ in 0..<2 {
            for (i, text) in corpus.enumerated() {
                let title = i % 5 == 0 ? corpus[(i * 7) % corpus.count] : nil
                if compare(matcher, reference, text, title: title, names: i % 3 == 0 ? nil : names) { matched += 1 }
            }
        }
        // The corpus is not a trivial one: most texts match something, and the cache served.
        #expect(matched > corpus.count)
        #expect(matcher.cache.entries.count > 500)
    }

    @Test func matchesLikeTheWholeTextWithTheBenchmarkVocabulary() throws {
        // Everyday words with case endings, rarer key words and campaign phrases, as the
        // benchmark generates them, against rules over the same words.
        var random = Random(state: 5)
        let base = "город страна люди работа выборы кандидат партия жители қала ауыл жұмыс сайлау кандидат city country people election"
            .split(separator: " ").map(String.init)
        let endings = ["", "", "а", "у", "ом", "ами", "ға", "да", "дан", "лар", "s", "ed", "ing"]
        let campaign = ["голосуйте за нас", "маған дауыс беріңіздер", "#VoteForMarat", "г о л о с у й т е", "гoлocуйтe зa нac",
                        "dauys berińizder", "qoldañyzdar", "Zhylanbayev", "! https://t.me/s/channel_12/345 "]
        var rules: [RuleDefinition] = []
        for i in 0..<300 {
            let a = random.pick(base) + random.pick(endings), b = random.pick(base)
            rules.append(RuleDefinition(id: "r\(i)", query: random.chance(50) ? "(\(a) OR \(b.prefix(4))*) NEAR/3 (@names OR \"\(b) \(a)\")" : a))
        }
        rules.append(RuleDefinition(id: "call", query: "(голосуй* OR \"дауыс беріңіздер\" OR #voteformarat) NEAR/5 (нас OR @names)"))
        let engine = try RuleEngine(rules: rules)
        let names = engine.bind(names: ["Марат Жыланбаев", "Zhylanbayev"])
        let matcher = engine.makeMatcher(), reference = engine.makeMatcher()
        var matched = 0
        for _ in 0..<1500 {
            var text = ""
            for _ in 0..<(5 + random.below(60)) {
                var word = random.chance(5) ? random.pick(campaign) : random.pick(base) + random.pick(endings)
                if random.chance(10) { word = word.prefix(1).uppercased() + word.dropFirst() }
                text += word + random.pick([" ", " ", " ", ", ", ". ", " 🔥 ", " 🗳️ "])
            }
            if compare(matcher, reference, text, title: nil, names: names) { matched += 1 }
        }
        #expect(matched > 300)
    }

    @Test func aFullCacheStartsOverAndStaysRight() throws {
        let engine = try Self.engine()
        let matcher = engine.makeMatcher(), reference = engine.makeMatcher()
        var random = Random(state: 3)
        let syllables = ["ба", "ра", "ко", "ли", "на", "vo", "te", "qu", "ex", "or", "го", "ло", "су"]
        var distinct = 0
        while distinct < PieceCache.maxEntries + 5_000 {
            var text = ""
            for _ in 0..<200 {
                var word = ""
                for _ in 0..<(3 + random.below(4)) { word += random.pick(syllables) }
                text += word + (random.chance(10) ? " голосуйте за нас " : " ")
            }
            distinct += 200
            _ = compare(matcher, reference, text, title: nil, names: nil)
            #expect(matcher.cache.entries.count <= PieceCache.maxEntries)
        }
    }

    /// Where the scanner draws boundaries: between ordinary words, and never inside what the
    /// normaliser reads across words.
    @Test func piecesEndOnlyWhereNothingReachesAcross() {
        func pieces(_ text: String) -> [String] {
            var text = text
            return text.withUTF8 { bytes in
                var scanner = PieceScanner(bytes, classes: .shared)
                var out: [String] = []
                while let piece = scanner.next() {
                    out.append(String(decoding: bytes[piece.byteStart..<piece.byteEnd], as: UTF8.self))
                }
                return scanner.markup ? ["<markup>"] : out
            }
        }
        #expect(pieces("голосуйте за нас!") == ["голосуйте", "за", "нас"])
        #expect(pieces("vote, 🔥 now🗳️ ok") == ["vote", "now", "ok"])
        #expect(pieces("г о л о с у й") == ["г о л о с у й"])
        #expect(pieces("а я в шоке") == ["а я в", "шоке"])
        #expect(pieces("го-ло-суй-те за") == ["го-ло-суй-те", "за"])
        #expect(pieces("vote #for_us now") == ["vote #for_us", "now"])
        #expect(pieces("з@ нас") == ["з@ нас"])
        #expect(pieces("голо\u{200B}суйте за") == ["голо\u{200B}суйте", "за"])
        #expect(pieces("голосу\u{0301}йте за") == ["голосу\u{0301}йте", "за"])
        #expect(pieces("日本 vote") == ["日本 vote"])
        #expect(pieces("vote <b>now</b>") == ["<markup>"])
        #expect(pieces("") == [])
        #expect(pieces(" 🔥 ") == [])
    }
}

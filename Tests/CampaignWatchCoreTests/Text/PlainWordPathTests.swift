@testable import CampaignWatchCore
import Foundation
import Testing

/// The plain-word path (PlainWordPath) must give exactly the tokens of the general path: keys,
/// readings, positions, offsets and kinds, on every text; and so must it with a word cache
/// (WordCache), whether the words are found there or added, and whether it fills up.
@Suite struct PlainWordPathTests {
    /// Word caches kept from text to text, as a matcher keeps one: a roomy one, and one so small
    /// that it is full most of the time and emptied before many texts.
    final class Caches: Sendable {
        nonisolated(unsafe) let roomy = WordCache()
        nonisolated(unsafe) let tiny = WordCache(entries: 5)
    }

    /// One path's tokens for `texts` added in turn (as a post's text and title are).
    private static func tokens(_ texts: [String], plainWords: Bool, cache: WordCache? = nil) -> [String] {
        let normaliser = Normaliser(plainWords: plainWords, cache: cache)
        normaliser.reset()
        for (i, text) in texts.enumerated() { normaliser.add(text, field: UInt8(i)) }
        let keys = normaliser.keys
        return normaliser.tokens.buffer.map { t in
            // A word found in (or added to) the cache has its keys there.
            let base = t.wordEntry >= 0 ? cache!.view.keys : keys.base
            func scalars(_ from: Int32, _ count: Int32) -> String {
                (from..<(from + count)).map { String(base[Int($0)], radix: 16) }.joined(separator: ".")
            }
            let key = scalars(t.keyStart, t.keyLength)
            let reading = scalars(t.keyStart + t.keyLength, t.readingLength)
            let second = scalars(t.keyStart + t.keyLength + t.readingLength, t.secondReadingLength)
            return "\(t.kind) \(key) \(reading) \(second) \(t.firstPosition)-\(t.lastPosition) \(t.start)..<\(t.end) \(t.field)"
        }
    }

    private static func expectSame(_ texts: [String], _ caches: Caches, sourceLocation: SourceLocation = #_sourceLocation) {
        let plain = tokens(texts, plainWords: true), general = tokens(texts, plainWords: false)
        #expect(plain == general, "\(texts)", sourceLocation: sourceLocation)
        // Twice each: the second time, the text's words are in the cache.
        for cache in [caches.roomy, caches.roomy, caches.tiny, caches.tiny] {
            let cached = tokens(texts, plainWords: true, cache: cache)
            #expect(cached == general, "\(texts) with a cache of \(cache.view.entryLimit)", sourceLocation: sourceLocation)
        }
    }

    @Test func sameTokensOnEdgeCases() {
        let texts = [
            "", " ", "a", "ab", "голосуйте", "Голосуйте за нас!", "из-за", "vote.for", "vote. for", "vote..for",
            "г о л о с у й т е", "в и к", "а я в шоке", "и т.д.", "v-o-t-e", "HAC BOT 3A", "НОРЕ сор", "нac hоpе",
            "#VoteForMarat и #vote__for", "abc#def", "з@ нас", "@marat hi", "a_b c__d", "го\u{301}лосуйте",
            "голо\u{200B}суйте", "abc \u{200B} def", "abc -\u{200B}def", "ab\u{FE0F}cd", "🗳️ vote ❤️ за",
            "golosuyte dauys berińizder Жыланбаевқа", "ﬁnal ｖｏｔｅ 𝐯𝐨𝐭𝐞", "don’t can't", "⒈abc ⒈ abc ⒜ ⒝ ⒞ ab",
            "vote for u$", "ca$h US$5 $100 $AAPL 5$", "голо$уйте $ за",
            "x = ̸ y", "Straße ΣΟΦΙΑ", "2024 covid19 г0л0с v0te", "word_ _word", "a\nb\nc\nd", "a  b  c",
            "<b>го</b>лосуйте", "AT&T vote", "vooote голосууууйте поддержите", "qoldañyzdar Meni saılańyzdar",
            "https://t.me/s/channel_12/345 vote", "ПOДДEPЖИTE gолосуйте", "ёлка Йод", "Ԁԁ ԑ", "a·b c‐d e‑f g•h",
            "vote1️⃣ 1️⃣vote 1\u{20E3}", "#️⃣vote *️⃣ за", "голосуйте™за ℡ №5", "v1️⃣o1️⃣t1️⃣e", "#VOTEforMarat #NYCMarathon",
            "го–ло–суй–те vo~te a:b", "голо-\nсуйте sup-\r\n  port item-\n- list", "голо‐\nсуйте sup‑ \r\nport vo-\u{2028}te го‑\nло su－\npport vo﹣\n te", "yes,no", "v 🇰🇿 o 🇰🇿 t 🇰🇿 e",
        ]
        let caches = Caches()
        for text in texts { Self.expectSame([text], caches) }
        Self.expectSame(["vote for us", "голосуйте за нас"], caches)
        Self.expectSame(["", "a b c d"], caches)
        #expect(caches.roomy.count > 50)
        #expect(caches.tiny.clears > 10)
    }

    /// Every string literal of the normaliser, matcher and example-rule tests.
    @Test func sameTokensOnTestTexts() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let files = [
            "CampaignWatchCoreTests/Text/NormalisationTests.swift", "CampaignWatchCoreTests/Rules/MatcherTests.swift",
            "CampaignWatchTests/Rules/ExampleRulesTests.swift",
        ]
        var count = 0
        let caches = Caches()
        for file in files {
            let source = try String(contentsOf: root.appendingPathComponent(file), encoding: .utf8)
            for literal in Self.stringLiterals(source) {
                Self.expectSame([literal], caches)
                count += 1
            }
        }
        #expect(count > 200)
    }

    /// Texts put together at random from plain words and from every kind of piece the general
    /// path treats specially, with every kind of gap between them.
    @Test func sameTokensOnGeneratedTexts() {
        let pieces = [
            "голосуйте", "Поддержите", "нас", "за", "и", "в", "а", "я", "к", "vote", "for", "us", "I", "a", "Marat",
            "Жыланбаевқа", "беріңіздер", "berińizder", "dauys", "golosuyte", "HAC", "BOT", "НОРЕ", "сор", "нac", "hоpе",
            "гoлocуйтe", "vоte", "ПOДДEPЖИTE", "#VoteForMarat", "#бізбіргеміз", "#vote_for", "@marat", "з@", "2024",
            "г0л0с", "3а", "covid19", "го\u{301}лосуйте", "голо\u{200B}суйте", "ｖｏｔｅ", "ⓥⓞⓣⓔ", "ᴠᴏᴛᴇ", "Straße",
            "🔥", "🗳️", "🇰🇿", "❤️", "_", "__", "x", "ёж", "ЁЖ", "qq", "ww", "uy", "aj", "shch", "zhyl", "ńń", "ΣΟΦΙΑ",
            "ﬁ", "½", "⒈", "…", "—", "«", "»", "’", "·", "дом", "жизнь", "the", "people", "мәжіліс",
            "u$", "ca$h", "$100", "$AAPL", "голо$уйте", "$",
            "1️⃣", "#️⃣", "3\u{20E3}", "™", "#VOTEforMarat", "#ГОЛОСУЙТЕза",
            "pol!tics", "vo+e", "suppor+", "$upport", "vot€", "€", "+", "|", "he|p", "голосуй+е", "C++",
            "v()te", "vo()te", "vot()", "()", "(vote)", "\\/ote", "го/\\осуйте", "\\", "🇻🇴🇹🇪", "🇺🇸🇦", "🇰🇿🇷🇺", "🇻",
            "вЬIборЬI", "вьіборьі", "ВЬІБОРЬІ", "статьи", "ьі", "Ь", "і",
        ]
        let gaps = [" ", " ", " ", "  ", ", ", ". ", "-", ".", "_", "'", "*", "/", "·", "‐", "’", "•", "\n", " - ", "!", "", "   ",
                    " 🔥 ", "🔥", "\u{200B}", " \u{FE0F} ", "\t", "?!", ":", "://", "1️⃣", "™", "+", "€", "|", "$",
                    "()", "(", ")", " (", ") ", "     ", "\n\n\n\n", "\\/", "/\\", "\\", "🇰🇿", " 🇫🇷 ", "🇻"]
        var random = Random(seed: 42)
        let caches = Caches()
        for _ in 0..<3_000 {
            var text = ""
            for _ in 0..<(1 + random.below(14)) {
                text += pieces[random.below(pieces.count)]
                text += gaps[random.below(gaps.count)]
            }
            if random.below(3) == 0 { text = String(text.dropLast(random.below(3))) }
            if random.below(10) == 0 {
                Self.expectSame([text, pieces[random.below(pieces.count)] + " " + text], caches)
            } else {
                Self.expectSame([text], caches)
            }
        }
    }

    /// The contents of the string literals in Swift source (single-line ones; escapes decoded).
    static func stringLiterals(_ source: String) -> [String] {
        var result: [String] = []
        let scalars = Array(source.unicodeScalars)
        var i = 0
        while i < scalars.count {
            guard scalars[i] == "\"" else { i += 1; continue }
            if i + 2 < scalars.count, scalars[i + 1] == "\"", scalars[i + 2] == "\"" {
                // A multi-line literal: skipped.
                i += 3
                while i + 2 < scalars.count, !(scalars[i] == "\"" && scalars[i + 1] == "\"" && scalars[i + 2] == "\"") { i += 1 }
                i += 3
                continue
            }
            i += 1
            var text = String.UnicodeScalarView()
            var closed = false
            while i < scalars.count, scalars[i] != "\n" {
                let c = scalars[i]
                if c == "\"" { closed = true; i += 1; break }
                if c == "\\", i + 1 < scalars.count {
                    let e = scalars[i + 1]
                    i += 2
                    switch e {
                    case "n": text.append("\n")
                    case "t": text.append("\t")
                    case "u":
                        var hex = ""
                        i += 1 // {
                        while i < scalars.count, scalars[i] != "}" { hex.unicodeScalars.append(scalars[i]); i += 1 }
                        i += 1
                        if let value = UInt32(hex, radix: 16), let s = Unicode.Scalar(value) { text.append(s) }
                    case "(":
                        // Interpolation: the rest of the literal is not plain text.
                        var depth = 1
                        while i < scalars.count, depth > 0, scalars[i] != "\n" {
                            if scalars[i] == "(" { depth += 1 } else if scalars[i] == ")" { depth -= 1 }
                            i += 1
                        }
                    default: text.append(e)
                    }
                    continue
                }
                text.append(c)
                i += 1
            }
            if closed { result.append(String(text)) }
        }
        return result
    }

    /// SplitMix64, so every run tries the same texts.
    struct Random {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func below(_ n: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((z ^ (z >> 31)) % UInt64(n))
        }
    }
}

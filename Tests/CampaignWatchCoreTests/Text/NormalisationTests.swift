@testable import CampaignWatchCore
import Testing

/// The word keys of a text (hashtags and compounds left out), in order.
private func words(_ text: String) -> [String] {
    TextNormaliser.normalise(text).tokens.filter { $0.kind == .word }.map(\.key)
}

/// Every key a text offers the matcher: words, hashtags, compounds and Cyrillic readings.
private func allKeys(_ text: String) -> Set<String> {
    var keys = Set<String>()
    for token in TextNormaliser.normalise(text).tokens {
        keys.insert(token.key)
        if let reading = token.reading { keys.insert(reading) }
        if let reading = token.secondReading { keys.insert(reading) }
    }
    return keys
}

private func scalars(_ text: String, _ start: Int, _ end: Int) -> String {
    String(String.UnicodeScalarView(Array(text.unicodeScalars)[start..<end]))
}

/// Markup a browser renders as nothing, for putting inside a word: each must leave the word whole.
enum InvisibleMarkup {
    static let samples = [
        "<!---->", "<!-- x -->", "<!-->", "<!--->", "<!-- a --!>", "<!-- <b> - -- -->",
        "<script>x</script>", "<SCRIPT type=\"text/javascript\">if (a<b) s = \"</p>\"</script >",
        "<style>p{}</style>", "<template><p>x</p></template>",
        "<![CDATA[]]>", "<![CDATA[x]]>", "<?php ?>", "<?xml version=\"1.0\"?>", "<!x>", "<!DOCTYPE html>",
        "<img src=\"x.png\" alt=\"\">", "<svg><circle r=\"1\"/></svg>", "<span></span>", "<wbr>",
        "<font color=red>", "</font>", "<custom-tag>", "<x>", "</x>", "<a href=\"#\">", "</>", "</script>",
        "<del></del>", "<label>", "<p-x>",
    ]
}

@Suite struct NormalisationTests {
    @Test func foldsCaseFully() {
        #expect(words("ГОЛОСУЙТЕ ГоЛоСуЙтЕ") == ["голосуите", "голосуите"])
        #expect(words("Straße") == words("STRASSE"))
        #expect(words("VOTE") == ["vote"])
    }

    @Test func appliesCompatibilityForms() {
        #expect(words("ｖｏｔｅ") == ["vote"])
        #expect(words("𝐯𝐨𝐭𝐞 𝓿𝓸𝓽𝓮") == ["vote", "vote"])
        #expect(words("ⓥⓞⓣⓔ 🅥🅞🅣🅔 🆅🅾🆃🅴") == ["vote", "vote", "vote"])
        // Flags stay emoji.
        #expect(words("🇰🇿 vote") == ["vote"])
        #expect(words("ﬁnal") == ["final"])
        // Small capitals and other unusual letters of the same script (UTS #39).
        #expect(words("ᴠᴏᴛᴇ ɡolos") == ["vote", "golos"])
    }

    @Test func removesInvisibleCharacters() {
        #expect(words("го\u{200B}ло\u{00AD}су\u{2060}й\u{200C}те") == ["голосуите"])
        #expect(words("\u{FEFF}vo\u{200D}te\u{FE0F}") == ["vote"])
        #expect(words("го\u{3164}лосуйте") == ["голосуите"])
    }

    @Test func stripsMarkupAndDecodesReferences() {
        #expect(words("<b>Го</b>лосуйте &amp; <i>поддержите</i>") == ["голосуите", "подержите"])
        #expect(words("&#1075;&#x43E;лосуйте") == ["голосуите"])
        #expect(words("<p>vote</p><p>now</p>") == ["vote", "now"])
        #expect(words("<script>var vote = 1;</script>hi") == ["hi"])
        #expect(words("a < b and c > d") == ["a", "b", "and", "c", "d"])
    }

    @Test func markupThatRendersAsNothingLeavesAWordWhole() {
        for markup in InvisibleMarkup.samples {
            for (head, tail, key) in [("го", "лосуйте", "голосуите"), ("Vo", "te", "vote")] {
                let text = "— " + head + markup + tail + "!"
                let tokens = TextNormaliser.normalise(text).tokens
                #expect(tokens.map(\.key) == [key], "\(markup)")
                #expect(tokens.map { scalars(text, $0.start, $0.end) } == [head + markup + tail], "\(markup)")
            }
        }
        #expect(words("го<!---->лосуйте за <b>нас</b><!-- -->!") == ["голосуите", "за", "нас"])
    }

    @Test func blockMarkupStillSeparatesWords() {
        for markup in [
            "<p>", "</p>", "<P CLASS=\"x\">", "<br>", "<br/>", "</br>", "<hr>", "<div>", "</div>", "<li>", "<td>", "<th>",
            "<tr>", "<h1>", "<h6>", "<blockquote>", "<pre>", "<section>", "<article>", "<table>", "<ul>", "<ol>",
        ] {
            #expect(words("го" + markup + "лосуйте") == ["го", "лосуите"], "\(markup)")
            #expect(words("vo" + markup + "te") == ["vo", "te"], "\(markup)")
        }
        #expect(words("го<div>x</div>лосуйте") == ["го", "x", "лосуите"])
        #expect(words("го<!-- x --><p>лосуйте") == ["го", "лосуите"])
        let tokens = TextNormaliser.normalise("го<br>лосуйте").tokens
        #expect(tokens.map { [$0.start, $0.end] } == [[0, 2], [6, 13]])
    }

    /// Markup that never ends hides nothing (a stray `<!--` in a plain-text post is seen by every
    /// reader); markup that ends inside the rest still reads as markup.
    @Test func unfinishedMarkupHidesNothing() {
        #expect(words("го<!-- never closed лосуйте") == ["го", "never", "closed", "лосуите"])
        #expect(words("<!-- го<b>ло</b>суйте") == ["голосуите"])
        #expect(words("го<script>лосуйте") == ["голосуите"])
        #expect(words("vo<script>te <style>now") == ["vote", "now"])
        #expect(words("vote <script>x</scripts> now") == ["vote", "x", "now"])
        #expect(words("го<?лосуйте") == ["го", "лосуите"])
        #expect(words("vo<!te") == ["vo", "te"])
        #expect(words("vote<!--") == ["vote"])
        #expect(words("vote<!") == ["vote"])
        #expect(words("vote<") == ["vote"])
        #expect(words("<!--") == [])
        // A comment ends at its first `-->`, as in HTML: what follows a nested one is text.
        #expect(words("го<!-- <!-- x --> -->лосуйте") == ["го", "лосуите"])
        // A stray end tag hides nothing after it.
        #expect(words("vote </script> now </style>") == ["vote", "now"])
        #expect(words("<script>a</script>vote<script>b</script>") == ["vote"])
    }

    @Test func readsLookAlikesInTheScriptOfTheWord() {
        // Latin o, c, e inside a Cyrillic word; Cyrillic о inside a Latin word.
        #expect(words("гoлocуйтe") == ["голосуите"])
        #expect(words("vоte") == ["vote"])
        // Upper-case Latin look-alikes keep their case meaning: H is Н, not һ.
        #expect(words("ПOДДEPЖИTE") == words("поддержите"))
        // A word made only of Latin look-alikes keeps its Latin key and gets a Cyrillic reading.
        #expect(allKeys("3A HAC").isSuperset(of: words("за нас")))
        #expect(allKeys("cop").contains("сор"))
        // Greek omicron, Armenian օ, Cherokee Ꭺ in Cyrillic and Latin words.
        #expect(words("голοсуйте") == ["голосуите"])
        #expect(words("гօлосуйте") == ["голосуите"])
        #expect(words("vՕte") == ["vote"])
        // No distinctive letter in either script (н, Latin a c; Latin h p, Cyrillic о е): the key
        // takes the script of the first letter, and the other script's reading is kept too.
        #expect(words("Поддержите нac!") == ["подержите", "нас"])
        #expect(allKeys("нac").contains("нас"))
        #expect(allKeys("нac").count == 2)
        #expect(words("hоpе") == ["hope"])
        #expect(allKeys("hоpе").contains("hope") && allKeys("hоpе").count == 2)
        // A Latin word with a Cyrillic look-alike in it is read as the Latin word, Kazakh
        // reading included (`Qаzaqstan` is Қазақстан).
        #expect(allKeys("vоte") == allKeys("vote"))
        #expect(allKeys("Qаzaqstan").contains("казакстан"))
        // A Latin word that goes on in Cyrillic letters (keyboards switched halfway) is read as
        // Cyrillic too, its Latin letters by their sound.
        #expect(allKeys("golosuйте").contains("голосуите"))
        #expect(allKeys("podderжite").contains("подержите"))
        // Historic Cyrillic letters drawn like everyday ones read as those (UTS #39): fita as ө.
        #expect(words("ѳтінеміз Ѳтінеміз сӀаз") == words("өтінеміз өтінеміз сіаз"))
        // Wherever the switch falls, and whichever script the word's letters seem to be in: its
        // Latin letters are read by their sound (`po` is по here, not the look-alikes ро), its
        // Cyrillic ones kept; a switch back to Latin (`голоsuyte`) is read the same way.
        let switched = ["poддержите": "подержите", "poddержите": "подержите", "golосуйте": "голосуите",
                        "beriңіз": "бериниз", "qoldańыз": "колданыз", "vyboры": "выборы", "uchаствуйте": "участвуите",
                        "выbory": "выборы", "қолdańyz": "колданыз", "подderzhite": "подержите", "сайлаñız": "саиланыз",
                        "гоlосуйте": "голосуите"]
        for (text, key) in switched { #expect(allKeys(text).contains(key), "\(text)") }
        // A word of Cyrillic letters that all look like Latin ones is read as Latin too (the
        // reverse of `HAC`); a Cyrillic word with a distinctive letter is not.
        #expect(allKeys("НОРЕ").contains("hope"))
        #expect(allKeys("сор").contains("cop"))
        #expect(allKeys("голосуйте") == ["голосуите"])
        // A word wholly in Greek (or another script's) letters that look like Latin or Cyrillic
        // ones is read as both; one letter with no look-alike, and there is no reading.
        #expect(allKeys("ΗΟΡΕ") == ["ηορε", "hope", "норе"])
        #expect(allKeys("ΤΑΚ") == ["τακ", "tak", "так"])
        #expect(allKeys("ΗΑϹ") == ["ηασ", "hac", "нас"])
        #expect(allKeys("ΦΩΣ") == ["φωσ"])
        #expect(allKeys("日本") == ["日本"])
        // Lunate sigma looks like c, though it folds to σ.
        #expect(words("ΓΟΛΟϹΥЙΤΕ") == ["голосуите"])
        // A Latin letter with no Cyrillic look-alike read as the Cyrillic letter it stands for.
        #expect(words("gолосуйте") == ["голосуите"])
        // So is an unusual Latin letter, as the basic letter it stands for (script g, small capital G).
        #expect(words("ɡолосуйте ɢолосуйте") == ["голосуите", "голосуите"])
    }

    @Test func readsDigitsInsideWordsAsLetters() {
        #expect(words("г0л0суйте") == ["голосуите"])
        #expect(words("v0te") == ["vote"])
        #expect(words("3а нас") == ["за", "нас"])
        #expect(words("2024 covid19") == ["2024", "covid19"])
        // Digits in compatibility forms too (superscript, circled, mathematical, subscript).
        #expect(words("v⁰te г⓪лосуйте v𝟎te ₃а 2⁰24") == ["vote", "голосуите", "vote", "за", "2024"])
        // By convention rather than shape: 4 for ч, and Latin leet; @ between letters for a.
        #expect(words("4тобы v0t3 п@ртия з@ нас, @marat") == ["чтобы", "vote", "партия", "за", "нас", "marat"])
        // `$` after a letter for s (by its sound in a Cyrillic word); a currency or a ticker stays.
        #expect(words("vote for u$ ca$h ＣＡ＄Ｈ голо$уйте") == ["vote", "for", "us", "cash", "cash", "голосуите"])
        #expect(words("US$5 $100 $AAPL 5$ $ vote") == ["us", "5", "100", "apl", "5", "vote"])
    }

    @Test func keysKazakhLettersAndTheirSubstitutes() {
        // Latin i for і, Russian-keyboard substitutes for ң, қ.
        #expect(words("берiңiздер") == words("беріңіздер"))
        #expect(words("колданыздар") == words("қолдаңыздар"))
        #expect(words("ёлка") == words("елка"))
        #expect(words("е\u{0308}лка голосуи\u{0306}те") == words("ёлка голосуйте"))
        // Kazakh Latin letters typed inside Cyrillic words.
        #expect(words("Маǵан даýыс берińіздер") == words("маған дауыс беріңіздер"))
    }

    @Test func readsKazakhLatinAsCyrillic() {
        let cyrillic = Set(words("дауыс беріңіздер қолдаңыздар сайлаңыздар"))
        // 2018 alphabet (acute accents), 2021 alphabet, and the dotless-i-with-acute spelling.
        #expect(cyrillic.isSubset(of: allKeys("Daýys berińizder, qoldańyzdar, saılańyzdar")))
        #expect(cyrillic.isSubset(of: allKeys("dauys berıñızder qoldañyzdar saılañyzdar")))
        #expect(allKeys("ı́").contains("и"))
        #expect(allKeys("Shyndyq").contains(words("шындық")[0]))
        // Informal transliteration of Russian.
        #expect(allKeys("golosuyte za nas").isSuperset(of: words("голосуйте за нас")))
        #expect(allKeys("podderzhite").contains(words("поддержите")[0]))
        #expect(allKeys("golosujte").contains(words("голосуйте")[0]))
        #expect(allKeys("ajar").contains(words("ажар")[0]))
        // ng is н and г (miting), and ң as Kazakh and Kyrgyz are typed without their letters;
        // gh is ғ, and y before a vowel makes one iotated letter (Yerlan, Bayev, yolka).
        #expect(allKeys("beringizder").isSuperset(of: words("беріңіздер бериңиздер")))
        #expect(allKeys("miting").contains(words("митинг")[0]))
        #expect(allKeys("saghan").contains(words("саған")[0]))
        #expect(allKeys("Yerlan yel Bayev yolka").isSuperset(of: words("Ерлан ел Баев ёлка")))
        // ı is і in 2021 (bır = бір), and ы as Turkish writes it (halıq = халық), in either case;
        // its key is i all the same.
        #expect(allKeys("bır").contains(words("бір")[0]))
        for text in ["halıq", "Halıq", "HALIQ"] { #expect(allKeys(text).contains(words("халық")[0])) }
        #expect(allKeys("Şığıñız").contains(words("шығыңыз")[0]))
        #expect(allKeys("saylañız").contains(words("сайлаңыз")[0]))
        #expect(words("polıtıcs POLITICS") == ["politics", "politics"])
        // A Cyrillic look-alike typed into a Kazakh Latin word keeps its reading.
        #expect(allKeys("Qаzaqstan jеńis").isSuperset(of: words("Қазақстан жеңіс")))
        #expect(allKeys("berіńiz").contains(words("беріңіз")[0]))
    }

    @Test func joinsSpelledOutLetters() {
        // An emoji of several scalars (a flag, a skin tone) between the letters is one character.
        #expect(words("v 🇰🇿 o 🇰🇿 t 🇰🇿 e") == ["vote"])
        #expect(words("г 👍🏻 о 👍🏻 л 👍🏻 о 👍🏻 с") == ["голос"])
        #expect(words("v 🇰🇿🇰🇿 o 🇰🇿🇰🇿 t 🇰🇿🇰🇿 e") == ["vote"])
        #expect(words("v  🇰🇿  o  🇰🇿  t  🇰🇿  e") == ["v", "o", "t", "e"])
        #expect(words("г о л о с у й т е") == ["голосуите"])
        #expect(words("г.о.л.о.с.у.й") == ["голосуи"])
        #expect(words("v o t e") == ["vote"])
        #expect(words("g-o-l-o-s") == ["golos"])
        #expect(words("г\nо\nл\nо\nс") == ["голос"])
        #expect(words("г о л о с у й т е   з а   н а с") == ["голосуите", "за", "нас"])
        // Wider spaces end a word too, and a short word after them is still read whole.
        #expect(words("v o t e    f o r    u s") == ["vote", "for", "us"])
        #expect(words("г о л о с у й т е\n\n\n\nз а\t\t\t\tн а с") == ["голосуите", "за", "нас"])
        #expect(words("v o t e                  f o r") == ["vote", "f", "o", "r"], "past 16 spaces the runs are apart")
        #expect(words("итоги:    а    б") == ["итоги", "а", "б"])
        // Ordinary one-letter words are not glued together.
        #expect(words("а я в шоке") == ["а", "я", "в", "шоке"])
        #expect(words("и т.д.") == ["и", "т", "д"])
        // Any one mark between the letters, mixed; a space between marked-out words still ends
        // a word (`v.o.t.e f.o.r` is two).
        #expect(words("г.о.л.о.с-у.й.т.е") == ["голосуите"])
        #expect(words("f.i_g/h-t v🔥o.t-e") == ["fight", "vote"])
        #expect(words("г.о.л.о.с.у.й.т.е з.а н.а.с") == ["голосуите", "за", "нас"])
        #expect(words("г-о-л-о-с у й") == ["голос", "у", "и"])
        // A digit that stands for a letter, spelled out with the letters around it.
        #expect(words("v 0 t e") == ["vote"])
        #expect(words("г.0.л.0.с.у.й.т.е") == ["голосуите"])
        #expect(words("Друзья, в ы б 0 р ы завтра") == ["друзья", "выборы", "завтра"])
        #expect(words("s u p p 0 r t") == ["suport"])
        // Numbers stay numbers: a digit that stands for no letter there, at the end of a run, or
        // among digits.
        #expect(words("в 5 и 6 ч") == ["в", "5", "и", "6", "ч"])
        #expect(words("1 2 3 4") == ["1", "2", "3", "4"])
        #expect(words("0 t e s t") == ["0", "test"])
    }

    @Test func readsLettersSpelledOutWithMixedGapsAsOneWordMore() throws {
        // The most common gap cuts the pieces; the letters across the mixed gaps are one
        // compound more, over the pieces' positions and from the first letter to the last.
        let text = "Friends, v/o t e today"
        let tokens = TextNormaliser.normalise(text).tokens
        #expect(tokens.filter { $0.kind == .word }.map(\.key) == ["friends", "v", "o", "t", "e", "today"])
        let compound = try #require(tokens.first { $0.kind == .compound })
        #expect(compound.key == "vote" && compound.positions == 1...4)
        #expect(scalars(text, compound.start, compound.end) == "v/o t e")
        #expect(allKeys("ж-е.ң і_с").contains(words("жеңіс")[0]))
        #expect(allKeys("в🔥ы-б_о🔥р ы").contains("выборы"))
        #expect(allKeys("f_i g_h-t").contains("fight"))
        #expect(allKeys("қ-о л д🔥а.ң-ы з").contains(words("қолдаңыз")[0]))
        // The pieces stay as they were: one-letter words between spelled-out ones are kept.
        #expect(words("г-о-л-о-с-у-й-т-е и п-о-д-д-е-р-ж-и-т-е") == ["голосуите", "и", "подержите"])
        #expect(words("г-о-л-о-с у й") == ["голос", "у", "и"])
        // One gap alike throughout, a wider gap, or too few letters: nothing more.
        #expect(TextNormaliser.normalise("v o t e").tokens.allSatisfy { $0.kind == .word })
        #expect(!allKeys("v o t e    f o r").contains("votefor"))
        #expect(TextNormaliser.normalise("и т.д.").tokens.allSatisfy { $0.kind == .word })
    }

    @Test func readsAWordGluedToANumberAlsoAsItsLetters() {
        let text = "Vote2024! 2024сайлау"
        let tokens = TextNormaliser.normalise(text).tokens
        #expect(tokens.map(\.key) == ["vote2024", "vote", "2024саилау", "саилау"])
        #expect(tokens.map(\.kind) == [.word, .compound, .word, .compound])
        #expect(tokens.map(\.positions) == [0...0, 0...0, 1...1, 1...1])
        #expect(tokens.map { scalars(text, $0.start, $0.end) } == ["Vote2024", "Vote", "2024сайлау", "сайлау"])
        #expect(allKeys("голосуйте1").contains("голосуите"))
        #expect(allKeys("covid19").contains("covid"))
        // Digits inside the letters stay part of the word; a digit read as a letter there keeps
        // that reading too.
        #expect(TextNormaliser.normalise("v0te г0л0с").tokens.allSatisfy { $0.kind == .word })
        #expect(allKeys("v0t3").isSuperset(of: ["vote", "vot"]))
        // Numbers, one letter beside a number, and a word with no number: nothing more.
        for text in ["2024", "g20", "5G", "vote", "1v1", "2024 vote"] {
            #expect(TextNormaliser.normalise(text).tokens.allSatisfy { $0.kind == .word }, "\(text)")
        }
    }

    @Test func squeezesStretchedLetters() {
        #expect(words("голосууууйте") == ["голосуите"])
        #expect(words("vooooote") == ["vote"])
        #expect(words("поддержите") == words("подержите"))
    }

    @Test func dropsStressMarks() {
        #expect(words("голосу́йте") == ["голосуите"])
    }

    @Test func splitsHashtagsAndKeepsThemWhole() {
        let tokens = TextNormaliser.normalise("#VoteForMarat").tokens
        #expect(tokens.map(\.key) == ["#voteformarat", "vote", "for", "marat"])
        #expect(tokens[0].kind == .hashtag && tokens[0].positions == 0...2)
        #expect(words("#vote_for_marat") == ["vote", "for", "marat"])
        #expect(words("#ГолосуйЗаНас") == ["голосуи", "за", "нас"])
        #expect(words("#VOTEForMarat2024").starts(with: ["vote"]))
    }

    /// Letters spelled out with underscores in a hashtag are its parts and one word more, over
    /// all their positions and the whole hashtag's offsets; two letters, words, or letters cut
    /// apart by case or digits only are no such word.
    @Test func spelledOutHashtagIsOneWordToo() {
        let tokens = TextNormaliser.normalise("за #г_о_л_о_с_у_й_т_е!").tokens
        #expect(tokens.map(\.key) == ["за", "#голосуите", "г", "о", "л", "о", "с", "у", "и", "т", "е", "голосуите"])
        let joined = tokens[tokens.count - 1]
        #expect(joined.kind == .word && joined.positions == 1...9 && joined.start == 4 && joined.end == 21)
        #expect(words("#V_O_T_E").last == "vote")
        #expect(words("#v_0_t_e").last == "vote")
        #expect(words("#г_о") == ["г", "о"])
        #expect(words("#vote_for_us") == ["vote", "for", "us"])
        #expect(words("#a1b2") == ["a", "1", "b", "2"])
        #expect(words("#a_b__c") == ["a", "b", "c"])
    }

    /// A lone digit standing for a letter cuts a hashtag into parts, which are also read as one
    /// word with the digit as its letter: a compound over their positions and offsets. Numbers,
    /// digits that stand for no letter and underscores or case changes between parts do not join.
    @Test func hashtagDigitsStandingForLettersJoinTheirParts() {
        let tokens = TextNormaliser.normalise("за #v0teForUs").tokens
        #expect(tokens.map(\.key) == ["за", "#voteforus", "v", "0", "te", "for", "us", "vote"])
        let joined = tokens[tokens.count - 1]
        #expect(joined.kind == .compound && joined.positions == 1...3 && joined.start == 4 && joined.end == 8)
        func compounds(_ text: String) -> [String] {
            TextNormaliser.normalise(text).tokens.filter { $0.kind == .compound }.map(\.key)
        }
        #expect(compounds("#ВЫБ0РЫ #г0л0суйте #3аНас #Голосуйте3а") == ["выборы", "голосуите", "за", "голосуитеза"])
        #expect(compounds("#covid19 #2024vote #vote2024 #G20Summit #v_0_te #vote2u").isEmpty)
    }

    /// `#VOTEforMarat` and `#NYCMarathon`: the last capital of a run that lower case follows
    /// may end either word, so the parts beside it are read both ways, at the same positions.
    @Test func hashtagCapitalsRunningIntoLowerCaseReadBothWays() {
        let text = "go #VOTEforMarat"
        let tokens = TextNormaliser.normalise(text).tokens
        #expect(tokens.map(\.key) == ["go", "#voteformarat", "vot", "vote", "efor", "for", "marat"])
        #expect(tokens.map(\.positions) == [0...0, 1...3, 1...1, 1...1, 2...2, 2...2, 3...3])
        #expect(tokens.map { scalars(text, $0.start, $0.end) } == ["go", "#VOTEforMarat", "VOT", "VOTE", "Efor", "for", "Marat"])
        #expect(tokens[1].kind == .hashtag && tokens.dropFirst(2).allSatisfy { $0.kind == .word })
        // The words after the hashtag go on from its last part.
        #expect(TextNormaliser.normalise("#NYCMarathon today").tokens.last?.positions == 2...2)
        #expect(words("#NYCMarathon") == ["nyc", "nycm", "marathon", "arathon"])
        #expect(words("#HTMLParser") == ["html", "htmlp", "parser", "arser"])
        #expect(words("#ГОЛОСУЙТЕза") == ["голосуит", "голосуите", "еза", "за"])
        #expect(words("#SUPPORTus") == ["supor", "suport", "tus", "us"])
        #expect(words("#ҚОЛДАҢЫЗбізді") == ["колданы", "колданыз", "збизди", "бизди"])
        // No run of capitals into lower case, no second reading.
        #expect(words("#VoteForMarat") == ["vote", "for", "marat"])
        #expect(words("#VOTE2024 #vote_FOR") == ["vote", "2024", "vote", "for"])
        // The capital of `For` could end `VOTEF` as far as the letters tell.
        #expect(words("#VOTEForMarat2024") == ["vote", "votef", "for", "or", "marat", "2024"])
    }

    /// `!`, `|`, `+`, `€` and `$` beside letters read both as the punctuation they are and as the
    /// letter they imitate, the latter as a compound over the words around them.
    @Test func symbolsStandingForLettersReadBothWays() {
        let text = "pol!tics"
        let tokens = TextNormaliser.normalise(text).tokens
        #expect(tokens.map(\.key) == ["pol", "tics", "politics"])
        #expect(tokens.map(\.positions) == [0...0, 1...1, 0...1])
        #expect(tokens.map(\.kind) == [.word, .word, .compound])
        #expect(tokens.map { scalars(text, $0.start, $0.end) } == ["pol", "tics", "pol!tics"])
        // At the start or the end of a word: the word alone, and with the letter over the symbol.
        let start = TextNormaliser.normalise("a $upport").tokens
        #expect(start.map(\.key) == ["a", "uport", "suport"])
        #expect(start.last?.positions == 1...1 && start.last?.start == 2 && start.last?.end == 9)
        let end = TextNormaliser.normalise("suppor+ us").tokens
        #expect(end.map(\.key) == ["supor", "suport", "us"])
        #expect(end[1].positions == 0...0 && end[1].start == 0 && end[1].end == 7)
        #expect(allKeys("vo+e").contains("vote") && allKeys("vot€").contains("vote") && allKeys("€lection").contains("election"))
        #expect(allKeys("he|p").contains("help") && allKeys("!nvite").contains("invite") && allKeys("$UPPORT").contains("suport"))
        // In a Cyrillic word, the Cyrillic letter.
        #expect(allKeys("голосуй+е").contains("голосуите"))
        #expect(allKeys("в€ра").contains("вера"))
        #expect(allKeys("б!з").contains(words("біз")[0]))
        // Several in one word, with digits and connectors.
        #expect(allKeys("$upp0r+").contains("suport") && allKeys("el€ct!on").contains("election"))
        #expect(allKeys("vo+e.for").contains("votefor"))
        // Punctuation stays punctuation: the words are read as they are.
        #expect(words("Голосуйте!Все") == ["голосуите", "все"])
        #expect(words("vote! for") == ["vote", "for"] && !allKeys("vote! for").contains("votei"))
        #expect(words("C++ vote") == ["c", "vote"])
        #expect(words("$AAPL") == words("AAPL") && words("$100 vote") == ["100", "vote"])
        #expect(TextNormaliser.normalise("$100 vote").tokens.allSatisfy { $0.kind == .word })
        // Not beside a letter, or not where the symbol may stand for one: nothing more.
        for text in ["5+3", "a ! b", "a | b", "€5", "a $ b", "+vote", "vote|", "vote!", "$5"] {
            #expect(TextNormaliser.normalise(text).tokens.allSatisfy { $0.kind == .word }, "\(text)")
        }
        #expect(words("5+3 ! | €5 $ +vote vote| vote!") == ["5", "3", "5", "vote", "vote", "vote"])
    }

    /// A soft sign and an upright stroke after it draw ы (UTS #39: ы ≈ ьı, Ы ≈ ЬІ, Ь1), whatever
    /// the stroke is typed with; Cyrillic и after ь stays и.
    @Test func aSoftSignAndAStrokeReadAsYeru() {
        let yeru = words("выборы")
        for text in ["вЬIборЬI", "вbIборbI", "ВЬІБОРЬІ", "вьіборьі", "вЬ1борЬ1", "вЬlборЬl", "ВЬıБОРЬı"] {
            #expect(words(text) == yeru, "\(text)")
        }
        #expect(allKeys("вЬ|боры").contains(yeru[0]) && allKeys("вЬ!боры").contains(yeru[0]), "symbols for l and і")
        #expect(words("статьи судьи чьи") == ["статьи", "судьи", "чьи"])
        #expect(words("Жыл бойы біз бірге") == ["жыл", "боиы", "биз", "бирге"], "і without ь is і")
        // ю as a stroke and an O (UTS #39: Ю ≈ IO), the stroke not typed as a Cyrillic letter.
        #expect(words("голосуIO ГОЛОСУ1О IOрист") == words("голосую голосую юрист"))
        #expect(allKeys("голосу|о").contains(words("голосую")[0]))
        #expect(words("радіо вЬIO") == words("радіо выо"), "і and ы before o stay")
        #expect(!allKeys("голосу10 Ь10").contains(words("голосую")[0]), "digits of a number are no letters")
    }

    /// `()`, `\/` and `/\` draw o, v and a (л in a Cyrillic word): one more reading over the
    /// words around them, with offsets that take in both symbols; each symbol alone stays
    /// punctuation.
    @Test func pairsOfSymbolsDrawingALetterReadBothWays() {
        let text = "г()лосуйте"
        let tokens = TextNormaliser.normalise(text).tokens
        #expect(tokens.map(\.key) == ["г", "лосуите", "голосуите"])
        #expect(tokens.map(\.kind) == [.word, .word, .compound])
        #expect(tokens.map(\.positions) == [0...0, 1...1, 0...1])
        #expect(scalars(text, tokens[2].start, tokens[2].end) == "г()лосуйте")
        // At the start and at the end of a word, and in both scripts.
        let start = TextNormaliser.normalise("за \\/ote").tokens
        #expect(start.map(\.key) == ["за", "ote", "vote"])
        #expect(start[2].positions == 1...1 && start[2].start == 3 && start[2].end == 8)
        #expect(allKeys("vot()").contains("voto") && allKeys("v()te").contains("vote"))
        #expect(allKeys("го/\\осуйте").contains("голосуите") && allKeys("c/\\mpaign").contains("campaign"))
        #expect(allKeys("\\/ыборы").contains("выборы") && allKeys("vo()te").contains("vote"))
        #expect(allKeys("p()lit!cs").contains("politics"))
        // Each symbol alone, a pair not beside a letter, other pairs: punctuation only.
        for text in ["(vote)", "v(o)te", "vote ()", "a / b", "v)(te", "\\/", "()", "x\\y"] {
            #expect(TextNormaliser.normalise(text).tokens.allSatisfy { $0.kind == .word }, "\(text)")
        }
        #expect(words("(vote) and/or") == ["vote", "and", "or"])
    }

    /// Regional indicators are drawn as a flag in pairs that name a region (🇰🇿), which stay emoji;
    /// a run with any other pair, or an odd one left over, is drawn as letters and read as them.
    @Test func regionalIndicatorsThatMakeNoFlagReadAsLetters() {
        #expect(words("🇻🇴🇹🇪 for us") == ["vote", "for", "us"])
        #expect(words("Vote 🇰🇿 🇰🇿🇷🇺 for us") == ["vote", "for", "us"])
        #expect(words("🇺🇸🇦 and 🇸🇺🇵🇵🇴🇷🇹") == ["usa", "and", "suport"], "odd runs are letters whatever their pairs")
        #expect(words("🇻 🇴 🇹 🇪") == ["vote"], "spelled out one a word")
        #expect(words("🇫🇴🇷") == ["for"], "FO is a flag, but R is left over")
        #expect(words("🇨🇦🇲🇵🇦🇮🇬🇳") == [], "every pair a flag: drawn as flags, so no word")
        let text = "за 🇻🇴🇹🇪!"
        let tokens = TextNormaliser.normalise(text).tokens
        #expect(tokens.map { scalars(text, $0.start, $0.end) } == ["за", "🇻🇴🇹🇪"])
        // Upper case, as the boxes show: `H` next to Cyrillic letters reads as Н.
        #expect(allKeys("🇭🇦🇨").contains(words("нас")[0]))
    }

    /// One `*` between letters hides a letter: the word is also read with each letter of its
    /// script there, over the positions of the parts it joins, with the whole word's offsets.
    @Test func aLetterHiddenByAStarIsReadAsEveryLetter() {
        let text = "за г*лосуйте"
        let tokens = TextNormaliser.normalise(text).tokens
        let censored = tokens.filter { $0.kind == .compound }
        #expect(censored.count == 1 + 32, "the parts joined, then а–я in the place of the `*`")
        #expect(censored.contains { $0.key == "голосуите" })
        #expect(censored.allSatisfy { $0.positions == 1...2 && scalars(text, $0.start, $0.end) == "г*лосуйте" })
        #expect(words(text) == ["за", "г", "лосуите"], "the parts stay words")
        #expect(allKeys("v*te").contains("vote") && allKeys("supp*rt").contains("suport") && allKeys("голосуй*е").contains("голосуите"))
        #expect(allKeys("VOT*").isEmpty == false && !allKeys("VOT*").contains("vote"), "a `*` after the word hides nothing")
        #expect(allKeys("қолд*ңыз").contains(words("қолдаңыз")[0]), "Kazakh letters key as Russian ones")
        #expect(allKeys("ber*ńiz").contains(words("беріңіз")[0]), "a Latin word's Kazakh reading, with each Latin letter")
        // Not between letters, or more than one in a word: no hidden letter.
        for text in ["*vote*", "5*3", "v*t*", "*v*te", "vo*t*e", "a * b", "vote*"] {
            #expect(TextNormaliser.normalise(text).tokens.count(where: { $0.kind == .compound }) <= 1, "\(text)")
        }
        // A hostile text pays for a bounded number of such words.
        let hostile = String(repeating: "ab*cd ", count: 1_000)
        #expect(TextNormaliser.normalise(hostile).tokens.count(where: { $0.kind == .compound }) == 1_000 + 32 * 26)
    }

    /// `1️⃣` is an emoji: never a letter (1 for l, 0 for o) or a digit of the word beside it.
    @Test func keycapsAreEmoji() {
        #expect(words("vote1️⃣") == ["vote"])
        #expect(words("1️⃣vote") == ["vote"])
        #expect(words("vote0️⃣ vote1\u{20E3}") == ["vote", "vote"])
        #expect(words("голосуйте1️⃣за") == ["голосуите", "за"])
        #expect(words("1️⃣голосуйте1️⃣") == ["голосуите"])
        #expect(words("қолдаңыз3️⃣") == words("қолдаңыз"))
        #expect(words("1️⃣ 2️⃣ 3️⃣").isEmpty)
        #expect(words("1️⃣").isEmpty && words("🔟").isEmpty)
        // `#️⃣` and `*️⃣` are keycaps too: no hashtag starts there.
        #expect(TextNormaliser.normalise("#️⃣vote *️⃣за").tokens.map(\.key) == ["vote", "за"])
        // Between spelled-out letters a keycap is a separator like any emoji.
        #expect(words("v1️⃣o1️⃣t1️⃣e") == ["vote"])
        // Digits without the keycap mark are read as before.
        #expect(words("г0л0с 2024 v0te") == ["голос", "2024", "vote"])
        let text = "1️⃣vote2⃣ за"
        let tokens = TextNormaliser.normalise(text).tokens
        #expect(tokens.map { scalars(text, $0.start, $0.end) } == ["vote", "за"])
        #expect(tokens.map(\.positions) == [0...0, 1...1])
    }

    /// Symbols that NFKC spells in letters (™ → tm) separate words; letters drawn in a shape
    /// (ⓥ, ⒱) stay letters.
    @Test func symbolsSpelledInLettersSeparateWords() {
        #expect(words("голосуйте™за") == ["голосуите", "за"])
        #expect(words("vote℠now") == ["vote", "now"])
        #expect(words("℡ ㏂ ㎏ ℃ ㎡ ₨ 🅪") == [])
        #expect(words("№5 5㎏") == ["5", "5"])
        #expect(words("ⓥⓞⓣⓔ ⒱⒪⒯⒠ 🄥🄞🄣🄔") == ["vote", "vote", "vote"])
        #expect(words("ｖｏｔｅ™") == ["vote"])
    }

    @Test func separatesWordsAtEmojiAndPunctuation() {
        #expect(words("голосуйте🔥за👍нас") == ["голосуите", "за", "нас"])
        #expect(words("vote!!!now...") == ["vote", "now"])
    }

    @Test func joinsWordsSplitByOneConnector() {
        let tokens = TextNormaliser.normalise("го-ло-суй-те").tokens
        #expect(tokens.contains { $0.kind == .compound && $0.key == "голосуите" && $0.positions == 0...3 })
        // An emoji of one scalar joins as a mark does; the parts stay words.
        let text = "за го🔥ло🔥суй🔥те"
        let joined = TextNormaliser.normalise(text).tokens
        #expect(joined.filter { $0.kind == .word }.map(\.key) == ["за", "го", "ло", "суи", "те"])
        #expect(joined.contains { $0.kind == .compound && $0.key == "голосуите" && $0.positions == 1...4
            && scalars(text, $0.start, $0.end) == "го🔥ло🔥суй🔥те" })
        #expect(allKeys("vo✅te").contains("vote") && allKeys("vo❤️te").contains("vote") && allKeys("vo1️⃣te").contains("vote"))
        // Emoji with spaces around, or of several scalars, separate words only.
        for text in ["vo 🔥 te", "vo👍🏽te", "vo🇰🇿te", "vo🔥🔥te"] {
            #expect(TextNormaliser.normalise(text).tokens.allSatisfy { $0.kind == .word }, "\(text)")
        }
        // Dashes, the minus sign, dots of other kinds, `~` and `:` join as a hyphen does;
        // commas and semicolons do not.
        for text in ["го–ло–суй–те", "го—ло—суй—те", "го−ло−суй−те", "го‧ло‧суй‧те", "го・ло・суй・те", "го∙ло∙суй∙те",
                     "го⋅ло⋅суй⋅те", "го~ло~суй~те", "го:ло:суй:те", "го`ло`суй`те"] {
            #expect(allKeys(text).contains("голосуите"), "\(text)")
        }
        for text in ["го,ло,суй,те", "го;ло;суй;те"] { #expect(!allKeys(text).contains("голосуите"), "\(text)") }
        // A word hyphenated at the end of a line is read whole too, offsets over the break;
        // a hyphen with more than white space after it is no such break.
        let broken = "за голо-\n  суйте"
        let hyphenated = TextNormaliser.normalise(broken).tokens.filter { $0.kind == .compound }
        #expect(hyphenated.map(\.key) == ["голосуите"] && hyphenated[0].positions == 1...2
            && scalars(broken, hyphenated[0].start, hyphenated[0].end) == "голо-\n  суйте")
        #expect(allKeys("sup-\r\nport").contains(words("support")[0]))
        #expect(!allKeys("sup- port sup-\n- port sup\n-port").contains(words("support")[0]))
    }

    @Test func offsetsPointIntoTheOriginalText() {
        let text = "🔥 <b>Голо</b>суйте &laquo;за&raquo; г о л о с 🗳️ #VoteFor"
        let tokens = TextNormaliser.normalise(text).tokens
        let shown = tokens.map { scalars(text, $0.start, $0.end) }
        #expect(shown == ["Голо</b>суйте", "за", "г о л о с", "#VoteFor", "Vote", "For"])
        let entity = "&laquo;голосуй&raquo;"
        let token = TextNormaliser.normalise(entity).tokens[0]
        #expect((token.start, token.end) == (7, 14))
    }

    @Test func hostileTextIsReadInOnePass() {
        // Unclosed tags, quotes and comments by the hundred thousand: still read, still text.
        #expect(words(String(repeating: "<a\"", count: 100_000) + " голосуйте").last == "голосуите")
        #expect(words(String(repeating: "<", count: 100_000) + "vote") == ["vote"])
        let xs = String(repeating: "x ", count: 50_000)
        #expect(words("<!-- " + xs) == words(xs))
        #expect(words(String(repeating: "<!--", count: 50_000) + "vote") == ["vote"])
        #expect(words(String(repeating: "<?", count: 50_000) + "vote") == ["vote"])
        #expect(words(String(repeating: "<script>", count: 50_000) + "vote") == ["vote"])
        #expect(words(String(repeating: "<style></styl ", count: 20_000) + "vote").count == 20_001)
        // A long run of spelled-out letters with changing gaps, and one across wide spaces.
        let run = (0..<20_000).map { $0 % 7 == 0 ? "г  " : "о " }.joined()
        #expect(!words(run).isEmpty)
        #expect(words(String(repeating: "v o t e     ", count: 20_000)) == Array(repeating: "vote", count: 20_000))
        // Regional indicators, pairs of symbols and ЬI by the ten thousand.
        #expect(words(String(repeating: "🇻🇴", count: 50_000) + " vote").last == "vote")
        #expect(words(String(repeating: "🇰🇿", count: 50_000) + " vote") == ["vote"])
        #expect(allKeys(String(repeating: "v()te ", count: 20_000)).contains("vote"))
        #expect(words(String(repeating: "ЬI", count: 50_000) + " vote").last == "vote")
    }

    @Test func displaysTheTextAsTheMatcherReadsIt() {
        #expect(TextNormaliser.normalise("Гoлocуйтe ЗА нас!").display == "голосуите за нас")
        #expect(TextNormaliser.normalise("berińizder").display == "berinizder/бериниздер")
    }
}

/// Reads a word written in Latin letters as Cyrillic, so that rules written in Kazakh (or Russian)
/// Cyrillic catch the same words typed in Latin:
/// - Kazakh Latin of the 2018 decree (acute accents: á ǵ í/ı́ ń ó ú ý, digraphs sh ch),
/// - Kazakh Latin of 2021 (ä ğ ı ñ ö ş ū ü; y is ы, i is и/й, ı is і; ŋ and ç of the 2019 draft);
///   ı is also read as ы, as Turkish and the Common Turkic Alphabet write it and as many people
///   type Kazakh (halıq, saylañız),
/// - the informal transliteration people type on Latin keyboards (zh, kh, gh, shch, ya, yu, ye,
///   yo, x, j, ng).
///
/// The two official alphabets disagree on plain letters (i is і in 2018, и/й in 2021; u is ұ in
/// 2018, у in 2021), but the key folding that follows merges exactly those pairs (і, и and й all
/// read as и; ұ and у as у), so one reading serves both. Cyrillic letters in the word stay as they
/// are; words with letters outside this repertoire (w, and letters of any other script) get no
/// reading.
enum LatinReading {
    /// Appends the reading of `word` (folded Latin letters, marks already composed) to `out`;
    /// returns false, leaving `out` as it was, when the word has letters the reading does not know.
    ///
    /// Where the conventions disagree, the first reading takes the official Kazakh one and
    /// reports the ambiguity in `ambiguous`; a second call with `alternative` gives the other:
    /// - `y` after `u` and `j` after a vowel: ы and ж in Kazakh (dauys = дауыс), the glide й in
    ///   transliterated Russian (golosuyte, golosujte = голосуйте);
    /// - `ı`: і in the 2021 alphabet (bır = бір), ы in the Turkish habit (halıq = халық);
    /// - `ng`: н and г as written (miting = митинг), and the ң that Kazakh and Kyrgyz typed
    ///   without their letters write as ng (beringizder = беріңіздер).
    static func read(
        _ word: UnsafeBufferPointer<UInt32>, table: ScalarTable, into out: inout ScratchBuffer<UInt32>,
        alternative: Bool = false, ambiguous: inout Bool
    ) -> Bool {
        let mark = out.count
        let n = word.count
        var i = 0
        while i < n {
            let c = word[i]
            let next = i + 1 < n ? word[i + 1] : 0
            // Digraphs first: sh ch zh kh gh (and shch), ya yu ye yo.
            if next == 0x68 /* h */ {
                var digraph: UInt32 = 0
                switch c {
                case 0x73: digraph = 0x448 // sh → ш
                case 0x63: digraph = 0x447 // ch → ч
                case 0x7A: digraph = 0x436 // zh → ж
                case 0x6B: digraph = 0x445 // kh → х
                case 0x67: digraph = 0x493 // gh → ғ (saghan = саған)
                default: break
                }
                if digraph != 0 {
                    if c == 0x73, i + 3 < n, word[i + 2] == 0x63, word[i + 3] == 0x68 {
                        out.append(0x449); i += 4; continue // shch → щ
                    }
                    out.append(digraph); i += 2; continue
                }
            }
            if c == 0x79 /* y */ {
                // ya → я, yu → ю, ye → е (Yerlan, Bayev), yo → ё. Kazakh never puts ы before
                // another vowel, so these are never the 2021 alphabet's y.
                var iotated: UInt32 = 0
                switch next {
                case 0x61: iotated = 0x44F
                case 0x75: iotated = 0x44E
                case 0x65: iotated = 0x435
                case 0x6F: iotated = 0x451
                default: break
                }
                if iotated != 0 { out.append(iotated); i += 2; continue }
            }
            if c == 0x79 {
                // y is ы in both official alphabets; after a vowel it is the glide (й) of
                // informal transliteration (golosuyte, Zhylanbayev).
                let previous = i > 0 ? word[i - 1] : 0
                if isU(previous) {
                    ambiguous = true
                    out.append(alternative ? 0x439 : 0x44B)
                } else {
                    out.append(isVowel(previous) ? 0x439 : 0x44B)
                }
                i += 1; continue
            }
            if c == 0x6A /* j */, i > 0, isVowel(word[i - 1]) || isU(word[i - 1]) {
                // After a vowel, j is ж in Kazakh Latin (ajar) and й in transliterated Russian
                // (golosujte, moj): the same two readings as y after u.
                ambiguous = true
                out.append(alternative ? 0x439 : 0x436)
                i += 1
                continue
            }
            if c == 0x131 /* ı */ {
                ambiguous = true
                out.append(alternative ? 0x44B : 0x456)
                i += 1
                continue
            }
            if c == 0x6E /* n */, next == 0x67 /* g */ {
                ambiguous = true
                if alternative { out.append(0x4A3); i += 2; continue } // ng → ң
            }
            // A Cyrillic letter typed into the Latin word (`golosuйте`: the writer switched
            // keyboards halfway) is already what the reading wants.
            guard let mapped = c &- 0x400 < 0x100 ? c : single(c, table) else {
                out.removeLast(out.count - mark)
                return false
            }
            out.append(mapped)
            i += 1
        }
        return true
    }

    /// One Latin letter read as Cyrillic, without digraphs (also used for a stray Latin letter
    /// inside a Cyrillic word that has no look-alike there, such as the g of "gолосуйте").
    @inline(__always) static func single(_ c: UInt32, _ table: ScalarTable) -> UInt32? {
        if c < 0x80 {
            let v = table.latinReading[Int(c)]
            return v == 0 ? nil : v
        }
        return extended[c]
    }

    /// u, or Cyrillic у where the word went on in Latin after a keyboard switch (`голосуyte`).
    @inline(__always) private static func isU(_ c: UInt32) -> Bool { c == 0x75 || c == 0x443 }

    @inline(__always) private static func isVowel(_ c: UInt32) -> Bool {
        switch c {
        case 0x61, 0x65, 0x69, 0x6F, 0xE1, 0xE4, 0xF3, 0xF6, 0x131, 0xED: true
        // Cyrillic vowels, where the word went on in Latin after a keyboard switch (`голоsuyte`).
        case 0x430, 0x435, 0x438, 0x43E, 0x44D, 0x44E, 0x44F, 0x451, 0x456, 0x4D9, 0x4E9: true
        default: false
        }
    }

    /// ASCII letters and digits read as Cyrillic (0: no reading); ScalarTable keeps a copy.
    static let asciiTable: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 128)
        let pairs: [(Character, UInt32)] = [
            ("a", 0x430), ("b", 0x431), ("c", 0x441), ("d", 0x434), ("e", 0x435), ("f", 0x444), ("g", 0x433),
            ("h", 0x445), ("i", 0x456), ("j", 0x436), ("k", 0x43A), ("l", 0x43B), ("m", 0x43C), ("n", 0x43D),
            ("o", 0x43E), ("p", 0x43F), ("q", 0x49B), ("r", 0x440), ("s", 0x441), ("t", 0x442), ("u", 0x443),
            ("v", 0x432), ("x", 0x445), ("y", 0x44B), ("z", 0x437),
        ]
        for (letter, cyrillic) in pairs { table[Int(letter.asciiValue!)] = cyrillic }
        for digit in 0x30...0x39 { table[digit] = UInt32(digit) }
        return table
    }()

    private static let extended: [UInt32: UInt32] = [
        0xE1: 0x4D9, 0xE4: 0x4D9,                // á ä → ә
        0x1F5: 0x493, 0x11F: 0x493,              // ǵ ğ → ғ
        0xED: 0x438, 0x131: 0x456,               // í → и, ı → і
        0x144: 0x4A3, 0xF1: 0x4A3, 0x14B: 0x4A3, // ń ñ ŋ → ң
        0xF3: 0x4E9, 0xF6: 0x4E9,                // ó ö → ө
        0xFA: 0x4AF, 0xFC: 0x4AF,                // ú ü → ү
        0x16B: 0x4B1,                            // ū → ұ
        0xFD: 0x443,                             // ý → у
        0x15F: 0x448, 0xE7: 0x447,               // ş → ш, ç → ч
    ]
}

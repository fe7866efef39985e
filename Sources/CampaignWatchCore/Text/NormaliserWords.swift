/// Finding words in the mapped scalars: plain words, hashtags and their parts, letters spelled
/// out with separators, and syllables joined by one connector; each folded into a token.
extension NormaliserCore {
    // MARK: Words and hashtags

    @inline(__always) func isWordPart(_ i: Int) -> Bool {
        mapped[i].flags & 3 != 0
    }

    /// The letter a symbol stands for right after a letter: `@` for a (з@ нас, п@ртия; a mention
    /// such as @marat follows no letter), `$` for s (u$, ca$h, голо$уйте, read by its sound in a
    /// Cyrillic word) unless a digit follows, where it is a currency (US$5). At the start of a
    /// word `@` is a mention, and `$` reads both ways (`symbolLetter`: `$upport`, but `$AAPL` is a
    /// ticker, and a decoration must not hide the word after it).
    @inline(__always) static func letterStandIn(_ scalar: UInt32, beforeDigit: Bool) -> UInt32? {
        switch scalar {
        case 0x40: 0x61
        case 0x24 where !beforeDigit: 0x73
        default: nil
        }
    }

    /// Where a symbol may stand for a letter: between two letters, before the first letter of a
    /// word, after the last.
    struct StandInPlaces: OptionSet {
        let rawValue: UInt8
        static let between = StandInPlaces(rawValue: 1)
        static let start = StandInPlaces(rawValue: 2)
        static let end = StandInPlaces(rawValue: 4)
    }

    /// The letter a symbol may stand for beside letters (`pol!tics`, `б!з`, `vo+e`, `suppor+`,
    /// `$upport`, `vot€`, `he|p`), in a Latin and in a Cyrillic word, and where. Unlike `@` and `$`
    /// after a letter, these are also everyday punctuation (`Голосуйте!Все`, `C++`, `a|b`, a
    /// ticker `$AAPL`), so the words around one are read as they are and, with the letter in its
    /// place, as one more word (a compound).
    @inline(__always) static func symbolLetter(_ scalar: UInt32) -> (latin: UInt32, cyrillic: UInt32, places: StandInPlaces)? {
        switch scalar {
        case 0x21: (0x69, 0x456, [.between, .start]) // ! for i, і
        case 0x7C: (0x6C, 0x6C, [.between, .start]) // | for l
        case 0x2B: (0x74, 0x442, [.between, .end]) // + for t, т
        case 0x20AC: (0x65, 0x435, [.between, .start, .end]) // € for e, е
        case 0x24: (0x73, 0x73, [.start]) // $ for s (after a letter it is read in place)
        default: nil
        }
    }

    /// The letter two symbols draw together (`v()te`, `г()лосуйте`, `\/ote`, `го/\осуйте`), in a
    /// Latin and in a Cyrillic word, anywhere beside a letter. Each symbol alone is punctuation,
    /// so, as for `!` and `+`, the pair makes one more reading, never the only one.
    @inline(__always) static func pairLetter(_ first: UInt32, _ second: UInt32) -> (latin: UInt32, cyrillic: UInt32)? {
        switch (first, second) {
        case (0x28, 0x29): (0x6F, 0x43E) // () for o, о
        case (0x5C, 0x2F): (0x76, 0x432) // \/ for v, в (by its sound)
        case (0x2F, 0x5C): (0x61, 0x43B) // /\ for a (Λ), л
        default: nil
        }
    }

    /// The stand-in cell for the symbols `from..<to`, read in the script of the letter at
    /// `beside`: one symbol that may stand for a letter in `place`, or a pair that draws one.
    func standIn(from: Int, to: Int, beside: Int, _ place: StandInPlaces) -> WordCell? {
        guard from >= 0, to <= mapped.count, mapped[beside].flags & 3 == 1 else { return nil }
        let letter: (latin: UInt32, cyrillic: UInt32)
        switch to - from {
        case 1:
            guard let symbol = Self.symbolLetter(mapped[from].scalar), symbol.places.contains(place) else { return nil }
            letter = (symbol.latin, symbol.cyrillic)
        case 2:
            guard let pair = Self.pairLetter(mapped[from].scalar, mapped[from + 1].scalar) else { return nil }
            letter = pair
        default:
            return nil
        }
        let script = ScalarTable.Entry(flags: mapped[beside].flags).script
        var cell = cell(at: from, readAs: script == .cyrillic ? letter.cyrillic : letter.latin)
        cell.end = mapped[to - 1].end
        return cell
    }

    /// A symbol or pair for a letter right before the word part at `from` (`$upport`, `\/ote`),
    /// with no word part before it.
    func leadStandIn(_ from: Int) -> WordCell? {
        for width in 1...2 {
            let i = from - width
            guard i >= 0, i == 0 || !isWordPart(i - 1) else { continue }
            if let cell = standIn(from: i, to: from, beside: from, .start) { return cell }
        }
        return nil
    }

    /// A symbol or pair for a letter right after the word part before `to` (`suppor+`, `vot()`),
    /// with no word part after it.
    func trailStandIn(_ to: Int) -> WordCell? {
        for width in 1...2 {
            let j = to + width
            guard j <= mapped.count, j == mapped.count || !isWordPart(j) else { continue }
            if let cell = standIn(from: to, to: j, beside: to - 1, .end) { return cell }
        }
        return nil
    }

    /// The cell at `i` (its offsets) read as `letter`.
    func cell(at i: Int, readAs letter: UInt32) -> WordCell {
        var cell = mapped[i]
        cell.scalar = letter
        cell.flags = UInt8(truncatingIfNeeded: table.entry(letter).bits)
        return cell
    }

    /// `🇻🇴🇹🇪`: regional indicators are drawn as flags in pairs that name a region (🇰🇿), which stay
    /// emoji; a run with any other pair, or with one left over, is drawn as boxed letters, which
    /// read as the capitals they show. A renderer pairs a run from its start, and so does this.
    mutating func readRegionalLetters() {
        @inline(__always) func isRegional(_ i: Int) -> Bool { mapped[i].scalar &- 0x1F1E6 < 26 }
        let n = mapped.count
        var i = 0
        while i < n {
            guard isRegional(i) else { i &+= 1; continue }
            var j = i
            while j < n, isRegional(j) { j += 1 }
            var flags = (j - i) % 2 == 0
            var k = i
            while flags, k < j { flags = table.isFlag(mapped[k].scalar, mapped[k + 1].scalar); k += 2 }
            if !flags {
                for k in i..<j {
                    let capital = 0x41 + (mapped[k].scalar - 0x1F1E6), letter = capital | 0x20
                    mapped[k].scalar = letter
                    mapped[k].flags = table.asciiFlags[Int(letter)]
                    mapped[k].source = capital
                    mapped[k].sourceFlags = table.asciiFlags[Int(capital)]
                }
            }
            i = j
        }
    }

    mutating func segment() {
        readRegionalLetters()
        segments.removeAll()
        let n = mapped.count
        var i = 0
        while i < n {
            if isWordPart(i) {
                let from = i
                var letters = 0, numbers = 0
                while i < n {
                    var klass = mapped[i].flags & 3
                    if klass == 0, i > from, mapped[i - 1].flags & 3 == 1,
                       let letter = Self.letterStandIn(mapped[i].scalar, beforeDigit: i + 1 < n && mapped[i + 1].flags & 3 == 3) {
                        mapped[i].scalar = letter
                        mapped[i].flags = table.asciiFlags[Int(letter)]
                        klass = 1
                    }
                    if klass == 0 { break }
                    if klass == 1 { letters &+= 1 } else if klass == 3 { numbers &+= 1 }
                    i &+= 1
                }
                segments.append(Segment(from: Int32(from), to: Int32(i), hash: -1, single: letters == 1 && numbers == 0))
            } else if mapped[i].scalar == 0x23, i + 1 < n, isWordPart(i + 1), i == 0 || !isWordPart(i - 1) {
                let hash = i
                i += 1
                let from = i
                while i < n, isWordPart(i) || mapped[i].scalar == 0x5F { i &+= 1 }
                segments.append(Segment(from: Int32(from), to: Int32(i), hash: Int32(hash), single: false))
            } else {
                i &+= 1
            }
        }
    }

    mutating func emitTokens(field: UInt8) {
        markSpelledDigits()
        var k = 0
        let count = segments.count
        while k < count {
            let segment = segments[k]
            if segment.hash >= 0 {
                emitHashtag(segment, field: field)
                k += 1
                continue
            }
            if segment.single {
                var m = k
                while m + 1 < count, segments[m + 1].single, segments[m + 1].hash < 0,
                      isSpellingGap(from: Int(segments[m].to), to: Int(segments[m + 1].from))
                        || isWideSpace(from: Int(segments[m].to), to: Int(segments[m + 1].from)) {
                    m += 1
                }
                if m - k >= 2 {
                    emitSpelled(k, m, field: field)
                    k = m + 1
                    continue
                }
            }
            var m = k
            var standIns = false
            while m + 1 < count, m - k < 7, segments[m + 1].hash < 0 {
                let gap = Int(segments[m].to), next = Int(segments[m + 1].from)
                if isConnector(from: gap, to: next) {
                    m += 1
                } else if standIn(from: gap, to: next, beside: gap - 1, .between) != nil, mapped[next].flags & 3 == 1 {
                    standIns = true
                    m += 1
                } else {
                    break
                }
            }
            let first = nextPosition
            for j in k...m {
                let from = Int(segments[j].from), to = Int(segments[j].to)
                let position = emit(.word, field: field, start: mapped[from].start, end: mapped[to - 1].end,
                                    cells: UnsafeBufferPointer(start: mapped.base + from, count: to - from))
                if let position, to - from > 2 { emitLettersBesideNumber(from: from, to: to, position: position, field: field) }
            }
            // A symbol for a letter before the first letter or after the last, standing alone.
            let lead = leadStandIn(Int(segments[k].from)), trail = trailStandIn(Int(segments[m].to))
            if nextPosition > first, m > k && nextPosition - first >= 2 || standIns || lead != nil || trail != nil {
                let start = lead?.start ?? mapped[Int(segments[k].from)].start, end = trail?.end ?? mapped[Int(segments[m].to) - 1].end
                let positions = first...(nextPosition - 1)
                gatherCompound(k, m, lead: lead, trail: trail)
                emit(.compound, field: field, start: start, end: end, positions: positions)
                if m > k { emitCensored(k, m, lead: lead, trail: trail, field: field, start: start, end: end, positions: positions) }
            }
            k = m + 1
        }
    }

    /// `vote2024`, `сайлау2023`, `2024vote`, `голосуйте1`: a word glued to a number (a hashtag
    /// without its `#`, or a digit added to slip past a rule) is also read as its letters alone,
    /// at the word's position (a compound of one position, like the other extra readings, so
    /// the word is shown and counted once). Digits inside the letters (`v0te`, `г0л0с`) stay
    /// part of the word; only a number at either end is left out, which for a digit that stands
    /// for a letter there (`4тобы`, `v0t3`) is one reading more, not instead.
    mutating func emitLettersBesideNumber(from: Int, to: Int, position: Int32, field: UInt8) {
        @inline(__always) func isNumber(_ i: Int) -> Bool { mapped[i].flags & 3 == 3 }
        var a = from, b = to
        while a < b, isNumber(a) { a += 1 }
        while b > a, isNumber(b - 1) { b -= 1 }
        guard a > from || b < to, mapped[a].flags & 3 == 1 else { return }
        var letters = 0
        for i in a..<b where mapped[i].flags & 3 == 1 { letters += 1 }
        guard letters >= 2 else { return }
        emit(.compound, field: field, start: mapped[a].start, end: mapped[b - 1].end, positions: position...position,
             cells: UnsafeBufferPointer(start: mapped.base + a, count: b - a))
    }

    /// The cells of segments `k...m` as one word: the symbols between them that stand for letters
    /// read as those letters, connectors dropped; `censored` (a `*` between two of them) read as
    /// the letter given with it.
    mutating func gatherCompound(_ k: Int, _ m: Int, lead: WordCell?, trail: WordCell?, censored: (at: Int, letter: UInt32)? = nil) {
        cells.removeAll()
        if let lead { cells.append(lead) }
        for j in k...m {
            let from = Int(segments[j].from)
            if j > k {
                let gap = Int(segments[j - 1].to)
                if let letter = standIn(from: gap, to: from, beside: gap - 1, .between) {
                    cells.append(letter)
                } else if let censored, censored.at == gap, from - gap == 1 {
                    cells.append(cell(at: gap, readAs: censored.letter))
                }
            }
            append(from: from, to: Int(segments[j].to))
        }
        if let trail { cells.append(trail) }
    }

    /// `г*лосуйте`, `v*te`: one `*` between letters hides a letter that could be any. The word is
    /// also read with each letter of its script in that place (a compound over the same
    /// positions, like the word the `*` joins), so a rule finds it whichever letter was hidden.
    /// Russian letters serve Kazakh and Kyrgyz words too, as keys fold their letters to Russian
    /// ones; a Latin word's readings come with each Latin letter. Only one `*` a word (two would be
    /// a thousand readings), and at most `censoredPerText` words a text.
    mutating func emitCensored(
        _ k: Int, _ m: Int, lead: WordCell?, trail: WordCell?, field: UInt8, start: Int32, end: Int32, positions: ClosedRange<Int32>
    ) {
        guard censoredLeft > 0 else { return }
        var star = -1
        for j in (k + 1)...m {
            let gap = Int(segments[j - 1].to)
            guard Int(segments[j].from) == gap + 1, mapped[gap].scalar == 0x2A,
                  mapped[gap - 1].flags & 3 == 1, mapped[gap + 1].flags & 3 == 1 else { continue }
            if star >= 0 { return }
            star = gap
        }
        guard star >= 0 else { return }
        // `v*t*`, `*v*te`: another `*` glued to the word.
        let before = Int(segments[k].from) - 1, after = Int(segments[m].to)
        if before >= 0 && mapped[before].scalar == 0x2A || after < mapped.count && mapped[after].scalar == 0x2A { return }
        let script = ScalarTable.Entry(flags: mapped[star - 1].flags).script
        let letters: ClosedRange<UInt32>
        switch script {
        case .latin: letters = 0x61...0x7A
        case .cyrillic: letters = 0x430...0x44F
        default: return
        }
        censoredLeft -= 1
        for letter in letters {
            gatherCompound(k, m, lead: lead, trail: trail, censored: (star, letter))
            emit(.compound, field: field, start: start, end: end, positions: positions)
        }
    }

    /// A lone digit between two spelled-out letters (`v 0 t e`, `г.0.л.0.с`) is spelled out with
    /// them when it stands for a letter of their script, as it does inside a word (`г0л0с`); a
    /// digit that stands for no letter there (`в 5 и`) stays a number.
    mutating func markSpelledDigits() {
        let count = segments.count
        guard count >= 3 else { return }
        for k in 1..<(count - 1) {
            let segment = segments[k]
            guard segment.hash < 0, !segment.single, segment.to - segment.from == 1 else { continue }
            let cell = mapped[Int(segment.from)]
            guard cell.flags & 3 == 3, cell.scalar &- 0x30 < 10 else { continue }
            let before = segments[k - 1], after = segments[k + 1]
            guard before.single, after.single, before.hash < 0, after.hash < 0,
                  mapped[Int(before.from)].flags & 3 == 1, mapped[Int(after.from)].flags & 3 == 1,
                  isSpellingGap(from: Int(before.to), to: Int(segment.from)),
                  isSpellingGap(from: Int(segment.to), to: Int(after.from)) else { continue }
            guard digitStandsForLetter(Int(segment.from), beside: Int(before.from)) else { continue }
            segments[k].single = true
        }
    }

    /// Whether the digit at `digit` stands for a letter in the script of the letter at `letter`.
    func digitStandsForLetter(_ digit: Int, beside letter: Int) -> Bool {
        let script = ScalarTable.Entry(flags: mapped[letter].flags).script
        return (script == .latin || script == .cyrillic) && WordFolder.digitLetter(mapped[digit], in: script, table: table) != nil
    }

    /// Separators between spelled-out letters: one to three scalars (a line break too: one
    /// letter a line is a way to spell a word out).
    /// An emoji of several scalars (a flag, a skin tone, people joined by ZWJ, which is gone by
    /// now) is one character on screen, so it counts as one here (`v 🇰🇿 o 🇰🇿 t 🇰🇿 e`).
    func isSpellingGap(from: Int, to: Int) -> Bool {
        guard to > from, to - from <= 12 else { return false }
        var width = 0
        var i = from
        while i < to {
            let s = mapped[i].scalar
            if s == 0x23 { return false }
            width += 1
            i += 1
            if Self.isEmoji(s) { while i < to, Self.isEmoji(mapped[i].scalar) { i += 1 } }
        }
        return width <= 3
    }

    /// Pictographs, regional indicators and skin-tone modifiers (U+1F000–U+1FAFF), and the
    /// symbols and dingbats of U+2600–U+27BF.
    @inline(__always) static func isEmoji(_ s: UInt32) -> Bool {
        s &- 0x1F000 < 0xB00 || s &- 0x2600 < 0x1C0
    }

    /// Spaces and line breaks wider than a spelling gap (`v o t e    f o r`): they end a
    /// spelled-out word, but the letters after them still belong to the run, so that a short
    /// word there (`f o r`, `з а`) is read as one beside the longer one, as it is after a gap of
    /// three spaces, instead of staying single letters the way `и т.д.` must.
    func isWideSpace(from: Int, to: Int) -> Bool {
        let length = to - from
        guard length > 3, length <= 16 else { return false }
        for i in from..<to {
            switch mapped[i].scalar {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return false
            }
        }
        return true
    }

    /// One connector, or a word hyphenated at the end of a line (`голо-\nсуйте`, `sup-\n  port`:
    /// a hyphen, then white space with a line break in it).
    func isConnector(from: Int, to: Int) -> Bool {
        if to - from == 1 { return PlainKind.isConnector(mapped[from].scalar) }
        guard to - from <= 8, to - from >= 2, Self.isHyphen(mapped[from].scalar) else { return false }
        var lineBreak = false
        for i in (from + 1)..<to {
            if Self.isLineBreak(mapped[i].scalar) {
                lineBreak = true
            } else if mapped[i].scalar != 0x20, mapped[i].scalar != 0x09 {
                return false
            }
        }
        return lineBreak
    }

    /// The hyphens a word is broken with at the end of a line (`-`, U+2010, U+2011); the plain
    /// path asks the same of a gap before it leaves the words around it plain.
    @inline(__always) static func isHyphen(_ s: UInt32) -> Bool { s == 0x2D || s &- 0x2010 < 2 }

    @inline(__always) static func isLineBreak(_ s: UInt32) -> Bool { s == 0x0A || s == 0x0D || s == 0x2028 }

    /// `г о л о с у й т е`, `г.о.л.о.с`, `v-o-t-e`: runs of single letters are cut where the
    /// separator changes (`г о л о с у й   з а`: the wider gap ends a word), and a piece is read as
    /// one word when it is long enough not to be ordinary one-letter words (`а я в`).
    mutating func emitSpelled(_ first: Int, _ last: Int, field: UInt8) {
        gaps.removeAll()
        for j in first..<last { gaps.append(gapKey(from: Int(segments[j].to), to: Int(segments[j + 1].from))) }
        // The most common gap (first seen on a tie); counted in a dictionary only for long runs.
        var modeIndex = 0
        if gaps.count <= 16 {
            var best = 0
            for g in 0..<gaps.count {
                var n = 0
                for h in 0..<gaps.count where gaps[h] == gaps[g] { n += 1 }
                if n > best { best = n; modeIndex = g }
            }
        } else {
            var counts: [UInt64: (count: Int, first: Int)] = [:]
            for g in 0..<gaps.count { counts[gaps[g], default: (0, g)].count += 1 }
            modeIndex = counts.values.max { ($0.count, -$0.first) < ($1.count, -$1.first) }?.first ?? 0
        }
        let mode = gaps[modeIndex]
        var spaced = true
        for i in Int(segments[first + modeIndex].to)..<Int(segments[first + modeIndex + 1].from) where mapped[i].scalar != 0x20 && mapped[i].scalar != 0x09 {
            spaced = false
        }
        // Pieces: maximal runs joined by the most common gap.
        bounds.removeAll()
        var start = first
        for j in first...last where j == last || gaps[j - first] != mode {
            bounds.append(Int32(start)); bounds.append(Int32(j))
            start = j + 1
        }
        let pieces = bounds.count / 2
        var eligible = [Bool](repeating: false, count: pieces)
        for p in 0..<pieces {
            let length = Int(bounds[2 * p + 1] - bounds[2 * p]) + 1
            eligible[p] = length >= 4 || length >= 3 && !spaced
        }
        for p in 0..<pieces where !eligible[p] && bounds[2 * p + 1] > bounds[2 * p] {
            if p > 0 && eligible[p - 1] || p + 1 < pieces && eligible[p + 1] { eligible[p] = true }
        }
        // Each letter's position (the piece's, when it is read whole), -1 for one that took none.
        var positions = [Int32](repeating: -1, count: last - first + 1)
        for p in 0..<pieces {
            let a = Int(bounds[2 * p]), b = Int(bounds[2 * p + 1])
            if eligible[p] {
                gatherSegments(a, b)
                let position = emit(.word, field: field, start: mapped[Int(segments[a].from)].start, end: mapped[Int(segments[b].to) - 1].end)
                if let position { for j in a...b { positions[j - first] = position } }
            } else {
                for j in a...b {
                    gather(from: Int(segments[j].from), to: Int(segments[j].to))
                    let position = emit(.word, field: field, start: mapped[Int(segments[j].from)].start, end: mapped[Int(segments[j].to) - 1].end)
                    if let position { positions[j - first] = position }
                }
            }
        }
        emitMixedSpelling(first, last, mode: mode, positions: positions, field: field)
    }

    /// `v/o t e`, `ж-е.ң і_с`: where the gaps of one scalar between spelled-out letters are not
    /// all alike, the most common one cuts the letters into pieces (above), so that
    /// `г-о-л-о-с у й` stays `голос у й`. The letters across such mixed gaps are also read as one
    /// word more, a compound over the pieces' positions, so a word spelled out with mixed gaps is
    /// found as well. Wider gaps (`г о л о с   з а`) still end a word.
    mutating func emitMixedSpelling(_ first: Int, _ last: Int, mode: UInt64, positions: [Int32], field: UInt8) {
        var a = first
        while a <= last {
            var b = a, mixed = false
            while b < last, segments[b + 1].from - segments[b].to == 1 {
                if gaps[b - first] != mode { mixed = true }
                b += 1
            }
            let lowest = positions[a - first], highest = positions[b - first]
            if mixed, b - a >= 3, lowest >= 0, highest >= lowest {
                gatherSegments(a, b)
                emit(.compound, field: field, start: mapped[Int(segments[a].from)].start, end: mapped[Int(segments[b].to) - 1].end,
                     positions: lowest...highest)
            }
            a = b + 1
        }
    }

    /// What a gap between spelled-out letters is, for telling where a word ends: any one mark
    /// (`.`, `-`, `_`, `/`, an emoji) is the same gap, as people mix them (`г.о.л.о.с-у.й`);
    /// spaces and wider gaps are what they are, so that `г о л о с у й   з а` stays two words.
    func gapKey(from: Int, to: Int) -> UInt64 {
        if to - from == 1, let scalar = Unicode.Scalar(mapped[from].scalar), !scalar.properties.isWhitespace {
            return UInt64.max
        }
        var key: UInt64 = UInt64(to - from)
        for i in from..<to { key = key &* 0x100000001B3 ^ UInt64(mapped[i].scalar) }
        return key
    }

    /// `#VoteForMarat`, `#vote_for_marat`, `#ГолосуйЗа2024`: the hashtag as one token, then
    /// its parts (cut at underscores, case changes and letter/digit changes) as words.
    ///
    /// Where capitals run into lower case, the last capital may start the next word
    /// (`#NYCMarathon`, `#HTMLParser`) or end the capitals' word (`#VOTEforMarat`, `#SUPPORTus`);
    /// nothing in the letters tells which. The parts take the first reading, and each part
    /// beside such a cut is emitted again as it reads the other way (`vote` beside `vot`, `for`
    /// beside `efor`) at the same position, so words, phrases and NEAR find either reading and
    /// the hashtag still counts as many words as it has parts.
    mutating func emitHashtag(_ segment: Segment, field: UInt8) {
        let from = Int(segment.from), to = Int(segment.to)
        bounds.removeAll()
        // Bit p: the cut after part p is one capital early or not (parts past 64 take one reading).
        var ambiguousCuts: UInt64 = 0
        var partStart = -1
        for i in from..<to {
            let s = mapped[i].scalar
            if s == 0x5F {
                if partStart >= 0 { bounds.append(Int32(partStart)); bounds.append(Int32(i)) }
                partStart = -1
                continue
            }
            if partStart >= 0, i > partStart {
                let cut = partCut(i, to: to)
                if cut != .none {
                    let part = bounds.count / 2
                    if cut == .eitherSide, part < 64 { ambiguousCuts |= 1 << UInt64(part) }
                    bounds.append(Int32(partStart)); bounds.append(Int32(i))
                    partStart = i
                }
            }
            if partStart < 0 { partStart = i }
        }
        if partStart >= 0 { bounds.append(Int32(partStart)); bounds.append(Int32(to)) }
        let parts = bounds.count / 2
        guard parts > 0 else { return }

        cells.removeAll()
        for p in 0..<parts { append(from: Int(bounds[2 * p]), to: Int(bounds[2 * p + 1])) }
        let first = nextPosition
        let hashtag = tokens.count
        emit(.hashtag, field: field, start: mapped[Int(segment.hash)].start, end: mapped[to - 1].end,
             positions: first...(first + Int32(parts) - 1))
        for p in 0..<parts {
            let a = Int(bounds[2 * p]), b = Int(bounds[2 * p + 1])
            gather(from: a, to: b)
            let position = emit(.word, field: field, start: mapped[a].start, end: mapped[b - 1].end)
            // The cut before this part loses its capital, the cut after it takes the next one.
            let startMoves = p > 0 && p - 1 < 64 && ambiguousCuts >> UInt64(p - 1) & 1 != 0
            let endMoves = p < 64 && ambiguousCuts >> UInt64(p) & 1 != 0
            guard startMoves || endMoves, let position else { continue }
            let a2 = startMoves ? a + 1 : a, b2 = endMoves ? b + 1 : b
            gather(from: a2, to: b2)
            emit(.word, field: field, start: mapped[a2].start, end: mapped[b2 - 1].end, positions: position...position)
        }
        nextPosition = max(nextPosition, first + Int32(parts))
        if tokens.count > hashtag { emitDigitsAsLetters(parts: parts, first: first, field: field) }
        if tokens.count > hashtag, spelledOutHashtag(parts: parts) {
            // `#г_о_л_о_с_у_й_т_е`: letters spelled out with underscores are one word too, as
            // they are in running text (`г_о_л_о_с`). The hashtag folded the same letters: the
            // word is its keys after the `#`, readings included, from its first letter on.
            var word = tokens[hashtag]
            word.kind = .word
            word.keyStart += 1
            word.keyLength -= 1
            word.start = mapped[Int(bounds[0])].start
            tokens.append(word)
        }
    }

    /// `#v0te`, `#ВЫБ0РЫ`, `#Голосуйте3а`: a lone digit standing for a letter splits a hashtag
    /// into parts at the letter/digit changes (as `#covid19` must be split), so the parts it
    /// sits between are also read as one word with the digit as its letter, as they would be in
    /// running text: a compound over their positions, like a word whose syllables a connector
    /// joins. Only across those changes: an underscore or a case change still ends the word.
    mutating func emitDigitsAsLetters(parts: Int, first: Int32, field: UInt8) {
        @inline(__always) func loneDigit(_ p: Int) -> Bool {
            let a = Int(bounds[2 * p])
            guard Int(bounds[2 * p + 1]) == a + 1, mapped[a].flags & 3 == 3 else { return false }
            // The script of the letters beside it decides what it stands for.
            let beside = p > 0 && Int(bounds[2 * p - 1]) == a ? a - 1 : a + 1
            guard beside < mapped.count, mapped[beside].flags & 3 == 1 else { return false }
            return digitStandsForLetter(a, beside: beside)
        }
        @inline(__always) func lettersPart(_ p: Int) -> Bool { mapped[Int(bounds[2 * p])].flags & 3 == 1 }
        // Parts p and p + 1 touch (no underscore between) and one of them is a lone digit.
        @inline(__always) func linked(_ p: Int) -> Bool {
            bounds[2 * p + 1] == bounds[2 * p + 2]
                && (loneDigit(p) && lettersPart(p + 1) || lettersPart(p) && loneDigit(p + 1))
        }
        var p = 0
        while p < parts - 1 {
            guard linked(p) else { p += 1; continue }
            var last = p + 1
            while last < parts - 1, linked(last) { last += 1 }
            let a = Int(bounds[2 * p]), b = Int(bounds[2 * last + 1])
            gather(from: a, to: b)
            emit(.compound, field: field, start: mapped[a].start, end: mapped[b - 1].end,
                 positions: (first + Int32(p))...(first + Int32(last)))
            p = last + 1
        }
    }

    /// Whether the hashtag's parts (in `bounds`) are three or more single letters or digits, one
    /// underscore between each two.
    func spelledOutHashtag(parts: Int) -> Bool {
        guard parts >= 3 else { return false }
        for p in 0..<parts {
            let a = Int(bounds[2 * p]), b = Int(bounds[2 * p + 1])
            let entry = ScalarTable.Entry(flags: mapped[a].flags)
            guard b == a + 1, entry.isLetter || entry.isNumber else { return false }
            if p + 1 < parts, Int(bounds[2 * p + 2]) != b + 1 || mapped[b].scalar != 0x5F { return false }
        }
        return true
    }

    enum PartCut { case none, cut, eitherSide }

    /// Whether a hashtag's part ends before `i`: at a letter/digit change, a capital after a
    /// lower-case letter, or the last capital of a run that lower case follows (`eitherSide`:
    /// it may belong to either word).
    func partCut(_ i: Int, to: Int) -> PartCut {
        let current = ScalarTable.Entry(flags: mapped[i].flags), previous = ScalarTable.Entry(flags: mapped[i - 1].flags)
        if current.isMark { return .none }
        if current.isNumber != previous.isNumber && !previous.isMark { return .cut }
        let upper = ScalarTable.Entry(flags: mapped[i].sourceFlags).isUpper
        let previousUpper = ScalarTable.Entry(flags: mapped[i - 1].sourceFlags).isUpper
        if upper && !previousUpper && previous.isLetter { return .cut }
        if upper && previousUpper, i + 1 < to {
            let next = ScalarTable.Entry(flags: mapped[i + 1].sourceFlags)
            if next.isLetter && !next.isUpper { return .eitherSide }
        }
        return .none
    }

    /// The letters of segments `a...b` as one word (spelled-out letters, their gaps dropped).
    mutating func gatherSegments(_ a: Int, _ b: Int) {
        cells.removeAll()
        for j in a...b { append(from: Int(segments[j].from), to: Int(segments[j].to)) }
    }

    @inline(__always) mutating func gather(from: Int, to: Int) {
        cells.removeAll()
        append(from: from, to: to)
    }

    @inline(__always) mutating func append(from: Int, to: Int) {
        var cells = self.cells
        defer { self.cells = cells }
        for i in from..<to { cells.append(mapped[i]) }
    }

    /// Folds the gathered cells into a token and returns the position it took: the next one,
    /// or nil for a token given its `positions` and for a word that folds to nothing (it takes
    /// no position).
    @discardableResult
    mutating func emit(
        _ kind: TokenKind, field: UInt8, start: Int32, end: Int32, positions: ClosedRange<Int32>? = nil,
        cells slice: UnsafeBufferPointer<WordCell>? = nil
    ) -> Int32? {
        let keyStart = keys.count
        if kind == .hashtag { keys.append(0x23) }
        let folded = WordFolder.fold(slice ?? cells.buffer, table: table, keys: &keys, work: &work)
        if folded.primary == 0 {
            keys.removeLast(keys.count - keyStart)
            return nil
        }
        let range = positions ?? nextPosition...nextPosition
        tokens.append(TokenRecord(
            keyStart: Int32(keyStart), keyLength: Int32(keys.count - keyStart - folded.reading - folded.secondReading),
            readingLength: Int32(folded.reading), secondReadingLength: Int32(folded.secondReading),
            firstPosition: range.lowerBound, lastPosition: range.upperBound, start: start, end: end, kind: kind, field: field, wordEntry: -1))
        guard positions == nil else { return nil }
        nextPosition += 1
        return nextPosition - 1
    }
}

/// One scalar of a word on its way to a matching key: `scalar` after NFKC + case folding,
/// `source` as written (it keeps the case, which decides look-alikes: Latin "H" reads as
/// Cyrillic "н", Latin "h" as "һ").
struct WordCell {
    var scalar: UInt32
    var source: UInt32
    /// The original offsets it stands for.
    var start: Int32
    var end: Int32
    /// Low bytes of the table entries of `scalar` and `source` (class, script, case, look-alikes).
    var flags: UInt8
    var sourceFlags: UInt8
}

/// Turns the scalars of one word into its matching key: look-alike letters of the other script
/// read in the script the word is written in, digits inside words read as the letters they
/// imitate, diacritics dropped, Kazakh letters keyed as their Russian neighbours, stretched
/// letters squeezed; and, for a word in Latin letters, its Cyrillic reading (LatinReading).
enum WordFolder {
    struct Keys {
        var primary: Int
        var reading: Int
        var secondReading: Int
    }

    /// Appends the primary key, then the reading (if any) to `keys`; `work` is scratch.
    static func fold(
        _ cells: UnsafeBufferPointer<WordCell>, table: ScalarTable,
        keys: inout ScratchBuffer<UInt32>, work: inout ScratchBuffer<UInt32>
    ) -> Keys {
        var latin = 0, cyrillic = 0, latinDistinct = 0, cyrillicDistinct = 0, letters = 0, numbers = 0
        var asciiOnly = true
        var firstScript: UInt8 = 0
        for cell in cells {
            if cell.source >= 0x80 { asciiOnly = false }
            let flags = cell.flags
            let klass = flags & 3
            if klass == 3 { numbers &+= 1 }
            guard klass == 1 else { continue }
            letters &+= 1
            let script = flags >> 2 & 3
            let distinct = Int(flags >> 5 & 1)
            if firstScript == 0 { firstScript = script }
            if script == 1 {
                latin &+= 1
                // Only basic Latin letters say "this word is Latin": the accented ones are as
                // likely Kazakh Latin typed into a Cyrillic word (Маǵан).
                latinDistinct &+= cell.scalar < 0x80 ? distinct : 0
            } else if script == 2 {
                cyrillic &+= 1
                cyrillicDistinct &+= distinct
            }
        }
        let target: ScalarTable.Script
        if latin == 0 && cyrillic == 0 {
            target = .other
        } else if latinDistinct != cyrillicDistinct {
            target = latinDistinct > cyrillicDistinct ? .latin : .cyrillic
        } else if latin == 0 || cyrillic == 0 {
            target = latin > 0 ? .latin : .cyrillic
        } else {
            // No distinctive letter decides (and the word is read in both scripts below): the key
            // shown takes the script of the first letter, which substitutions rarely touch.
            target = firstScript == 1 ? .latin : .cyrillic
        }

        // Pass 1: letters in the target script, marks dropped (composition already happened).
        let mixed = target != .other
            && (latin > 0 && cyrillic > 0 || numbers > 0 && letters > 0 || latin + cyrillic < letters)
        if asciiOnly && !mixed {
            work.removeAll()
            for cell in cells { work.append(readingLetter(cell.scalar, source: cell.source)) }
        } else {
            foldLetters(cells, to: target, mixed: mixed, letters: letters, table: table, into: &work)
        }

        // Pass 2: the keys.
        let before = keys.count
        let word = work.buffer
        appendKey(word, table: table, to: &keys)
        let primary = keys.count - before
        var reading = 0, second = 0
        if target == .latin, cyrillic == 0 || latinDistinct > cyrillicDistinct {
            // A Latin word, even with a Cyrillic look-alike typed into it (`Qаzaqstan`), is also
            // read as Kazakh Latin: two evasions at once must not undo the reading.
            var ambiguous = false
            reading = appendReading(word, table: table, alternative: false, ambiguous: &ambiguous, to: &keys)
            if ambiguous {
                second = appendReading(word, table: table, alternative: true, ambiguous: &ambiguous, to: &keys)
            } else if cyrillic == 0 {
                // (With a Cyrillic letter in it, the word has a Latin letter with no Cyrillic
                // look-alike, so it has no such reading: the slot is left for the one below.)
                second = appendLookAlikeReading(cells, in: .cyrillic, table: table, to: &keys)
            }
        } else if target == .cyrillic, latin == 0, cyrillicDistinct == 0 {
            // The reverse of `HAC`: a word of Cyrillic letters that all look like Latin ones
            // (`НОРЕ`, `сор`) is read as that Latin word too.
            reading = appendLookAlikeReading(cells, in: .latin, table: table, to: &keys)
        } else if target == .other, letters > 0 {
            // A word wholly in letters of a third script that look like Latin or Cyrillic ones
            // (Greek `ΗΟΡΕ`, `ΤΑΚ`, Cherokee `ᏙᎾᎢᎬ`) is read as that Latin word and that Cyrillic
            // word too, as a Greek letter inside a Latin or Cyrillic word already is.
            reading = appendLookAlikeReading(cells, in: .latin, table: table, to: &keys)
            let cyrillicReading = appendLookAlikeReading(cells, in: .cyrillic, table: table, to: &keys)
            if reading == 0 { reading = cyrillicReading } else { second = cyrillicReading }
        } else if target == .cyrillic, latin > 0, latinDistinct != cyrillicDistinct {
            // Keyboards switched halfway (`podдержите`, `poддержите`, `beriңіз`, `гоlосуйте`):
            // the Latin letters may have been typed by their sound, not as look-alikes, so the
            // word is also read with them as Cyrillic by sound (`po` is по, not ро; `l` is л, not і).
            var ambiguous = false
            if appendAsWritten(cells, table: table, into: &work) {
                reading = appendReading(work.buffer, table: table, alternative: false, ambiguous: &ambiguous, to: &keys)
                reading = dropRepeat(&keys, of: before, primary, 0, 0)
                if ambiguous {
                    second = appendReading(work.buffer, table: table, alternative: true, ambiguous: &ambiguous, to: &keys)
                    second = dropRepeat(&keys, of: before, primary, reading, 0)
                }
            }
        } else if latin > 0, cyrillic > 0, latinDistinct == cyrillicDistinct {
            // Nothing tells the script: "нac" (н, Latin a, c) is нас as much as "hоpе" (Latin h,
            // p, Cyrillic о, е) is hope, and a count of look-alike letters decides neither. The
            // word is read in the other script too.
            let other: ScalarTable.Script = target == .latin ? .cyrillic : .latin
            foldLetters(cells, to: other, mixed: true, letters: letters, table: table, into: &work)
            appendKey(work.buffer, table: table, to: &keys)
            reading = dropRepeat(&keys, of: before, primary, 0, 0)
        }
        if target == .latin || latinDistinct == cyrillicDistinct, reading == 0 || second == 0, latin > 0, cyrillic > 0,
           latinDistinct > 0 || switchesScriptOnce(cells), appendAsWritten(cells, table: table, into: &work) {
            // The same for a word read as Latin, or whose letters do not tell, when a Latin letter
            // with no Cyrillic look-alike or a single switch of script says the keyboard changed
            // (`golосуйте`, `qoldańыз`, `қолdańyz`): its Cyrillic letters may be the word going on
            // after the switch, not look-alikes typed into it, so it is also read with them kept
            // (one reading more where one is free). Look-alikes scattered through a Latin word
            // (`hоpе`, `vоtе`) get no such reading.
            var ambiguous = false
            _ = appendReading(work.buffer, table: table, alternative: false, ambiguous: &ambiguous, to: &keys)
            let length = dropRepeat(&keys, of: before, primary, reading, second)
            if reading == 0 { reading = length } else { second = length }
        }
        // The matcher looks for a second reading only after a first.
        if reading == 0 { swap(&reading, &second) }
        return Keys(primary: primary, reading: reading, secondReading: second)
    }

    /// The letters of a word in `target`'s script (look-alikes and lone digits read as its
    /// letters when the word is `mixed`), marks dropped, into `work`.
    private static func foldLetters(
        _ cells: UnsafeBufferPointer<WordCell>, to target: ScalarTable.Script, mixed: Bool, letters: Int, table: ScalarTable,
        into work: inout ScratchBuffer<UInt32>
    ) {
        work.removeAll()
        var i = 0
        let n = cells.count
        while i < n {
            let cell = cells[i]
            let entry = ScalarTable.Entry(flags: cell.flags)
            var s = cell.scalar
            if entry.isMark {
                i += 1
                continue
            }
            if entry.isLetter, entry.script == target {
                // Unusual letters of the word's own script (small capitals, script g, Cyrillic
                // fita ѳ and palochka ӏ); basic Latin and U+0400–U+045F have none. Dotless ı
                // stays for the Kazakh reading, which tells it from i (keys fold it to i all the same).
                if s >= 0x80, s < 0x400 || s > 0x45F, s != 0x131,
                   entry.hasLookAlike || ScalarTable.Entry(flags: cell.sourceFlags).hasLookAlike,
                   let alike = table.lookAlike(cell.source, in: target) ?? table.lookAlike(cell.scalar, in: target) {
                    s = alike
                }
            } else if mixed {
                if entry.isLetter {
                    if let alike = table.lookAlike(cell.source, in: target) ?? table.lookAlike(cell.scalar, in: target) {
                        s = alike
                    } else if target == .cyrillic, entry.script == .latin,
                              // Script g or a small capital G is read as the g it stands for.
                              let read = LatinReading.single(table.lookAlike(s, in: .latin) ?? s, table) {
                        s = read
                    }
                } else if entry.isNumber, letters > 0, isLoneDigit(cells, i, table) {
                    s = digitLetter(cell, in: target, table: table) ?? s
                }
            }
            // (A digit counts only where it was read as a letter: `Ь10` is no ы.)
            if target == .cyrillic, s &- 0x30 >= 10, let last = work.last, last &- 0x30 >= 10 {
                // `вЬIборЬI`, `вbIборbI`: a soft sign and a stroke after it draw ы (UTS #39 lists ы
                // as ьı, Ы as ЬІ and Ь1), a pair no word of these languages writes.
                if last == 0x44C, isStroke(cell.source) {
                    work[work.count - 1] = 0x44B
                    i += 1
                    continue
                }
                // `голосуIO`, `IOрист`: a stroke typed outside Cyrillic and an o after it draw ю
                // (UTS #39: Ю as IO). Cyrillic і before о is left alone (Ukrainian `радіо`).
                if i > 0, last != 0x44B, isLatinStroke(cells[i - 1].source), isRound(cell.source) {
                    work[work.count - 1] = 0x44E
                    i += 1
                    continue
                }
            }
            work.append(readingLetter(s, source: cell.source))
            i += 1
        }
    }

    /// A letter or symbol drawn as one upright stroke (I, l, ı, і, Ӏ, 1, |, !): after a soft sign
    /// it completes ы. Cyrillic и never does (`статьи`).
    @inline(__always) static func isStroke(_ source: UInt32) -> Bool {
        switch source {
        case 0x49, 0x69, 0x6C, 0x131, 0x456, 0x406, 0x4CF, 0x4C0, 0x31, 0x7C, 0x21: true
        default: false
        }
    }

    /// A stroke typed with a capital I, a digit or a symbol, as half of ю (`IO`, `|O`, `1O`): not
    /// i or ı, which Kazakh typists put for і, nor l, which in a Cyrillic word may stand for л
    /// (`гolос`).
    @inline(__always) static func isLatinStroke(_ source: UInt32) -> Bool {
        switch source {
        case 0x49, 0x31, 0x7C, 0x21: true
        default: false
        }
    }

    /// O in any of the ways it is typed: Latin, Cyrillic, the digit.
    @inline(__always) static func isRound(_ source: UInt32) -> Bool {
        switch source {
        case 0x4F, 0x6F, 0x41E, 0x43E, 0x30: true
        default: false
        }
    }

    /// The letter of a Latin word as its Kazakh reading takes it: a capital I is ı's capital as
    /// much as i's (HALIQ, as Halıq), so it is kept as ı, which the reading reads both ways
    /// (keys fold it to i all the same).
    @inline(__always) static func readingLetter(_ folded: UInt32, source: UInt32) -> UInt32 {
        folded == 0x69 && source == 0x49 ? 0x131 : folded
    }

    /// Appends a Cyrillic reading, keyed like any Cyrillic word; its length (0: none).
    static func appendReading(
        _ word: UnsafeBufferPointer<UInt32>, table: ScalarTable, alternative: Bool, ambiguous: inout Bool,
        to keys: inout ScratchBuffer<UInt32>
    ) -> Int {
        let start = keys.count
        guard LatinReading.read(word, table: table, into: &keys, alternative: alternative, ambiguous: &ambiguous) else { return 0 }
        var w = start, previous: UInt32 = 0
        for r in start..<keys.count {
            let s = table.keyFold(keys[r])
            if s == previous, s > 0x40 { continue }
            keys[w] = s; w += 1; previous = s
        }
        keys.removeLast(keys.count - w)
        return w - start
    }

    /// The length of the key just appended after the word's keys (from `first`: the primary key
    /// and readings of the lengths given), or 0, having removed it, when it repeats one of them.
    private static func dropRepeat(
        _ keys: inout ScratchBuffer<UInt32>, of first: Int, _ primary: Int, _ reading: Int, _ second: Int
    ) -> Int {
        let start = first + primary + reading + second
        let length = keys.count - start
        func repeats(_ from: Int, _ count: Int) -> Bool {
            count == length && (0..<length).allSatisfy { keys[from + $0] == keys[start + $0] }
        }
        if length > 0, !repeats(first, primary), !repeats(first + primary, reading), !repeats(first + primary + reading, second) {
            return length
        }
        keys.removeLast(length)
        return 0
    }

    /// Whether the word's letters are Latin, then Cyrillic (or the reverse), with one switch:
    /// how a word typed with keyboards switched halfway looks, where look-alikes typed into a
    /// word to hide it are scattered (`vоtе`, `Qаzaqstan`).
    private static func switchesScriptOnce(_ cells: UnsafeBufferPointer<WordCell>) -> Bool {
        var switches = 0
        var last: UInt8 = 0
        for cell in cells where cell.flags & 3 == 1 {
            let script = cell.flags >> 2 & 3
            if last != 0, script != last { switches += 1 }
            last = script
        }
        return switches == 1
    }

    /// The letters of a word that mixes Latin and Cyrillic, each as written (case folded, marks
    /// dropped), into `work` for LatinReading, which reads the Latin ones by their sound and
    /// keeps the Cyrillic ones; false for a word with anything else in it.
    private static func appendAsWritten(
        _ cells: UnsafeBufferPointer<WordCell>, table: ScalarTable, into work: inout ScratchBuffer<UInt32>
    ) -> Bool {
        work.removeAll()
        for cell in cells {
            let entry = ScalarTable.Entry(flags: cell.flags)
            if entry.isMark { continue }
            guard entry.isLetter, entry.script == .latin || entry.script == .cyrillic else { return false }
            work.append(entry.script == .latin ? readingLetter(cell.scalar, source: cell.source) : cell.scalar)
        }
        return true
    }

    /// A word written wholly in letters that all look like letters of `script` (`HAC`, `BOT`, `3A`
    /// read as Cyrillic; `НОРЕ` as Latin) is read as that word too; its length (0: none).
    private static func appendLookAlikeReading(
        _ cells: UnsafeBufferPointer<WordCell>, in script: ScalarTable.Script, table: ScalarTable, to keys: inout ScratchBuffer<UInt32>
    ) -> Int {
        let start = keys.count
        var previous: UInt32 = 0, letters = 0
        for cell in cells {
            let entry = ScalarTable.Entry(flags: cell.flags)
            if entry.isMark { continue }
            guard let alike = table.lookAlike(cell.source, in: script) ?? table.lookAlike(cell.scalar, in: script) else {
                keys.removeLast(keys.count - start)
                return 0
            }
            if entry.isLetter { letters += 1 }
            let s = table.keyFold(alike)
            if s == previous { continue }
            keys.append(s)
            previous = s
        }
        if letters == 0 {
            keys.removeLast(keys.count - start)
            return 0
        }
        return keys.count - start
    }

    /// Folded letters keyed and squeezed (`vooote` → `vote`, `поддержите` → `подержите`):
    /// stretching a letter is the cheapest evasion, and doubled letters never tell words apart
    /// in campaign vocabulary.
    @inline(__always)
    static func appendKey(_ word: UnsafeBufferPointer<UInt32>, table: ScalarTable, to keys: inout ScratchBuffer<UInt32>) {
        var previous: UInt32 = 0
        for raw in word {
            let s = raw < 0x80 ? raw : table.keyFold(raw)
            if s == previous, s > 0x39 { continue }
            keys.append(s)
            previous = s
        }
    }

    /// The letter a digit stands for in a word of `target`'s script: its look-alike (0 → о/o,
    /// 3 → з, 6 → б), else the convention (`leetLetter`); nil for a digit that stands for none.
    /// A compatibility digit (`⁰`, `⓪`, `𝟎`) that has no look-alike of its own is read as the
    /// digit NFKC makes of it.
    static func digitLetter(_ cell: WordCell, in target: ScalarTable.Script, table: ScalarTable) -> UInt32? {
        table.lookAlike(cell.source, in: target) ?? table.lookAlike(cell.scalar, in: target) ?? leetLetter(cell.scalar, target)
    }

    /// Digits that stand for letters by convention rather than by shape (no UTS #39 look-alike):
    /// 4 for ч in Cyrillic words; 4, 3, 5, 7 for a, e, s, t in Latin ones.
    private static func leetLetter(_ digit: UInt32, _ target: ScalarTable.Script) -> UInt32? {
        switch (digit, target) {
        case (0x34, .cyrillic): 0x447
        case (0x34, .latin): 0x61
        case (0x33, .latin): 0x65
        case (0x35, .latin): 0x73
        case (0x37, .latin): 0x74
        default: nil
        }
    }

    /// A digit between letters read as a letter (`г0л0с`, `v0te`, `3а`), but not in a number
    /// (`2024`, `covid19`): only a run of one digit in a word that has letters.
    private static func isLoneDigit(_ cells: UnsafeBufferPointer<WordCell>, _ i: Int, _ table: ScalarTable) -> Bool {
        if i > 0, ScalarTable.Entry(flags: cells[i - 1].flags).isNumber { return false }
        if i + 1 < cells.count, ScalarTable.Entry(flags: cells[i + 1].flags).isNumber { return false }
        return true
    }
}

/// What the plain-word path makes of a scalar.
enum PlainKind: UInt8 {
    /// Anything the general path must read: digits, marks, other scripts, `#`, `@`, `_`, symbols
    /// that may stand for letters (`$ ! + | €`; the pairs that draw one, `()` `\/` `/\`, are
    /// found where the path reads separators), regional indicators,
    /// characters that NFKC or case folding change into something else, invisible characters.
    case other
    /// An ASCII letter, or a Cyrillic letter of U+0400–U+04FF that folds to one letter of that block.
    case letter
    /// A separator the general path keeps as it is and never reads as part of a word.
    case separator
    /// A separator that joins two words when it stands alone between them (`из-за`, `vote.for`).
    case connector
    /// `<` or `&`: the text may hold markup, so all of it goes through the general path.
    case markup

    /// The separators that, alone between two words, make them a compound too: marks (hyphens
    /// and dashes, dots, `~ :`, apostrophes and the backtick, `* / _`), and an emoji of one
    /// scalar (`го🔥ло🔥суй🔥те`, `vo✅te`; a keycap is one cell by then), which joins syllables
    /// as a dot does. Commas, semicolons and the like stay plain separators: `yes,no` is two words.
    @inline(__always) static func isConnector(_ scalar: UInt32) -> Bool {
        switch scalar {
        case 0x2D, 0x2E, 0x5F, 0x27, 0x2A, 0x2F, 0x3A, 0x60, 0x7E, 0xB7, 0x2010...0x2015, 0x2019, 0x2022, 0x2027,
             0x2043, 0x2212, 0x2219, 0x22C5, 0x30FB: true
        case 0x2600...0x27BF, 0x2B00...0x2BFF, 0x1F300...0x1FAFF, 0x20E3: true
        default: false
        }
    }
}

/// The common case of normalising, fused into one pass over the UTF-8 bytes. Most words are
/// plain letters of one script (ASCII letters, or Cyrillic letters that fold to one letter of
/// U+0400–U+04FF) between plain separators; such a word is decoded, case-folded, keyed and
/// squeezed where it is read, with its other readings (Cyrillic for a Latin word, Latin for a
/// Cyrillic word of look-alikes), without the per-scalar cells, segments and script counts of
/// the general path.
///
/// Everything else (digits, marks, other scripts, mixed words, one-letter words beside other
/// short words, which may be spelled out, `#`, `@`, `_`, `$ ! + | €`, `()` `\/` `/\`, regional indicators,
/// invisible and compatibility characters)
/// stays in regions that the general path reads as if they were texts of their own, with their
/// offsets and word positions continued. That gives the same tokens as reading the whole text
/// because a region ends only at a plain word with a plain gap on both sides, and nothing the
/// general path does reaches across such a word: spelled-out runs are made of single letters
/// (a plain one-letter word has words of two letters or more on both sides), compounds need a
/// gap of exactly one connector, a hashtag ends at the first separator, `@` reads as a letter
/// only right after one, and composition stops at a separator. Markup (`<` or `&`) anywhere
/// sends the whole text to the general path, since stripping can join what lies around it.
/// PlainWordPathTests compares the two paths token by token.
extension NormaliserCore {
    /// Adds the tokens of `bytes`; false, with some tokens perhaps added, when the text has
    /// markup (the caller undoes them and takes the general path).
    mutating func addPlain(_ bytes: UnsafeBufferPointer<UInt8>, field: UInt8) -> Bool {
        let table = self.table
        let kinds = table.plainASCIIKinds.baseAddress!
        let fastMap = table.fastMap.baseAddress!
        let alikeKeys = table.asciiCyrillicLookAlikeKeys.baseAddress!
        let plainCyrillic = table.plainCyrillic.baseAddress!
        let n = bytes.count
        // Room for every key a plain word can add (its key and two readings, at most a scalar
        // each per letter), so the loops append without checking.
        var keys = self.keys
        keys.reserve(keys.count &+ 3 &* n &+ 16)
        var work = self.work
        work.reserve(n &+ 16)
        defer { self.keys = keys; self.work = work }
        let cache = self.cache?.view
        if let cache { findRuns(bytes, cache) }
        let runs = self.runs
        var runCursor = 0
        var i = 0
        var offset: Int32 = 0
        // What the general path still has to read: from `regionByte` (scalar `regionOffset`) on,
        // holding words when `regionHasWords`.
        var regionByte = 0
        var regionOffset: Int32 = 0
        var regionHasWords = false
        // The last word read, waiting for the gap after it to say whether it may stay plain.
        var pending = false
        var wordPlain = false, wordGapBefore = false
        // A one-letter word stays plain only between words of two letters or more, where no run
        // of spelled-out letters can take it in.
        var wordSingle = false, wordAfterLonger = false, lastWordLonger = true
        var wordByteStart = 0, wordByteEnd = 0, wordStart: Int32 = 0, wordEnd: Int32 = 0
        var wordKeyStart = 0, wordPrimary = 0, wordReading = 0, wordSecond = 0
        // The cache entry of the pending word (-1 when it has none), whose keys are the cache's.
        var wordEntry: Int32 = -1
        let base = bytes.baseAddress!
        @inline(__always) func useEntry(_ run: WordRun) {
            wordEntry = run.entry
            wordKeyStart = Int(run.keyStart)
            wordPrimary = Int(run.keyLength)
            wordReading = Int(run.readingLength)
            wordSecond = Int(run.secondReadingLength)
        }

        while true {
            // A gap: separators up to the next word or the end.
            var gapCount = 0
            var gapConnector = false
            let gapStart = i
            while i < n {
                let (kind, length) = Self.kind(bytes, i, kinds, table)
                if kind == .separator || kind == .connector {
                    if Self.isLetterPair(bytes, i) { break } // `()vote`, `\/ote`: the word starts at the pair
                    gapCount &+= 1
                    gapConnector = kind == .connector
                    i &+= length
                    offset &+= 1
                    continue
                }
                if kind == .markup { return false }
                break
            }
            // A hyphen, then a line break: a word may be hyphenated there (the general path decides).
            let gapSafe = (gapCount != 1 || !gapConnector)
                && !(gapCount > 0 && Self.mayFollowAHyphen(bytes, gapStart) && Self.mayBreakAHyphenatedWord(bytes, gapStart, i))

            if pending {
                pending = false
                if wordPlain && wordGapBefore && gapSafe
                    && (!wordSingle || wordAfterLonger && Self.twoLetters(bytes, i, kinds, fastMap)) {
                    if regionHasWords {
                        self.keys = keys; self.work = work
                        let region = UnsafeBufferPointer(rebasing: bytes[regionByte..<wordByteStart])
                        _ = addGeneral(region, base: regionOffset, field: field)
                        keys = self.keys; work = self.work
                        keys.reserve(keys.count &+ 3 &* n &+ 16)
                        work.reserve(n &+ 16)
                    }
                    tokens.append(TokenRecord(
                        keyStart: Int32(wordKeyStart), keyLength: Int32(wordPrimary), readingLength: Int32(wordReading),
                        secondReadingLength: Int32(wordSecond), firstPosition: nextPosition, lastPosition: nextPosition,
                        start: wordStart, end: wordEnd, kind: .word, field: field, wordEntry: wordEntry))
                    nextPosition &+= 1
                    regionByte = wordByteEnd
                    regionOffset = wordEnd
                    regionHasWords = false
                } else {
                    // Its keys are the last ones (no region was read since they were added), or
                    // the cache's.
                    if wordEntry < 0 { keys.removeLast(keys.count - wordKeyStart) }
                    regionHasWords = true
                }
            }
            if i >= n { break }

            // A word: everything up to the next separator.
            wordByteStart = i
            wordStart = offset
            wordKeyStart = keys.count
            wordGapBefore = gapSafe
            wordAfterLonger = lastWordLonger
            var plain = true
            var script: UInt8 = 0 // 1 ASCII, 2 Cyrillic
            var letters = 0
            var distinct: UInt32 = 0
            var previous: UInt32 = 0
            work.removeAll()
            let b0 = bytes[i]
            // A word read before, by its bytes: its keys are in the cache.
            var cached: WordRun?
            var runEnd = -1
            var runWord = WordCache.Word()
            var runHash: UInt64 = 0
            wordEntry = -1
            if let cache {
                while runCursor < runs.count && runs[runCursor].start < i { runCursor &+= 1 }
                if runCursor < runs.count && runs[runCursor].start == i {
                    let run = runs[runCursor]
                    let r = Int(run.end)
                    let length = r &- i
                    runEnd = r
                    runHash = run.hash
                    if run.entry >= 0 {
                        cached = run
                    } else {
                        // Not there before this text; perhaps added since by an earlier word of it.
                        runWord = WordCache.View.word(base + i, length, available: n &- i)
                        if let e = cache.find(runWord, length: length, hash: runHash) {
                            cached = WordRun(start: run.start, end: run.end, hash: runHash, entry: e, in: cache)
                        }
                    }
                    if let cached {
                        letters = Int(cached.letters)
                        i = r
                    }
                }
            }
            // The letters of one script, in a tight loop; whatever stops it other than a
            // separator makes the word one for the general path.
            if cached != nil {
                // Its letters are counted and its keys made.
            } else if b0 < 0x80 {
                if kinds[Int(b0)] == .letter {
                    script = 1
                    while i < n {
                        let b = bytes[i]
                        guard b < 0x80, kinds[Int(b)] == .letter else { break }
                        let lower = UInt32(b | 0x20)
                        if lower != previous { keys.appendUnchecked(lower); previous = lower }
                        work.appendUnchecked(WordFolder.readingLetter(lower, source: UInt32(b)))
                        letters &+= 1
                        i &+= 1
                    }
                }
            } else if b0 & 0xFC == 0xD0 {
                script = 2
                while i &+ 1 < n {
                    let b = bytes[i]
                    guard b & 0xFC == 0xD0 else { break }
                    let entry = plainCyrillic[Int(b & 3) << 6 | Int(bytes[i &+ 1] & 0x3F)]
                    guard entry != 0 else { break }
                    distinct |= entry
                    let key = entry & 0x3FFF_FFFF
                    if key != previous { keys.appendUnchecked(key); previous = key }
                    letters &+= 1
                    i &+= 2
                }
            }
            offset &+= Int32(letters)
            while i < n {
                let (kind, length) = Self.kind(bytes, i, kinds, table)
                if kind == .separator || kind == .connector {
                    // `vo()te`, `vot()`, `го/\осуйте`: the pair may draw a letter, so it and what
                    // follows are the word's.
                    guard Self.isLetterPair(bytes, i) else { break }
                    plain = false
                    i &+= 2; offset &+= 2
                    continue
                }
                if kind == .markup { return false }
                plain = false
                i &+= length; offset &+= 1
            }
            if letters == 0 { plain = false }
            if distinct & 0x4000_0000 != 0 && Self.hasSoftSignBeforeI(bytes, wordByteStart, i) { plain = false }
            let distinctLetters = distinct >> 31
            wordByteEnd = i
            wordEnd = offset
            wordSingle = letters == 1
            lastWordLonger = plain && letters >= 2
            if let cached {
                if plain { useEntry(cached) }
                wordPlain = plain
                pending = true
                continue
            }
            wordPrimary = keys.count - wordKeyStart
            wordReading = 0
            wordSecond = 0
            if plain && script == 2 && distinctLetters == 0 {
                // `НОРЕ`, `сор`: a word of Cyrillic letters that all look like Latin ones reads
                // as that Latin word too.
                let start = keys.count
                var last: UInt32 = 0
                var b = wordByteStart
                while b < wordByteEnd {
                    let (c, length) = Self.decode(bytes, b)
                    b &+= length
                    let folded = UInt32(truncatingIfNeeded: fastMap[Int(c)] & 0x1F_FFFF)
                    guard let alike = table.lookAlike(c, in: .latin) ?? table.lookAlike(folded, in: .latin) else {
                        keys.removeLast(keys.count - start)
                        break
                    }
                    let key = table.keyFold(alike)
                    if key != last { keys.append(key); last = key }
                }
                wordReading = keys.count - start
            }
            if plain && script == 1 {
                var ambiguous = false
                wordReading = WordFolder.appendReading(work.buffer, table: table, alternative: false, ambiguous: &ambiguous, to: &keys)
                if ambiguous {
                    wordSecond = WordFolder.appendReading(work.buffer, table: table, alternative: true, ambiguous: &ambiguous, to: &keys)
                } else {
                    // `HAC`, `BOT`: a word whose every letter looks like a Cyrillic one reads as that word too.
                    let start = keys.count
                    var last: UInt32 = 0
                    for b in wordByteStart..<wordByteEnd {
                        let key = alikeKeys[Int(bytes[b])]
                        if key == 0 { keys.removeLast(keys.count - start); break }
                        if key != last { keys.append(key); last = key }
                    }
                    wordSecond = keys.count - start
                }
            }
            if !plain {
                keys.removeLast(keys.count - wordKeyStart)
            } else if let cache, runEnd == wordByteEnd,
                      let entry = cache.insert(
                        runWord, length: runEnd &- wordByteStart, hash: runHash, letters: letters, keys: keys.base + wordKeyStart,
                        keyLength: wordPrimary, readingLength: wordReading, secondReadingLength: wordSecond) {
                // Its keys now live in the cache, like those of the words found there.
                keys.removeLast(keys.count - wordKeyStart)
                wordEntry = Int32(entry - cache.entries)
                wordKeyStart = Int(entry.pointee.keyStart)
            }
            wordPlain = plain
            pending = true
        }
        if regionHasWords {
            self.keys = keys; self.work = work
            let region = UnsafeBufferPointer(rebasing: bytes[regionByte..<n])
            _ = addGeneral(region, base: regionOffset, field: field)
            keys = self.keys; work = self.work
        }
        return true
    }

    /// Every run of ASCII letters or of two-byte Cyrillic letters that could be a cached word,
    /// with its hash and its entry if the cache has it. Looking the runs up in a loop of their
    /// own, where no lookup waits for the one before, lets the processor overlap the loads of a
    /// whole post's entries instead of waiting for each in turn.
    mutating func findRuns(_ bytes: UnsafeBufferPointer<UInt8>, _ cache: WordCache.View) {
        let kinds = table.plainASCIIKinds.baseAddress!
        let base = bytes.baseAddress!
        let n = bytes.count
        runs.removeAll()
        runs.reserve(n / 2 &+ 1)
        var j = 0
        while j < n {
            let b = bytes[j]
            let start = j
            if b < 0x80 {
                j &+= 1
                guard kinds[Int(b)] == .letter else { continue }
                while j < n, bytes[j] < 0x80, kinds[Int(bytes[j])] == .letter { j &+= 1 }
            } else if b & 0xFC == 0xD0 && j &+ 1 < n {
                while j &+ 1 < n, bytes[j] & 0xFC == 0xD0 { j &+= 2 }
            } else {
                j &+= 1
                continue
            }
            let length = j &- start
            guard length <= WordCache.maximumBytes else { continue }
            let word = WordCache.View.word(base + start, length, available: n &- start)
            let hash = WordCache.View.hash(word, length)
            if let e = cache.find(word, length: length, hash: hash) {
                runs.appendUnchecked(WordRun(start: Int32(start), end: Int32(j), hash: hash, entry: e, in: cache))
            } else {
                runs.appendUnchecked(WordRun(start: Int32(start), end: Int32(j), hash: hash))
            }
        }
    }

    /// Whether a pair of symbols that may draw a letter (`()`, `\/`, `/\`: NormaliserCore.pairLetter)
    /// starts at `i`, which the general path reads; each symbol alone is a separator or a
    /// connector (`(vote)`, `and/or` stay plain).
    @inline(__always) static func isLetterPair(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> Bool {
        i &+ 1 < bytes.count && NormaliserCore.pairLetter(UInt32(bytes[i]), UInt32(bytes[i &+ 1])) != nil
    }

    /// A cheap first look for `mayBreakAHyphenatedWord`: whether the gap at `from` starts with `-`
    /// or a scalar of U+2000–U+2FFF, or follows a three-byte scalar that may be a hyphen.
    @inline(__always) static func mayFollowAHyphen(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int) -> Bool {
        let b0 = bytes[from]
        return b0 == 0x2D || b0 == 0xE2 || from >= 3 && (bytes[from &- 3] == 0xE2 || bytes[from &- 3] == 0xEF)
    }

    /// Whether a hyphen starts the gap `from..<to` or ends the word before it, and the gap holds a
    /// line break: where the general path may read the words on either side as one
    /// (NormaliserCore.isConnector(from:to:)). The hyphens NFKC makes of another scalar (U+2011,
    /// U+FE63, U+FF0D) are not plain separators, so they end the word before the gap instead.
    static func mayBreakAHyphenatedWord(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        let first = bytes[from] < 0x80 ? UInt32(bytes[from]) : decode(bytes, from).0
        var hyphen = NormaliserCore.isHyphen(first)
        if !hyphen, from >= 3, bytes[from &- 3] >= 0xE0 {
            let (before, _) = decode(bytes, from &- 3)
            hyphen = before == 0x2011 || before == 0xFE63 || before == 0xFF0D
        }
        guard hyphen else { return false }
        var j = from
        while j < to {
            let (c, length) = bytes[j] < 0x80 ? (UInt32(bytes[j]), 1) : decode(bytes, j)
            if NormaliserCore.isLineBreak(c) { return true }
            j &+= length
        }
        return false
    }

    /// Whether the two-byte Cyrillic letters `from..<to` hold ь or Ь right before і or І, which
    /// together draw ы (`вЬІборЬІ`): the general path reads that.
    static func hasSoftSignBeforeI(_ bytes: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Bool {
        var j = from
        while j &+ 3 < to {
            let soft = bytes[j] == 0xD1 && bytes[j &+ 1] == 0x8C || bytes[j] == 0xD0 && bytes[j &+ 1] == 0xAC
            if soft && (bytes[j &+ 2] == 0xD1 && bytes[j &+ 3] == 0x96 || bytes[j &+ 2] == 0xD0 && bytes[j &+ 3] == 0x86) { return true }
            j &+= 2
        }
        return false
    }

    /// Whether the text ends at `i` or goes on with two plain letters (a word that is no single letter).
    @inline(__always)
    static func twoLetters(
        _ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ kinds: UnsafeMutablePointer<PlainKind>, _ fastMap: UnsafeMutablePointer<UInt64>
    ) -> Bool {
        if i >= bytes.count { return true }
        var j = i
        for _ in 0..<2 {
            guard j < bytes.count else { return false }
            let b0 = bytes[j]
            if b0 < 0x80 {
                guard kinds[Int(b0)] == .letter else { return false }
                j &+= 1
            } else {
                let (c, length) = decode(bytes, j)
                guard c &- 0x400 < 0x100 else { return false }
                let fast = fastMap[Int(c)]
                let folded = UInt32(truncatingIfNeeded: fast & 0x1F_FFFF)
                guard fast >> 63 != 0, UInt8(truncatingIfNeeded: fast >> 32) & 0xF == 0x9, folded &- 0x400 < 0x100 else { return false }
                j &+= length
            }
        }
        return true
    }

    /// The scalar of a multi-byte UTF-8 sequence starting at `i` (valid: it comes from a String),
    /// and its length.
    @inline(__always)
    static func decode(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int) -> (UInt32, Int) {
        let b0 = UInt32(bytes[i])
        if b0 < 0xE0 {
            return ((b0 & 0x1F) << 6 | UInt32(bytes[i &+ 1]) & 0x3F, 2)
        }
        if b0 < 0xF0 {
            return ((b0 & 0x0F) << 12 | (UInt32(bytes[i &+ 1]) & 0x3F) << 6 | UInt32(bytes[i &+ 2]) & 0x3F, 3)
        }
        return ((b0 & 0x07) << 18 | (UInt32(bytes[i &+ 1]) & 0x3F) << 12
                | (UInt32(bytes[i &+ 2]) & 0x3F) << 6 | UInt32(bytes[i &+ 3]) & 0x3F, 4)
    }

    /// The plain kind of the scalar at `i` (a separator, connector or other where it is not a
    /// letter of the plain path) and its length in bytes. Kept small so that it is inlined into
    /// the loops of `addPlain`: ASCII, and the Cyrillic letter a Cyrillic word starts with (no
    /// separator), are answered here; anything else is a call.
    @inline(__always)
    static func kind(
        _ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ kinds: UnsafeMutablePointer<PlainKind>, _ table: ScalarTable
    ) -> (PlainKind, Int) {
        let b0 = bytes[i]
        if b0 < 0x80 { return (kinds[Int(b0)], 1) }
        if b0 & 0xFC == 0xD0, i &+ 1 < bytes.count,
           table.plainCyrillic[Int(b0 & 3) << 6 | Int(bytes[i &+ 1] & 0x3F)] != 0 {
            return (.other, 2)
        }
        return nonASCIIKind(bytes, i, table)
    }

    /// What `kind` does not answer itself: the scalar at `i`, decoded, and its length.
    @inline(never)
    static func nonASCIIKind(_ bytes: UnsafeBufferPointer<UInt8>, _ i: Int, _ table: ScalarTable) -> (PlainKind, Int) {
        let (c, length) = decode(bytes, i)
        return (nonASCIIKind(c, table), length)
    }

    /// A scalar beyond ASCII that is not a plain letter: a separator when the general path would
    /// keep it as one scalar of its own (no mapping, not combining), else other.
    @inline(__always)
    static func nonASCIIKind(_ c: UInt32, _ table: ScalarTable) -> PlainKind {
        let bits = table.entry(c).bits
        // `€` may stand for e; regional indicators that make no flag are letters.
        guard bits & 0xFF43 == 0, NormaliserCore.symbolLetter(c) == nil, c &- 0x1F1E6 >= 26 else { return .other }
        return PlainKind.isConnector(c) ? .connector : .separator
    }
}

/// The kinds of token the normaliser produces.
enum TokenKind: UInt8 {
    /// A word (or several spelled-out letters read as one word).
    case word
    /// A whole hashtag, `#` included in its key; its parts follow as words.
    case hashtag
    /// Words joined by one connector (`го-ло-суй-те`, `vote.for`), read together as one more
    /// token spanning them; the parts stay words of their own.
    case compound
}

/// One token: its key (and the Cyrillic reading of a Latin word right after it) in the key
/// buffer, the word positions it covers, and where it lies in the original text.
struct TokenRecord {
    var keyStart: Int32
    var keyLength: Int32
    var readingLength: Int32
    /// A second reading follows the first where Latin spelling is ambiguous (`uy`).
    var secondReadingLength: Int32
    var firstPosition: Int32
    var lastPosition: Int32
    var start: Int32
    var end: Int32
    var kind: TokenKind
    var field: UInt8
}

/// The normaliser's working state: every buffer is reused from one text to the next, so a
/// matcher that keeps one normaliser allocates nothing per post once the buffers have grown.
///
/// Stages: UTF-8 → scalars (their index is the original offset); markup stripped and references
/// decoded (MarkupStripper, only when the text has `<` or `&`); NFKC + full case folding +
/// removal of invisible characters and canonical composition, per scalar from the generated
/// table; words, hashtags and spelled-out letters found; each word folded into a key (WordFolder).
final class Normaliser {
    private var core = NormaliserCore()

    init() {}

    deinit { core.deallocate() }

    var table: ScalarTable { core.table }
    var keys: ScratchBuffer<UInt32> { core.keys }
    var tokens: ScratchBuffer<TokenRecord> { core.tokens }

    func reset() { core.reset() }

    /// Tokenises `text` after whatever was added since `reset()`.
    func add(_ text: String, field: UInt8 = 0) { core.add(text, field: field) }
}

/// The normaliser proper, a value so that one `add` is one exclusive access to all its buffers.
struct NormaliserCore {
    let table = ScalarTable.shared

    private(set) var raw = ScratchBuffer<UInt32>(capacity: 1024)
    private var stripped = ScratchBuffer<UInt32>(capacity: 1024)
    private var strippedStart = ScratchBuffer<Int32>(capacity: 1024)
    private var strippedEnd = ScratchBuffer<Int32>(capacity: 1024)
    private var mapped = ScratchBuffer<Mapped>(capacity: 1024)
    private var segments = ScratchBuffer<Segment>(capacity: 256)
    private var cells = ScratchBuffer<WordCell>(capacity: 64)
    private var work = ScratchBuffer<UInt32>(capacity: 64)
    private var bounds = ScratchBuffer<Int32>(capacity: 32)
    private var gaps = ScratchBuffer<UInt64>(capacity: 32)
    private(set) var keys = ScratchBuffer<UInt32>(capacity: 1024)
    private(set) var tokens = ScratchBuffer<TokenRecord>(capacity: 256)
    private var nextPosition: Int32 = 0
    /// The last decoded text has `<` or `&`, so it goes through the markup stage.
    private var hasMarkup = false

    /// Positions left between the fields of one post, so NEAR never reaches across them.
    static let fieldGap: Int32 = 1_000

    /// A scalar after NFKC_Casefold and composition (`source` as written, for case and
    /// look-alikes), with the original offsets it stands for.
    private typealias Mapped = WordCell

    private struct Segment {
        var from: Int32
        var to: Int32
        var hash: Int32   // index of `#` for a hashtag, -1 for a word
        var single: Bool  // exactly one letter (plus marks)
    }

    init() {}

    func deallocate() {
        raw.deallocate(); stripped.deallocate(); strippedStart.deallocate(); strippedEnd.deallocate()
        mapped.deallocate()
        segments.deallocate(); cells.deallocate(); work.deallocate(); bounds.deallocate(); gaps.deallocate()
        keys.deallocate(); tokens.deallocate()
    }

    mutating func reset() {
        keys.removeAll()
        tokens.removeAll()
        nextPosition = 0
    }

    mutating func add(_ text: String, field: UInt8) {
        if tokens.count > 0 { nextPosition += Self.fieldGap }
        if decodeAndMap(text) {
            segment()
            emitTokens(field: field)
            return
        }
        decode(text)
        if hasMarkup {
            stripped.removeAll(); strippedStart.removeAll(); strippedEnd.removeAll()
            MarkupStripper.strip(raw.buffer, into: &stripped, starts: &strippedStart, ends: &strippedEnd)
            map(stripped.buffer, starts: strippedStart.base, ends: strippedEnd.base)
        } else {
            map(raw.buffer, starts: nil, ends: nil)
        }
        segment()
        emitTokens(field: field)
    }

    // MARK: UTF-8

    private mutating func decode(_ text: String) {
        var raw = self.raw
        raw.removeAll()
        var markup = false
        defer { self.raw = raw; hasMarkup = markup }
        var text = text
        text.withUTF8 { bytes in
            raw.reserve(bytes.count)
            let n = bytes.count
            var i = 0
            while i < n {
                let b0 = UInt32(bytes[i])
                if b0 < 0x80 {
                    if b0 == 0x3C || b0 == 0x26 { markup = true }
                    raw.append(b0); i &+= 1
                } else if b0 < 0xE0 {
                    raw.append((b0 & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F); i &+= 2
                } else if b0 < 0xF0 {
                    raw.append((b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F)
                    i &+= 3
                } else {
                    raw.append((b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12
                        | (UInt32(bytes[i + 2]) & 0x3F) << 6 | UInt32(bytes[i + 3]) & 0x3F)
                    i &+= 4
                }
            }
        }
    }

    // MARK: NFKC_Casefold + composition

    private mutating func map(_ input: UnsafeBufferPointer<UInt32>, starts: UnsafeMutablePointer<Int32>?, ends: UnsafeMutablePointer<Int32>?) {
        var out = mapped
        out.removeAll()
        out.reserve(input.count)
        defer { mapped = out }
        var starter = -1
        var lastClass: UInt8 = 0
        for i in 0..<input.count {
            Self.map(input[i], starts?[i] ?? Int32(i), ends?[i] ?? Int32(i &+ 1), table, &out, &starter, &lastClass)
        }
    }

    /// Plain text (no `<`, no `&`: most posts) decoded and mapped in one pass; false, with
    /// nothing to use, when the text has markup after all.
    private mutating func decodeAndMap(_ text: String) -> Bool {
        var out = mapped
        out.removeAll()
        defer { mapped = out }
        let table = self.table
        var starter = -1
        var lastClass: UInt8 = 0
        var text = text
        return text.withUTF8 { bytes in
            out.reserve(bytes.count)
            let n = bytes.count
            var i = 0
            var offset: Int32 = 0
            while i < n {
                let b0 = UInt32(bytes[i])
                let c: UInt32
                if b0 < 0x80 {
                    if b0 == 0x3C || b0 == 0x26 { return false }
                    c = b0; i &+= 1
                } else if b0 < 0xE0 {
                    c = (b0 & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F; i &+= 2
                } else if b0 < 0xF0 {
                    c = (b0 & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F
                    i &+= 3
                } else {
                    c = (b0 & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12
                        | (UInt32(bytes[i + 2]) & 0x3F) << 6 | UInt32(bytes[i + 3]) & 0x3F
                    i &+= 4
                }
                Self.map(c, offset, offset &+ 1, table, &out, &starter, &lastClass)
                offset &+= 1
            }
            return true
        }
    }

    /// One scalar through NFKC_Casefold and canonical composition.
    @inline(__always)
    private static func map(
        _ c: UInt32, _ start: Int32, _ end: Int32, _ table: ScalarTable, _ out: inout ScratchBuffer<Mapped>,
        _ starter: inout Int, _ lastClass: inout UInt8
    ) {
        if c < 0x80 {
            let lower = c &- 0x41 < 26 ? c | 0x20 : c
            out.append(Mapped(scalar: lower, source: c, start: start, end: end,
                              flags: table.asciiFlags[Int(lower)], sourceFlags: table.asciiFlags[Int(c)]))
            starter = out.count &- 1
            lastClass = 0
            return
        }
        if c < ScalarTable.fastMapEnd {
            let fast = table.fastMap[Int(c)]
            if fast >> 63 != 0 {
                out.append(Mapped(scalar: UInt32(truncatingIfNeeded: fast & 0x1F_FFFF), source: c, start: start, end: end,
                                  flags: UInt8(truncatingIfNeeded: fast >> 32), sourceFlags: UInt8(truncatingIfNeeded: fast >> 40)))
                starter = out.count &- 1
                lastClass = 0
                return
            }
        }
        let entry = table.entry(c)
        let sourceFlags = UInt8(truncatingIfNeeded: entry.bits)
        if entry.hasMapping {
            let length = entry.mappingLength
            let offset = entry.mappingOffset
            for k in 0..<length {
                let m = table.mappings[offset + k]
                let mEntry = table.entry(m)
                compose(Mapped(scalar: m, source: length == 1 ? c : m, start: start, end: end,
                               flags: UInt8(truncatingIfNeeded: mEntry.bits),
                               sourceFlags: length == 1 ? sourceFlags : UInt8(truncatingIfNeeded: mEntry.bits)),
                        mEntry.combiningClass, table, &out, &starter, &lastClass)
            }
        } else {
            compose(Mapped(scalar: c, source: c, start: start, end: end, flags: sourceFlags, sourceFlags: sourceFlags),
                    entry.combiningClass, table, &out, &starter, &lastClass)
        }
    }

    @inline(__always)
    private static func compose(
        _ m: Mapped, _ combining: UInt8, _ table: ScalarTable, _ out: inout ScratchBuffer<Mapped>, _ starter: inout Int,
        _ lastClass: inout UInt8
    ) {
        if combining != 0, starter >= 0, lastClass == 0 || lastClass < combining,
           let composed = table.compose(out[starter].scalar, m.scalar) {
            var base = out[starter]
            base.source = table.compose(base.source, m.scalar) ?? composed
            base.scalar = composed
            base.end = m.end
            base.flags = UInt8(truncatingIfNeeded: table.entry(composed).bits)
            base.sourceFlags = UInt8(truncatingIfNeeded: table.entry(base.source).bits)
            out[starter] = base
            return
        }
        out.append(m)
        if combining == 0 {
            starter = out.count &- 1
            lastClass = 0
        } else {
            lastClass = combining
        }
    }

    // MARK: Words and hashtags

    @inline(__always) private func isWordPart(_ i: Int) -> Bool {
        mapped[i].flags & 3 != 0
    }

    private mutating func segment() {
        segments.removeAll()
        let n = mapped.count
        var i = 0
        while i < n {
            if isWordPart(i) {
                let from = i
                var letters = 0, numbers = 0
                while i < n {
                    let klass = mapped[i].flags & 3
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

    private mutating func emitTokens(field: UInt8) {
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
                      isSpellingGap(from: Int(segments[m].to), to: Int(segments[m + 1].from)) {
                    m += 1
                }
                if m - k >= 2 {
                    emitSpelled(k, m, field: field)
                    k = m + 1
                    continue
                }
            }
            var m = k
            while m + 1 < count, m - k < 7, segments[m + 1].hash < 0,
                  isConnector(from: Int(segments[m].to), to: Int(segments[m + 1].from)) {
                m += 1
            }
            let first = nextPosition
            for j in k...m {
                let from = Int(segments[j].from), to = Int(segments[j].to)
                emit(.word, field: field, start: mapped[from].start, end: mapped[to - 1].end,
                     cells: UnsafeBufferPointer(start: mapped.base + from, count: to - from))
            }
            if m > k, nextPosition - first >= 2 {
                cells.removeAll()
                for j in k...m { append(from: Int(segments[j].from), to: Int(segments[j].to)) }
                emit(.compound, field: field, start: mapped[Int(segments[k].from)].start, end: mapped[Int(segments[m].to) - 1].end,
                     positions: first...(nextPosition - 1))
            }
            k = m + 1
        }
    }

    /// Separators between spelled-out letters: one to three scalars (a line break too: one
    /// letter a line is a way to spell a word out).
    private func isSpellingGap(from: Int, to: Int) -> Bool {
        let length = to - from
        guard length >= 1, length <= 3 else { return false }
        for i in from..<to where mapped[i].scalar == 0x23 { return false }
        return true
    }

    private func isConnector(from: Int, to: Int) -> Bool {
        guard to - from == 1 else { return false }
        switch mapped[from].scalar {
        case 0x2D, 0x2E, 0x5F, 0x27, 0x2A, 0x2F, 0xB7, 0x2010, 0x2011, 0x2019, 0x2022: return true
        default: return false
        }
    }

    /// `г о л о с у й т е`, `г.о.л.о.с`, `v-o-t-e`: runs of single letters are cut where the
    /// separator changes (`г о л о с у й   з а`: the wider gap ends a word), and a piece is read as
    /// one word when it is long enough not to be ordinary one-letter words (`а я в`).
    private mutating func emitSpelled(_ first: Int, _ last: Int, field: UInt8) {
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
        for p in 0..<pieces {
            let a = Int(bounds[2 * p]), b = Int(bounds[2 * p + 1])
            if eligible[p] {
                cells.removeAll()
                for j in a...b { append(from: Int(segments[j].from), to: Int(segments[j].to)) }
                emit(.word, field: field, start: mapped[Int(segments[a].from)].start, end: mapped[Int(segments[b].to) - 1].end)
            } else {
                for j in a...b {
                    gather(from: Int(segments[j].from), to: Int(segments[j].to))
                    emit(.word, field: field, start: mapped[Int(segments[j].from)].start, end: mapped[Int(segments[j].to) - 1].end)
                }
            }
        }
    }

    private func gapKey(from: Int, to: Int) -> UInt64 {
        var key: UInt64 = UInt64(to - from)
        for i in from..<to { key = key &* 0x100000001B3 ^ UInt64(mapped[i].scalar) }
        return key
    }

    /// `#VoteForMarat`, `#vote_for_marat`, `#ГолосуйЗа2024`: the hashtag as one token, then
    /// its parts (cut at underscores, case changes and letter/digit changes) as words.
    private mutating func emitHashtag(_ segment: Segment, field: UInt8) {
        let from = Int(segment.from), to = Int(segment.to)
        bounds.removeAll()
        var partStart = -1
        for i in from..<to {
            let s = mapped[i].scalar
            if s == 0x5F {
                if partStart >= 0 { bounds.append(Int32(partStart)); bounds.append(Int32(i)) }
                partStart = -1
                continue
            }
            if partStart >= 0, i > partStart, startsPart(i, partStart: partStart, to: to) {
                bounds.append(Int32(partStart)); bounds.append(Int32(i))
                partStart = i
            }
            if partStart < 0 { partStart = i }
        }
        if partStart >= 0 { bounds.append(Int32(partStart)); bounds.append(Int32(to)) }
        let parts = bounds.count / 2
        guard parts > 0 else { return }

        cells.removeAll()
        for p in 0..<parts { append(from: Int(bounds[2 * p]), to: Int(bounds[2 * p + 1])) }
        let first = nextPosition
        emit(.hashtag, field: field, start: mapped[Int(segment.hash)].start, end: mapped[to - 1].end,
             positions: first...(first + Int32(parts) - 1))
        for p in 0..<parts {
            gather(from: Int(bounds[2 * p]), to: Int(bounds[2 * p + 1]))
            emit(.word, field: field, start: mapped[Int(bounds[2 * p])].start, end: mapped[Int(bounds[2 * p + 1]) - 1].end)
        }
        nextPosition = max(nextPosition, first + Int32(parts))
    }

    private func startsPart(_ i: Int, partStart: Int, to: Int) -> Bool {
        let current = ScalarTable.Entry(flags: mapped[i].flags), previous = ScalarTable.Entry(flags: mapped[i - 1].flags)
        if current.isMark { return false }
        if current.isNumber != previous.isNumber && !previous.isMark { return true }
        let upper = ScalarTable.Entry(flags: mapped[i].sourceFlags).isUpper
        let previousUpper = ScalarTable.Entry(flags: mapped[i - 1].sourceFlags).isUpper
        if upper && !previousUpper && previous.isLetter { return true }
        if upper && previousUpper, i + 1 < to {
            let next = ScalarTable.Entry(flags: mapped[i + 1].sourceFlags)
            if next.isLetter && !next.isUpper { return true }
        }
        return false
    }

    @inline(__always) private mutating func gather(from: Int, to: Int) {
        cells.removeAll()
        append(from: from, to: to)
    }

    @inline(__always) private mutating func append(from: Int, to: Int) {
        var cells = self.cells
        defer { self.cells = cells }
        for i in from..<to { cells.append(mapped[i]) }
    }

    /// Folds the gathered cells into a token; a word that folds to nothing takes no position.
    private mutating func emit(
        _ kind: TokenKind, field: UInt8, start: Int32, end: Int32, positions: ClosedRange<Int32>? = nil,
        cells slice: UnsafeBufferPointer<WordCell>? = nil
    ) {
        let keyStart = keys.count
        if kind == .hashtag { keys.append(0x23) }
        let folded = WordFolder.fold(slice ?? cells.buffer, table: table, keys: &keys, work: &work)
        if folded.primary == 0 {
            keys.removeLast(keys.count - keyStart)
            return
        }
        let range = positions ?? nextPosition...nextPosition
        tokens.append(TokenRecord(
            keyStart: Int32(keyStart), keyLength: Int32(keys.count - keyStart - folded.reading - folded.secondReading),
            readingLength: Int32(folded.reading), secondReadingLength: Int32(folded.secondReading),
            firstPosition: range.lowerBound, lastPosition: range.upperBound, start: start, end: end, kind: kind, field: field))
        if positions == nil { nextPosition += 1 }
    }
}

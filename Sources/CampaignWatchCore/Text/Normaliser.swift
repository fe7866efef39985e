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
    /// The word's entry in the normaliser's WordCache, -1 when it has none.
    var wordEntry: Int32
}

/// A run of letters that may be a word of the cache: its bytes, their hash, and its entry in
/// the cache as the text began (-1 for none) with what the plain path takes from it, so that
/// reading the text touches the entry no more.
struct WordRun {
    var start: Int32
    var end: Int32
    var entry: Int32
    var keyStart: Int32
    var hash: UInt64
    var letters: UInt8 = 0
    var keyLength: UInt8 = 0
    var readingLength: UInt8 = 0
    var secondReadingLength: UInt8 = 0

    init(start: Int32, end: Int32, hash: UInt64) {
        self.start = start; self.end = end; self.hash = hash
        entry = -1; keyStart = 0
    }

    init(start: Int32, end: Int32, hash: UInt64, entry e: UnsafeMutablePointer<WordCache.Entry>, in cache: WordCache.View) {
        self.start = start; self.end = end; self.hash = hash
        entry = Int32(e - cache.entries)
        keyStart = e.pointee.keyStart
        letters = e.pointee.letters
        keyLength = e.pointee.keyLength
        readingLength = e.pointee.readingLength
        secondReadingLength = e.pointee.secondReadingLength
    }
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

    /// `plainWords: false` reads every text through the general path (to compare the two).
    /// `cache` keeps the keys of plain words already read, for a normaliser that reads many texts.
    init(plainWords: Bool = true, cache: WordCache? = nil) {
        core.plainWords = plainWords
        core.cache = cache
    }

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

    var raw = ScratchBuffer<UInt32>(capacity: 1024)
    var stripped = ScratchBuffer<UInt32>(capacity: 1024)
    var strippedStart = ScratchBuffer<Int32>(capacity: 1024)
    var strippedEnd = ScratchBuffer<Int32>(capacity: 1024)
    var mapped = ScratchBuffer<Mapped>(capacity: 1024)
    var segments = ScratchBuffer<Segment>(capacity: 256)
    var cells = ScratchBuffer<WordCell>(capacity: 64)
    var work = ScratchBuffer<UInt32>(capacity: 64)
    var bounds = ScratchBuffer<Int32>(capacity: 32)
    var gaps = ScratchBuffer<UInt64>(capacity: 32)
    var keys = ScratchBuffer<UInt32>(capacity: 1024)
    /// The runs of letters that may be cached words, when there is a cache (PlainWordPath).
    var runs = ScratchBuffer<WordRun>(capacity: 256)
    var tokens = ScratchBuffer<TokenRecord>(capacity: 256)
    var nextPosition: Int32 = 0
    /// Words with a letter hidden by `*` that may still be read with every letter in its place
    /// in this text (NormaliserWords.emitCensored): a bound on what a hostile text can cost.
    var censoredLeft = NormaliserCore.censoredPerText
    static let censoredPerText = 32
    /// Whether plain words take the fused path (PlainWordPath); off only to compare the two.
    var plainWords = true
    /// Plain words already read (for a matcher, which reads many texts), or nil.
    var cache: WordCache?
    /// The last decoded text has `<` or `&`, so it goes through the markup stage.
    var hasMarkup = false

    /// Positions left between the fields of one post, so NEAR never reaches across them.
    static let fieldGap: Int32 = 1_000

    /// A scalar after NFKC_Casefold and composition (`source` as written, for case and
    /// look-alikes), with the original offsets it stands for.
    typealias Mapped = WordCell

    struct Segment {
        var from: Int32
        var to: Int32
        var hash: Int32   // index of `#` for a hashtag, -1 for a word
        var single: Bool  // exactly one letter (plus marks), or a digit spelled out with letters
    }

    init() {}

    func deallocate() {
        raw.deallocate(); stripped.deallocate(); strippedStart.deallocate(); strippedEnd.deallocate()
        mapped.deallocate()
        segments.deallocate(); cells.deallocate(); work.deallocate(); bounds.deallocate(); gaps.deallocate()
        keys.deallocate(); runs.deallocate(); tokens.deallocate()
    }

    mutating func reset() {
        cache?.prepareForText()
        keys.removeAll()
        tokens.removeAll()
        nextPosition = 0
        censoredLeft = Self.censoredPerText
    }

    mutating func add(_ text: String, field: UInt8) {
        if tokens.count > 0 { nextPosition += Self.fieldGap }
        let keyMark = keys.count, tokenMark = tokens.count, positionMark = nextPosition, censoredMark = censoredLeft
        var text = text
        let done = text.withUTF8 { bytes in
            plainWords ? addPlain(bytes, field: field) : addGeneral(bytes, base: 0, field: field)
        }
        if done { return }
        // Markup: the whole text is decoded, stripped and read by the general path.
        keys.removeLast(keys.count - keyMark)
        tokens.removeLast(tokens.count - tokenMark)
        nextPosition = positionMark
        censoredLeft = censoredMark
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

    /// Plain text (no `<`, no `&`) through the general path: `bytes` are a whole text or a region
    /// of one that nothing reaches across (PlainWordPath), whose first scalar is at `base`;
    /// false, with nothing added, when they hold markup after all.
    mutating func addGeneral(_ bytes: UnsafeBufferPointer<UInt8>, base: Int32, field: UInt8) -> Bool {
        guard decodeAndMap(bytes, base: base) else { return false }
        segment()
        emitTokens(field: field)
        return true
    }

    // MARK: UTF-8

    mutating func decode(_ text: String) {
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

    mutating func map(_ input: UnsafeBufferPointer<UInt32>, starts: UnsafeMutablePointer<Int32>?, ends: UnsafeMutablePointer<Int32>?) {
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
    mutating func decodeAndMap(_ bytes: UnsafeBufferPointer<UInt8>, base: Int32) -> Bool {
        var out = mapped
        out.removeAll()
        defer { mapped = out }
        let table = self.table
        var starter = -1
        var lastClass: UInt8 = 0
        out.reserve(bytes.count)
        let n = bytes.count
        var i = 0
        var offset = base
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

    /// One scalar through NFKC_Casefold and canonical composition.
    @inline(__always)
    static func map(
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
        if c == 0x20E3, out.count > 0, isKeycapBase(out[out.count &- 1].scalar) {
            keycap(end, &out, &starter, &lastClass)
            return
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

    /// A digit, `#` or `*` that a keycap mark (U+20E3) encloses, its variation selector already
    /// dropped: `1️⃣`, `1⃣`, `#️⃣`, `*️⃣`.
    @inline(__always) static func isKeycapBase(_ scalar: UInt32) -> Bool {
        scalar &- 0x30 < 10 || scalar == 0x23 || scalar == 0x2A
    }

    /// A keycap is an emoji: its base and mark become one separator cell, so the digit is never
    /// read as a letter of the word beside it (`vote1️⃣` is not `votel`) nor its `#` as a hashtag.
    static func keycap(_ end: Int32, _ out: inout ScratchBuffer<Mapped>, _ starter: inout Int, _ lastClass: inout UInt8) {
        var cell = out[out.count &- 1]
        cell.scalar = 0x20E3
        cell.source = 0x20E3
        cell.flags = 0
        cell.sourceFlags = 0
        cell.end = end
        out[out.count &- 1] = cell
        starter = out.count &- 1
        lastClass = 0
    }

    @inline(__always)
    static func compose(
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
}

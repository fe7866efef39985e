/// Plain words already read, by their UTF-8 bytes: the keys the plain-word path made of them, and
/// room for what the consumer of those keys derived from them (the matcher keeps there the rule
/// words the keys found).
///
/// Posts repeat their words: a few thousand forms make up most of any language's running text.
/// Keying a word (case folding, folding, squeezing, its readings in the other script) and looking
/// it and its prefixes up in the rules' word table cost far more than finding the same bytes here,
/// so a matcher keeps one cache for all the posts it reads. Only words the plain path reads whole
/// are kept (ASCII letters only, or two-byte Cyrillic letters only, at most 32 bytes), so what is
/// kept for a run of bytes is the same whatever text it came from.
///
/// One entry is one 64-byte line holding the word's bytes, so finding a word reads one line (and
/// its keys, one more, only when they are needed). Entries lie in the order they were added; the
/// hash table is a separate array of 4-byte slots (part of the hash and the entry's number), so
/// the table's spare room for short probes (twice as many slots as words) costs 4 bytes a slot
/// rather than a 64-byte line: at its largest the table and entries take 1.1 MB, not 2 MB, on
/// machines whose L2 cache is about 2 MB. A word that is not there reads no entry.
///
/// Memory is bounded: a cache starts small and doubles between texts when it is full, up to
/// 16,384 words (about 2.9 MB). When the entries or their keys fill up, nothing more is added
/// until the next text, which grows the cache or, at its largest, empties it (`prepareForText`).
/// An entry therefore never moves while a text is read, so the text's tokens can name it.
final class WordCache {
    struct Entry {
        /// Bit `WordCache.bucket(s)` for the first scalar `s` of the key and of each reading, so
        /// that a search for words that start with a few letters (the subject's names) reads the
        /// keys of only the words it may find.
        var keyFirsts: UInt32
        /// The word's bytes, zero beyond `byteLength`.
        var word: Word
        /// Where the keys start in the key store: the primary key, then its readings.
        var keyStart: Int32
        /// What the consumer keeps: `payloadCount` values, the first in `payloadFirst`, the others
        /// in the payload store from `payloadRest`; `payloadCount` is -1 until it is set.
        var payloadCount: Int32
        var payloadFirst: Int32
        var payloadRest: Int32
        var byteLength: UInt8
        var letters: UInt8
        var keyLength: UInt8
        var readingLength: UInt8
        var secondReadingLength: UInt8
    }

    /// Up to 32 bytes of a word, zero-padded.
    struct Word: Equatable {
        var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0, d: UInt64 = 0
    }

    /// One of 32 buckets for a scalar, for `Entry.keyFirsts`. Hashed rather than the scalar's low
    /// bits: Cyrillic and Latin letters share their low bits (к and z, ж and v), and a post's
    /// words would pass for a name's far more often.
    @inline(__always) static func bucket(_ scalar: UInt32) -> UInt32 { (scalar &* 0x9E37_79B1) &>> 27 }

    /// Longer words are read each time: they are rare, and would not fit an entry.
    static let maximumBytes = 32
    /// The most scalars an entry's keys may take (its key and readings; a Latin letter can read as two).
    static let maximumKeys = 255

    /// Counts shared by every view of the cache.
    struct Counts {
        var entries = 0
        var keys = 0
        var payload = 0
        var clears = 0
    }

    /// Plain pointers into the cache, for the hot loops (no reference counting).
    struct View {
        /// The words in the order they were added (a token names its word by its place here).
        let entries: UnsafeMutablePointer<Entry>
        /// The hash table: `slotTag(hash) << 16 | (entry number + 1)`, 0 when empty.
        let slots: UnsafeMutablePointer<UInt32>
        let slotMask: Int
        let keys: UnsafeMutablePointer<UInt32>
        let payload: UnsafeMutablePointer<Int32>
        let counts: UnsafeMutablePointer<Counts>
        let entryLimit: Int
        let keyLimit: Int
        let payloadLimit: Int

        /// The word of `length` bytes at `start`, zero-padded; `available` bytes may be read from
        /// `start` (at least `length`), so whole eight-byte loads are used where they stay inside.
        @inline(__always) static func word(_ start: UnsafePointer<UInt8>, _ length: Int, available: Int) -> Word {
            var w = Word()
            let raw = UnsafeRawPointer(start)
            @inline(__always) func chunk(_ offset: Int) -> UInt64 {
                if offset >= length { return 0 }
                let left = length &- offset
                if offset &+ 8 <= available {
                    let v = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                    return left >= 8 ? v : v & ((1 &<< UInt64(left &* 8)) &- 1)
                }
                var v: UInt64 = 0
                for k in 0..<min(left, 8) { v |= UInt64(start[offset &+ k]) &<< UInt64(k &* 8) }
                return v
            }
            w.a = chunk(0); w.b = chunk(8); w.c = chunk(16); w.d = chunk(24)
            return w
        }

        @inline(__always) static func hash(_ w: Word, _ length: Int) -> UInt64 {
            let k: UInt64 = 0x9E37_79B9_7F4A_7C15
            var h = (UInt64(truncatingIfNeeded: length) ^ w.a) &* k
            h = (h ^ (h &>> 29) ^ w.b) &* k
            h = (h ^ (h &>> 29) ^ w.c) &* k
            h = (h ^ (h &>> 29) ^ w.d) &* k
            return h ^ (h &>> 32)
        }

        /// The part of a hash a slot keeps (bits the slot's place does not already say), so that
        /// a word that is not there reads no entry.
        @inline(__always) static func slotTag(_ hash: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: hash) & 0xFFFF }

        @inline(__always) static func firstSlot(_ hash: UInt64, _ mask: Int) -> Int { Int(truncatingIfNeeded: hash &>> 32) & mask }

        /// The entry holding this word, or nil.
        @inline(__always) func find(_ w: Word, length: Int, hash: UInt64) -> UnsafeMutablePointer<Entry>? {
            var slot = Self.firstSlot(hash, slotMask)
            let tag = Self.slotTag(hash)
            while true {
                let s = slots[slot]
                if s == 0 { return nil }
                if s &>> 16 == tag {
                    let e = entries + (Int(s & 0xFFFF) &- 1)
                    if e.pointee.word == w && Int(e.pointee.byteLength) == length { return e }
                }
                slot = (slot &+ 1) & slotMask
            }
        }

        var isFull: Bool {
            counts.pointee.entries >= entryLimit || counts.pointee.keys >= keyLimit || counts.pointee.payload >= payloadLimit
        }

        /// Adds a word the plain path read: its bytes, its letters and its keys (the primary key,
        /// then its readings). Nil when the cache is full or the word too long (it is not kept).
        func insert(
            _ w: Word, length: Int, hash: UInt64, letters: Int,
            keys source: UnsafePointer<UInt32>, keyLength: Int, readingLength: Int, secondReadingLength: Int
        ) -> UnsafeMutablePointer<Entry>? {
            let keyCount = keyLength &+ readingLength &+ secondReadingLength
            guard length <= WordCache.maximumBytes, keyCount <= WordCache.maximumKeys, !isFull else { return nil }
            var slot = Self.firstSlot(hash, slotMask)
            while slots[slot] != 0 { slot = (slot &+ 1) & slotMask }
            var firsts: UInt32 = 0
            if keyLength > 0 { firsts |= 1 &<< WordCache.bucket(source[0]) }
            if readingLength > 0 { firsts |= 1 &<< WordCache.bucket(source[keyLength]) }
            if secondReadingLength > 0 { firsts |= 1 &<< WordCache.bucket(source[keyLength &+ readingLength]) }
            let keyStart = counts.pointee.keys
            (keys + keyStart).update(from: source, count: keyCount)
            counts.pointee.keys = keyStart &+ keyCount
            let number = counts.pointee.entries
            counts.pointee.entries &+= 1
            slots[slot] = Self.slotTag(hash) &<< 16 | UInt32(number &+ 1)
            let e = entries + number
            e.pointee = Entry(
                keyFirsts: firsts, word: w, keyStart: Int32(keyStart), payloadCount: -1, payloadFirst: 0, payloadRest: 0,
                byteLength: UInt8(length), letters: UInt8(letters), keyLength: UInt8(keyLength), readingLength: UInt8(readingLength),
                secondReadingLength: UInt8(secondReadingLength))
            return e
        }

        @inline(__always) func keys(of e: UnsafeMutablePointer<Entry>) -> UnsafeMutablePointer<UInt32> {
            keys + Int(e.pointee.keyStart)
        }

        /// Keeps the consumer's values for an entry (once; later calls change nothing).
        func setPayload<Values: Collection<Int32>>(_ e: UnsafeMutablePointer<Entry>, _ values: Values) {
            guard e.pointee.payloadCount < 0 else { return }
            let rest = max(values.count - 1, 0)
            guard counts.pointee.payload &+ rest <= payloadLimit &+ WordCache.payloadSlack else { return }
            e.pointee.payloadFirst = values.first ?? 0
            e.pointee.payloadRest = Int32(counts.pointee.payload)
            for value in values.dropFirst() {
                payload[counts.pointee.payload] = value
                counts.pointee.payload &+= 1
            }
            e.pointee.payloadCount = Int32(values.count)
        }

        /// The `k`th value kept for an entry (`k` below its `payloadCount`).
        @inline(__always) func payload(_ e: UnsafeMutablePointer<Entry>, _ k: Int) -> Int32 {
            k == 0 ? e.pointee.payloadFirst : payload[Int(e.pointee.payloadRest) &+ k &- 1]
        }
    }

    /// Payload values one entry may add past the limit (a word that finds many rule words).
    static let payloadSlack = 4096

    private(set) var view: View
    /// The most words the cache grows to.
    let maximumEntries: Int

    /// Enough for the everyday vocabulary of a few languages with their endings (the benchmark's
    /// posts use about 11,000 forms); about 2.9 MB at its largest.
    static let defaultEntries = 16_384
    /// Where a cache starts (about 60 KB), so that a matcher made for a few posts (one account's
    /// poll) does not pay for a table it would never fill.
    static let initialEntries = 256

    /// A cache that grows, between texts, to at most `entries` words.
    init(entries: Int = WordCache.defaultEntries, initial: Int = WordCache.initialEntries) {
        precondition(entries < 0xFFFF, "a slot numbers its entry in 16 bits")
        maximumEntries = max(entries, 4)
        let counts = UnsafeMutablePointer<Counts>.allocate(capacity: 1)
        counts.initialize(to: Counts())
        view = Self.allocate(entries: min(max(initial, 4), maximumEntries), counts: counts)
    }

    deinit {
        Self.free(view)
        view.counts.deallocate()
    }

    /// Memory for `limit` words: their entries, on line boundaries so that an entry is one line;
    /// twice as many slots (a power of two), for short probes; room for the average word's keys
    /// several times over (a text of long words fills the keys before the entries).
    private static func allocate(entries limit: Int, counts: UnsafeMutablePointer<Counts>) -> View {
        var slotCount = 8
        while slotCount < limit * 2 { slotCount <<= 1 }
        let entries = UnsafeMutableRawPointer.allocate(byteCount: limit * MemoryLayout<Entry>.stride, alignment: 64)
            .bindMemory(to: Entry.self, capacity: limit)
        let slots = UnsafeMutablePointer<UInt32>.allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        let keyLimit = limit * 24, payloadLimit = limit * 4
        let keys = UnsafeMutablePointer<UInt32>.allocate(capacity: keyLimit + maximumKeys)
        let payload = UnsafeMutablePointer<Int32>.allocate(capacity: payloadLimit + payloadSlack)
        return View(entries: entries, slots: slots, slotMask: slotCount - 1, keys: keys, payload: payload, counts: counts,
                    entryLimit: limit, keyLimit: keyLimit, payloadLimit: payloadLimit)
    }

    private static func free(_ view: View) {
        UnsafeMutableRawPointer(view.entries).deallocate(); view.slots.deallocate(); view.keys.deallocate(); view.payload.deallocate()
    }

    var count: Int { view.counts.pointee.entries }
    /// The most words the cache holds at its present size.
    var capacity: Int { view.entryLimit }
    /// Times the cache was emptied because it was full at its largest.
    var clears: Int { view.counts.pointee.clears }

    /// Called before each text (never while one is read): a full cache doubles, keeping its
    /// words, until it reaches its largest size; a full cache at its largest is emptied. Either
    /// way, the views taken before are stale.
    @inline(__always) func prepareForText() {
        guard view.isFull else { return }
        if view.entryLimit < maximumEntries { grow() } else { clear() }
    }

    private func grow() {
        let old = view
        let grown = Self.allocate(entries: min(old.entryLimit * 2, maximumEntries), counts: old.counts)
        // Entries, keys and payload keep their places; every entry gets the slot its hash picks
        // in the larger table.
        let count = old.counts.pointee.entries
        grown.entries.initialize(from: old.entries, count: count)
        grown.keys.update(from: old.keys, count: old.counts.pointee.keys)
        grown.payload.update(from: old.payload, count: old.counts.pointee.payload)
        for number in 0..<count {
            let e = old.entries[number]
            let hash = View.hash(e.word, Int(e.byteLength))
            var target = View.firstSlot(hash, grown.slotMask)
            while grown.slots[target] != 0 { target = (target &+ 1) & grown.slotMask }
            grown.slots[target] = View.slotTag(hash) &<< 16 | UInt32(number &+ 1)
        }
        view = grown
        Self.free(old)
    }

    func clear() {
        view.slots.update(repeating: 0, count: view.slotMask &+ 1)
        let clears = view.counts.pointee.clears
        view.counts.pointee = Counts(clears: clears &+ 1)
    }
}

/// The rule words as the scanning loop looks them up: every exact word and every `word*` prefix,
/// keyed by its normalised scalars, in one open-addressing hash table with a bit filter in front.
///
/// A token's key is hashed scalar by scalar; the hash after `d` scalars is the hash of its first
/// `d` scalars, so one pass over the key gives every prefix a rule could mean. The table is
/// probed only at lengths some prefix has (and at the key's own length when some word or prefix
/// has that length), and a filter answers most probes for words no rule has. The filter is
/// blocked: a key's bits (two) lie in the 64-byte block its first `blockDepth` scalars choose,
/// so all the probes of one token read one cache line. A trie walk instead costs a dependent
/// load per scalar, most of them cache misses among tens of thousands of nodes. Every probe the
/// filter lets through is verified against the stored scalars, so a collision never makes a hit.
struct WordTable: Sendable {
    struct Slot {
        var tag: UInt32
        /// Scalars of the key; 0 marks an empty slot (keys are never empty).
        var length: UInt32
        var offset: UInt32
        var exact: Int32
        var prefix: Int32
    }

    static let none: Int32 = -1
    static let seed: UInt64 = 0xCBF2_9CE4_8422_2325
    static let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15

    /// The scalars whose hash chooses a key's filter block (all of them in a shorter key).
    static let blockDepth = 4

    @inline(__always) static func step(_ h: UInt64, _ scalar: UInt32) -> UInt64 {
        (h ^ UInt64(scalar)) &* multiplier
    }

    /// A key's hash and the hash of its first `blockDepth` scalars (which chooses its filter
    /// block), as the scanning loop computes them scalar by scalar.
    static func hashes(_ key: [UInt32]) -> (key: UInt64, block: UInt64) {
        var h = seed, block = seed
        for (i, s) in key.enumerated() {
            h = step(h, s)
            if i < blockDepth { block = h }
        }
        return (h, block)
    }

    /// The two bits (of its block's 512) a key whose hash is `h` sets in the filter.
    @inline(__always) static func filterBits(_ h: UInt64) -> (UInt64, UInt64) {
        (h >> 20 & 511, h >> 29 & 511)
    }

    /// The tag a key whose hash is `h` keeps in its slot, and the slot its probing starts at.
    @inline(__always) static func tag(_ h: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: h >> 16) }
    @inline(__always) static func firstSlot(_ h: UInt64, mask: Int) -> Int { Int(truncatingIfNeeded: h >> 24) & mask }

    /// The bit of a key length in the length masks (lengths of 63 and more share the last bit).
    @inline(__always) static func lengthBit(_ length: Int) -> UInt64 {
        1 &<< UInt64(min(length, 63))
    }

    /// The bits of every length from 0 to `length`.
    @inline(__always) static func lengths(upTo length: Int) -> UInt64 {
        length >= 63 ? ~0 : (1 &<< UInt64(length &+ 1)) &- 1
    }

    private let storage: WordTableStorage
    var view: View { storage.view }
    /// Exact words and prefixes stored (the same key as both counts once).
    let count: Int

    /// The table of `words`: each key with its exact lexeme and/or its prefix lexeme.
    init(_ words: [(key: [UInt32], exact: Int32, prefix: Int32)]) {
        storage = WordTableStorage(words)
        count = words.count
    }

    /// The exact and prefix lexemes of `key` (`none` where it has none), hashed as the scanning
    /// loop does; nil when the table does not hold the key.
    func find(_ key: [UInt32]) -> (exact: Int32, prefix: Int32)? {
        guard !key.isEmpty else { return nil }
        let view = self.view
        let (h, blockHash) = Self.hashes(key)
        return key.withUnsafeBufferPointer { buffer in
            view.find(h, block: view.block(blockHash), length: key.count, head: 0, buffer.baseAddress!)
                .map { ($0.pointee.exact, $0.pointee.prefix) }
        }
    }

    /// Raw pointers for the scanning loop.
    struct View {
        let slots: UnsafePointer<Slot>
        let slotMask: Int
        let keys: UnsafePointer<UInt32>
        /// Blocks of 8 words (512 bits, one cache line).
        let filter: UnsafePointer<UInt64>
        let blockShift: UInt64
        /// Bit `min(n, 63)` set when some prefix (for `prefixLengths`) or some word or prefix
        /// (for `keyLengths`) has `n` scalars.
        let prefixLengths: UInt64
        let keyLengths: UInt64

        /// The filter block of a key whose first `min(length, blockDepth)` scalars hash to `h`.
        @inline(__always) func block(_ h: UInt64) -> UnsafePointer<UInt64> {
            filter + Int(truncatingIfNeeded: h >> blockShift) &* 8
        }

        /// 1 when the filter lets a key whose hash is `h` through, else 0 (no branch).
        @inline(__always) static func pass(_ block: UnsafePointer<UInt64>, _ h: UInt64) -> UInt64 {
            let (a, b) = WordTable.filterBits(h)
            return block[Int(a >> 6)] &>> (a & 63) & block[Int(b >> 6)] &>> (b & 63) & 1
        }

        /// The slot of the key whose hash is `h`: `length` scalars, `key` holding the last
        /// `length - head` of them and `0x23` (`#`) before them when `head` is 1; `block` is
        /// its filter block.
        @inline(__always)
        func find(_ h: UInt64, block: UnsafePointer<UInt64>, length: Int, head: Int, _ key: UnsafePointer<UInt32>) -> UnsafePointer<Slot>? {
            guard Self.pass(block, h) != 0 else { return nil }
            return slot(h, length: length, head: head, key)
        }

        /// `find` after the filter.
        @inline(__always)
        func slot(_ h: UInt64, length: Int, head: Int, _ key: UnsafePointer<UInt32>) -> UnsafePointer<Slot>? {
            let tag = WordTable.tag(h)
            var i = WordTable.firstSlot(h, mask: slotMask)
            while true {
                let slot = slots + i
                let stored = Int(slot.pointee.length)
                if stored == 0 { return nil }
                if slot.pointee.tag == tag && stored == length && matches(Int(slot.pointee.offset), length: length, head: head, key) {
                    return slot
                }
                i = (i &+ 1) & slotMask
            }
        }

        @inline(__always)
        private func matches(_ offset: Int, length: Int, head: Int, _ key: UnsafePointer<UInt32>) -> Bool {
            let stored = keys + offset
            if head == 1 && stored[0] != 0x23 { return false }
            for i in 0..<(length &- head) where stored[head &+ i] != key[i] { return false }
            return true
        }
    }
}

/// The memory of a WordTable, allocated once and never changed (hence Sendable).
final class WordTableStorage: @unchecked Sendable {
    let view: WordTable.View
    private let slots: UnsafeMutablePointer<WordTable.Slot>
    private let keys: UnsafeMutablePointer<UInt32>
    private let filter: UnsafeMutablePointer<UInt64>

    init(_ words: [(key: [UInt32], exact: Int32, prefix: Int32)]) {
        var slotCount = 16
        while slotCount < words.count + words.count / 2 { slotCount <<= 1 }
        var blocks = 64
        while blocks * 512 < 16 * words.count { blocks <<= 1 }
        let filterBits = blocks * 512
        let blockShift = UInt64(64 - blocks.trailingZeroBitCount)
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: WordTable.Slot(tag: 0, length: 0, offset: 0, exact: WordTable.none, prefix: WordTable.none), count: slotCount)
        filter = .allocate(capacity: filterBits / 64)
        filter.initialize(repeating: 0, count: filterBits / 64)
        let total = words.reduce(0) { $0 + $1.key.count }
        keys = .allocate(capacity: max(total, 1))
        var offset = 0
        var prefixLengths: UInt64 = 0, keyLengths: UInt64 = 0
        for word in words where !word.key.isEmpty {
            (keys + offset).initialize(from: word.key, count: word.key.count)
            let (h, blockHash) = WordTable.hashes(word.key)
            let block = filter + Int(blockHash >> blockShift) * 8
            let (a, b) = WordTable.filterBits(h)
            for bit in [a, b] { block[Int(bit >> 6)] |= 1 << (bit & 63) }
            var i = WordTable.firstSlot(h, mask: slotCount - 1)
            while slots[i].length != 0 { i = (i + 1) & (slotCount - 1) }
            slots[i] = WordTable.Slot(tag: WordTable.tag(h), length: UInt32(word.key.count), offset: UInt32(offset),
                                      exact: word.exact, prefix: word.prefix)
            offset += word.key.count
            keyLengths |= WordTable.lengthBit(word.key.count)
            if word.prefix != WordTable.none { prefixLengths |= WordTable.lengthBit(word.key.count) }
        }
        view = WordTable.View(slots: slots, slotMask: slotCount - 1, keys: keys, filter: filter, blockShift: blockShift,
                              prefixLengths: prefixLengths, keyLengths: keyLengths)
    }

    deinit {
        slots.deallocate(); keys.deallocate(); filter.deallocate()
    }
}

/// What the pieces of texts (PieceScanner) came to, keyed by their UTF-8 bytes: their tokens
/// (positions and offsets relative to the piece), each token's keys and the words of the rules
/// its keys found in the trie. Natural text repeats its words, so most pieces (a piece is most
/// often one word) are normalised and looked up once, then only hashed and compared.
///
/// A flat open-addressing table over plain buffers, owned by one RuleMatcher and reused across
/// texts. Bounded: when it holds `maxEntries` pieces it starts again from empty, which keeps the
/// memory of a long-running matcher flat whatever it reads. The owner calls `deallocate()`.
struct PieceCache {
    /// One cache line: the piece's bytes sit in the entry when they fit (most words do), so a
    /// lookup that hits reads the slot and the entry and nothing else.
    struct Entry {
        var hash: UInt64
        /// A bit per first scalar (mod 32) of the keys of the piece's words: a name word can
        /// start only a key whose bit is in the names' mask.
        var firstScalars: UInt32
        var byteStart: Int32
        var tokenStart: Int32
        var tokenCount: Int32
        /// Word positions the piece takes.
        var positions: Int32
        /// The length of a linked piece (at most `maxPieceBytes`).
        var byteCount: UInt8
        /// Whether any token of the piece finds a rule word (if not, it only takes positions).
        var hasHits: Bool
        var inline: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32)
    }

    struct Token {
        var first: Int32
        var last: Int32
        var start: Int32
        var end: Int32
        var keyStart: Int32
        var keyLength: UInt16
        var readingLength: UInt16
        var secondReadingLength: UInt16
        var kind: TokenKind
        var hitStart: Int32
        var hitCount: Int32
    }

    static let maxEntries = 1 << 15
    /// Longer pieces (a text in a script the scanner leaves to the normaliser is one piece) are
    /// used once and dropped: they rarely recur and would crowd out the words.
    static let maxPieceBytes = 128
    static let inlineBytes = 32
    private static let inlineOffset = MemoryLayout<Entry>.offset(of: \Entry.inline)!

    /// Entry index in the low 32 bits, the hash's high 32 bits above it (-1 exactly: empty; an
    /// index is below 2^31, so no entry is -1), so a probe
    /// that is not the piece is told apart without reading its entry.
    private var slots: UnsafeMutablePointer<Int64>
    private var slotMask: Int
    private(set) var entries = ScratchBuffer<Entry>(capacity: 256)
    private var bytes = ScratchBuffer<UInt8>(capacity: 4096)
    private(set) var tokens = ScratchBuffer<Token>(capacity: 256)
    private(set) var keys = ScratchBuffer<UInt32>(capacity: 4096)
    private(set) var lexemes = ScratchBuffer<Int32>(capacity: 256)
    var probes = 0, lookups = 0, misses = 0, clears = 0

    init() {
        slotMask = 511
        slots = .allocate(capacity: slotMask + 1)
        slots.initialize(repeating: -1, count: slotMask + 1)
        precondition(MemoryLayout<Entry>.stride == 64 && Self.inlineOffset + Self.inlineBytes == 64)
    }

    func deallocate() {
        slots.deallocate()
        entries.deallocate(); bytes.deallocate(); tokens.deallocate(); keys.deallocate(); lexemes.deallocate()
    }

    /// A 64-bit hash of `count` bytes, eight at a time.
    @inline(__always)
    static func hash(_ p: UnsafePointer<UInt8>, _ count: Int) -> UInt64 {
        let raw = UnsafeRawPointer(p)
        var h = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: count)
        var i = 0
        while i &+ 8 <= count {
            h = mix(h ^ raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
            i &+= 8
        }
        let rest = count &- i
        if rest >= 4 {
            let a = UInt64(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
            let b = UInt64(raw.loadUnaligned(fromByteOffset: count &- 4, as: UInt32.self))
            h = mix(h ^ (a | b << 32))
        } else if rest > 0 {
            let v = UInt64(p[i]) | UInt64(p[i &+ rest >> 1]) << 8 | UInt64(p[count &- 1]) << 16
            h = mix(h ^ v)
        }
        return h
    }

    @inline(__always) private static func mix(_ x: UInt64) -> UInt64 {
        let m = x.multipliedFullWidth(by: 0xD6E8_FEB8_6659_FD93)
        return m.high ^ m.low
    }

    /// The entry of these bytes, or -1.
    @inline(__always)
    mutating func find(_ hash: UInt64, _ p: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        let tag = Int64(bitPattern: hash & 0xFFFF_FFFF_0000_0000)
        lookups &+= 1
        while true {
            probes &+= 1
            let s = slots[slot]
            if s == -1 { misses &+= 1; return -1 }
            if s & ~0xFFFF_FFFF == tag {
                let e = Int32(truncatingIfNeeded: s)
                let entry = entries.base + Int(e)
                if Int(entry.pointee.byteCount) == count, entry.pointee.hash == hash {
                    let stored = count <= Self.inlineBytes
                        ? UnsafePointer<UInt8>((UnsafeRawPointer(entry) + Self.inlineOffset).assumingMemoryBound(to: UInt8.self))
                        : UnsafePointer(bytes.base + Int(entry.pointee.byteStart))
                    if Self.equal(stored, p, count) { return e }
                }
            }
            slot = (slot &+ 1) & slotMask
        }
    }

    @inline(__always)
    private static func equal(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        let x = UnsafeRawPointer(a), y = UnsafeRawPointer(b)
        var i = 0
        while i &+ 8 <= count {
            if x.loadUnaligned(fromByteOffset: i, as: UInt64.self) != y.loadUnaligned(fromByteOffset: i, as: UInt64.self) { return false }
            i &+= 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i &+= 1
        }
        return true
    }

    /// Makes room for one more entry: empties the cache when it is full.
    mutating func makeRoom() {
        if entries.count >= Self.maxEntries {
            clears += 1
            entries.removeAll(); bytes.removeAll(); tokens.removeAll(); keys.removeAll(); lexemes.removeAll()
            slots.update(repeating: -1, count: slotMask + 1)
        }
    }

    // MARK: Building an entry (tokens, keys and lexemes first, then `finish`)

    mutating func appendKeys(_ source: UnsafePointer<UInt32>, count: Int) { keys.append(source, count: count) }
    mutating func appendLexeme(_ lexeme: Int32) { lexemes.append(lexeme) }
    mutating func appendToken(_ token: Token) { tokens.append(token) }

    /// Closes the entry whose tokens start at `tokenStart`; `linked` makes it findable (else
    /// it is dropped by `dropLast()` once used).
    mutating func finish(
        hash: UInt64, _ p: UnsafePointer<UInt8>?, _ count: Int, tokenStart: Int, positions: Int32, hasHits: Bool,
        firstScalars: UInt32, linked: Bool
    ) -> Int32 {
        let byteStart = bytes.count
        if linked, count > Self.inlineBytes, let p { bytes.append(p, count: count) }
        if linked, (entries.count + 1) * 2 > slotMask + 1 { grow() }
        let index = Int32(entries.count)
        entries.append(Entry(hash: hash, firstScalars: firstScalars, byteStart: Int32(byteStart), tokenStart: Int32(tokenStart),
                             tokenCount: Int32(tokens.count - tokenStart), positions: positions,
                             byteCount: UInt8(truncatingIfNeeded: min(count, 255)), hasHits: hasHits,
                             inline: (0, 0, 0, 0, 0, 0, 0, 0)))
        if linked, count <= Self.inlineBytes, let p {
            let entry = UnsafeMutableRawPointer(entries.base + Int(index)) + Self.inlineOffset
            entry.copyMemory(from: p, byteCount: count)
        }
        if linked { link(index) }
        return index
    }

    /// Removes the last entry (an unlinked one) and what it holds.
    mutating func dropLast() {
        let entry = entries[entries.count - 1]
        let firstToken = Int(entry.tokenStart)
        if firstToken < tokens.count {
            let t = tokens[firstToken]
            keys.removeLast(keys.count - Int(t.keyStart))
            lexemes.removeLast(lexemes.count - Int(t.hitStart))
        }
        tokens.removeLast(tokens.count - firstToken)
        entries.removeLast()
    }

    private mutating func link(_ index: Int32) {
        let hash = entries[Int(index)].hash
        var slot = Int(truncatingIfNeeded: hash) & slotMask
        while slots[slot] != -1 { slot = (slot &+ 1) & slotMask }
        slots[slot] = Int64(bitPattern: hash & 0xFFFF_FFFF_0000_0000) | Int64(index)
    }

    private mutating func grow() {
        let size = (slotMask + 1) * 2
        slots.deallocate()
        slots = .allocate(capacity: size)
        slots.initialize(repeating: -1, count: size)
        slotMask = size - 1
        // Unlinked entries never outlive their use, so every entry here is a linked one.
        for e in 0..<entries.count { link(Int32(e)) }
    }
}

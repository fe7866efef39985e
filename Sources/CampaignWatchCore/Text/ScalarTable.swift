/// What the normaliser knows about each Unicode scalar, built once from the generated tables
/// (NormalisationTables.swift) into a two-stage lookup: one load per scalar in the hot loop.
///
/// Immutable after `init`; the buffers live as long as the process (`shared` is never released),
/// which is why the type can hand out raw pointers and still be `Sendable`.
final class ScalarTable: @unchecked Sendable {
    static let shared = ScalarTable()

    enum Class: UInt8 {
        case separator = 0, letter = 1, mark = 2, number = 3
    }

    enum Script: UInt8 {
        case other = 0, latin = 1, cyrillic = 2, greek = 3
    }

    /// Entry bits: 0–1 class, 2–3 script, 4 upper-case, 5 distinctive, 6 has a mapping,
    /// 7 has look-alikes, 8–15 combining class, 16–39 mapping offset, 40–47 mapping length.
    struct Entry {
        let bits: UInt64
        init(bits: UInt64) { self.bits = bits }
        /// From the low byte alone (class, script, case, distinctive, look-alike flags).
        init(flags: UInt8) { self.bits = UInt64(flags) }

        @inline(__always) var klass: Class { Class(rawValue: UInt8(bits & 3))! }
        @inline(__always) var isWordPart: Bool { bits & 3 != 0 }
        @inline(__always) var isLetter: Bool { bits & 3 == 1 }
        @inline(__always) var isMark: Bool { bits & 3 == 2 }
        @inline(__always) var isNumber: Bool { bits & 3 == 3 }
        @inline(__always) var script: Script { Script(rawValue: UInt8(bits >> 2 & 3))! }
        @inline(__always) var isUpper: Bool { bits & 0x10 != 0 }
        /// A letter with no look-alike in the other of Latin and Cyrillic: it tells which script
        /// a mixed word is written in.
        @inline(__always) var isDistinctive: Bool { bits & 0x20 != 0 }
        @inline(__always) var hasMapping: Bool { bits & 0x40 != 0 }
        @inline(__always) var hasLookAlike: Bool { bits & 0x80 != 0 }
        @inline(__always) var combiningClass: UInt8 { UInt8(truncatingIfNeeded: bits >> 8) }
        @inline(__always) var mappingOffset: Int { Int(bits >> 16 & 0xFF_FFFF) }
        @inline(__always) var mappingLength: Int { Int(bits >> 40 & 0xFF) }
    }

    private let stage1: UnsafeMutableBufferPointer<UInt16>
    private let stage2: UnsafeMutableBufferPointer<UInt64>
    let mappings: UnsafeMutableBufferPointer<UInt32>
    /// Scalar → (Latin look-alike, Cyrillic look-alike), folded; 0 where there is none.
    private let lookAlikes: [UInt32: (UInt32, UInt32)]
    /// Below U+0800 (Latin, Greek, Cyrillic): look-alikes without hashing, Latin then Cyrillic.
    private let nearLookAlikes: UnsafeMutableBufferPointer<UInt32>
    /// The low entry byte of each ASCII scalar.
    let asciiFlags: UnsafeMutableBufferPointer<UInt8>
    /// U+0080..<U+0530 (Latin-1, Latin Extended, IPA, Greek, Cyrillic): the folded scalar when it
    /// is a single starter, with the flags of it and of the source, so the common letters skip the
    /// two-stage lookup; bit 63 marks a usable entry.
    let fastMap: UnsafeMutableBufferPointer<UInt64>
    static let fastMapEnd: UInt32 = 0x530
    /// LatinReading's table for ASCII.
    let latinReading: UnsafeMutableBufferPointer<UInt32>
    /// U+0400..<U+0500: for a Cyrillic letter that folds to one letter of the block (what the
    /// plain-word path reads), its key letter, with bit 31 set when it is distinctive and bit 30
    /// for і, which after ь draws ы (`вЬІборЬІ`, for the general path); else 0.
    let plainCyrillic: UnsafeMutableBufferPointer<UInt32>
    /// Per ASCII byte, what the plain-word path (PlainWordPath) makes of it.
    let plainASCIIKinds: UnsafeMutableBufferPointer<PlainKind>
    /// Per ASCII letter as written: the key letter of its Cyrillic look-alike (upper-case `H` is
    /// `н`, `h` is `һ`, keyed), 0 where there is none; the plain-word path reads `HAC` with it.
    let asciiCyrillicLookAlikeKeys: UnsafeMutableBufferPointer<UInt32>
    private let compositions: [UInt64: UInt32]
    /// Below U+2000: the letter a matching key keeps for a folded letter (diacritics dropped,
    /// Kazakh/Kyrgyz/Ukrainian letters read as their nearest Russian letter).
    private let keyFolds: UnsafeMutableBufferPointer<UInt32>
    /// Per pair of regional indicators (first letter × 26 + second, A = 0): whether it is drawn as
    /// a flag (🇰🇿). Any other pair is drawn as its two letters.
    private let flagPairs: [Bool]
    let unicodeVersion = ScalarTable.generatedUnicodeVersion

    @inline(__always) func entry(_ scalar: UInt32) -> Entry {
        let block = Int(stage1[Int(scalar &>> 7)])
        return Entry(bits: stage2[block &<< 7 | Int(scalar & 127)])
    }

    /// The everyday letter of `script` that `scalar`, as written, looks like (already folded).
    @inline(__always) func lookAlike(_ scalar: UInt32, in script: Script) -> UInt32? {
        if scalar < 0x800 {
            let target = script == .latin ? nearLookAlikes[Int(scalar) * 2] : script == .cyrillic ? nearLookAlikes[Int(scalar) * 2 + 1] : 0
            return target == 0 ? nil : target
        }
        guard let pair = lookAlikes[scalar] else { return nil }
        let target = script == .latin ? pair.0 : script == .cyrillic ? pair.1 : 0
        return target == 0 ? nil : target
    }

    /// The letter that stands for `scalar` in matching keys: "ё", "й", "қ", "ә", "і" and "é"
    /// key as "е", "и", "к", "а", "и" and "e", because writers drop or swap them at will.
    @inline(__always) func keyFold(_ scalar: UInt32) -> UInt32 {
        scalar < 0x2000 ? keyFolds[Int(scalar)] : scalar
    }

    /// Whether two regional indicators (U+1F1E6 A … U+1F1FF Z) make a flag.
    @inline(__always) func isFlag(_ first: UInt32, _ second: UInt32) -> Bool {
        flagPairs[Int(first &- 0x1F1E6) &* 26 &+ Int(second &- 0x1F1E6)]
    }

    /// The canonical composition of two scalars (NFC), if there is one.
    func compose(_ first: UInt32, _ second: UInt32) -> UInt32? {
        compositions[UInt64(first) << 21 | UInt64(second)]
    }

    private init() {
        var flat = [UInt64](repeating: 0, count: 0x110000)
        Self.eachLine(Self.generatedRanges) { f in
            let bits = UInt64(f[2])
            for s in Int(f[0])...Int(f[1]) { flat[s] = bits }
        }
        Self.eachLine(Self.generatedCombiningClasses) { f in
            for s in Int(f[0])...Int(f[1]) { flat[s] |= UInt64(f[2]) << 8 }
        }
        var mapped: [UInt32] = []
        mapped.reserveCapacity(16_000)
        Self.eachLine(Self.generatedMappings) { f in
            let scalar = Int(f[0])
            let offset = UInt64(mapped.count), length = UInt64(f.count - 1)
            mapped.append(contentsOf: f.dropFirst())
            flat[scalar] = flat[scalar] & 0xFFFF & ~0x40 | 0x40 | offset << 16 | length << 40
        }
        var alikes: [UInt32: (UInt32, UInt32)] = [:]
        Self.eachLine(Self.generatedLookAlikes) { f in
            alikes[f[0]] = (f[1], f[2])
            flat[Int(f[0])] |= 0x80
        }
        var pairs: [UInt64: UInt32] = [:]
        var firstOf: [UInt32: UInt32] = [:]
        Self.eachLine(Self.generatedCompositions) { f in
            pairs[UInt64(f[0]) << 21 | UInt64(f[1])] = f[2]
            firstOf[f[2]] = f[0]
        }
        let folds = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 0x2000)
        for s in UInt32(0)..<0x2000 {
            var base = s
            while let first = firstOf[base] { base = first }
            folds[Int(s)] = Self.nearestRussian[base] ?? base
        }
        keyFolds = folds
        var flagPairs = [Bool](repeating: false, count: 26 * 26)
        for code in Self.generatedFlags.split(whereSeparator: \.isWhitespace) {
            let letters = code.utf8.map { Int($0) - 0x41 }
            flagPairs[letters[0] * 26 + letters[1]] = true
        }
        self.flagPairs = flagPairs

        // Two stages: identical 128-scalar blocks (most of the code space) are stored once.
        var blockIndex: [ArraySlice<UInt64>: UInt16] = [:]
        var blocks: [UInt64] = []
        let first = UnsafeMutableBufferPointer<UInt16>.allocate(capacity: 0x110000 >> 7)
        for block in 0..<(0x110000 >> 7) {
            let slice = flat[block << 7 ..< (block + 1) << 7]
            if let known = blockIndex[slice] {
                first[block] = known
            } else {
                let index = UInt16(blocks.count >> 7)
                blockIndex[slice] = index
                blocks.append(contentsOf: slice)
                first[block] = index
            }
        }
        stage1 = first
        let second = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: blocks.count)
        _ = second.initialize(from: blocks)
        stage2 = second
        let mappingStore = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: max(mapped.count, 1))
        _ = mappingStore.initialize(from: mapped)
        mappings = mappingStore
        lookAlikes = alikes
        compositions = pairs
        let near = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 0x1000)
        near.initialize(repeating: 0)
        for (scalar, pair) in alikes where scalar < 0x800 {
            near[Int(scalar) * 2] = pair.0
            near[Int(scalar) * 2 + 1] = pair.1
        }
        nearLookAlikes = near
        let ascii = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 128)
        for c in 0..<128 { ascii[c] = UInt8(truncatingIfNeeded: flat[c]) }
        asciiFlags = ascii
        let fast = UnsafeMutableBufferPointer<UInt64>.allocate(capacity: Int(Self.fastMapEnd))
        fast.initialize(repeating: 0)
        for c in 0x80..<Int(Self.fastMapEnd) {
            let e = flat[c]
            guard e >> 8 & 0xFF == 0 else { continue }
            var m = UInt64(c)
            if e & 0x40 != 0 {
                guard e >> 40 & 0xFF == 1 else { continue }
                m = UInt64(mapped[Int(e >> 16 & 0xFF_FFFF)])
            }
            guard flat[Int(m)] >> 8 & 0xFF == 0 else { continue }
            fast[c] = m | (flat[Int(m)] & 0xFF) << 32 | (e & 0xFF) << 40 | 1 << 63
        }
        fastMap = fast
        let cyrillic = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 0x100)
        cyrillic.initialize(repeating: 0)
        for c in 0x400..<0x500 {
            let f = fast[c]
            let flags = f >> 32 & 0xFF, folded = Int(f & 0x1F_FFFF)
            // A usable entry, a letter (class 1) of Cyrillic (script 2), folding inside the block;
            // not a historic letter drawn like an everyday one (fita ѳ is ө), which WordFolder reads.
            guard f >> 63 != 0, flags & 0xF == 0x9, folded >= 0x400, folded < 0x500,
                  (alikes[UInt32(folded)]?.1 ?? 0) == 0 else { continue }
            cyrillic[c - 0x400] = folds[folded] | UInt32(flags >> 5 & 1) << 31 | (folded == 0x456 ? 1 << 30 : 0)
        }
        plainCyrillic = cyrillic
        let reading = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 128)
        _ = reading.initialize(from: LatinReading.asciiTable)
        latinReading = reading
        let alikeKeys = UnsafeMutableBufferPointer<UInt32>.allocate(capacity: 128)
        alikeKeys.initialize(repeating: 0)
        for c in 0..<128 {
            let lower = c >= 0x41 && c <= 0x5A ? c | 0x20 : c
            let own = alikes[UInt32(c)]?.1 ?? 0
            let alike = own != 0 ? own : alikes[UInt32(lower)]?.1 ?? 0
            if alike != 0 { alikeKeys[c] = alike < 0x2000 ? folds[Int(alike)] : alike }
        }
        asciiCyrillicLookAlikeKeys = alikeKeys
        let kinds = UnsafeMutableBufferPointer<PlainKind>.allocate(capacity: 128)
        for c in 0..<128 {
            let flags = flat[c] & 3
            let letter = c >= 0x41 && c <= 0x5A || c >= 0x61 && c <= 0x7A
            let kind: PlainKind
            switch c {
            case 0x3C, 0x26: kind = .markup
            case 0x23, 0x24, 0x40, 0x5F: kind = .other // hashtags, `$` for s, mentions and `@` for a, hashtag parts
            case _ where NormaliserCore.symbolLetter(UInt32(c)) != nil: kind = .other // symbols that may stand for letters
            case _ where flags == 1 && letter: kind = .letter
            case _ where flags == 0 && PlainKind.isConnector(UInt32(c)): kind = .connector
            case _ where flags == 0: kind = .separator
            default: kind = .other
            }
            kinds[c] = kind
        }
        plainASCIIKinds = kinds
    }

    private static let nearestRussian: [UInt32: UInt32] = [
        0x4D9: 0x430, 0x493: 0x433, 0x49B: 0x43A, 0x4A3: 0x43D, 0x4E9: 0x43E, 0x4B1: 0x443, 0x4AF: 0x443,
        0x4BB: 0x445, 0x456: 0x438, 0x454: 0x435, 0x491: 0x433, 0x131: 0x69,
    ]

    /// Calls `body` with the hex fields of each line of a generated table.
    private static func eachLine(_ table: String, _ body: ([UInt32]) -> Void) {
        var fields: [UInt32] = []
        var value: UInt32 = 0, inField = false
        for byte in table.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                value = value << 4 | UInt32(byte - UInt8(ascii: "0")); inField = true
            case UInt8(ascii: "A")...UInt8(ascii: "F"):
                value = value << 4 | UInt32(byte - UInt8(ascii: "A") + 10); inField = true
            case UInt8(ascii: " "):
                if inField { fields.append(value) }
                value = 0; inField = false
            default: // newline
                if inField { fields.append(value) }
                if !fields.isEmpty { body(fields) }
                fields.removeAll(keepingCapacity: true)
                value = 0; inField = false
            }
        }
        if inField { fields.append(value) }
        if !fields.isEmpty { body(fields) }
    }
}

/// Cuts the UTF-8 of a text into pieces that normalise independently of each other, in one pass
/// over the bytes and without decoding more than each scalar's class.
///
/// Most of what normalisation does to a word depends on that word alone; what reaches across
/// words does so only through the separators between them: letters spelled out one by one
/// (`г о л о с`) join across gaps of 1–3 separators, syllables join across one connector
/// (`го-ло-суй-те`), a hashtag takes in underscores, `@` after a letter is a letter, a combining
/// mark composes with the scalar before it, and an invisible character between two letters
/// vanishes and joins them. A gap that can do none of this is a hard boundary: the normaliser run
/// on the text between two hard boundaries gives the same tokens (shifted in offsets and
/// positions) as run on the whole text. Pieces are what lies between hard boundaries, so a
/// piece's tokens are a function of its bytes, which is what lets a matcher cache them.
///
/// The scanner is conservative: any scalar it does not know to be harmless (a mark, an invisible
/// character beside a letter, `#`, `@`, `_`, a letter outside Latin, Greek and Cyrillic…) makes
/// the gap it sits in soft, so the words on both sides, and everything between, go into one piece.
/// A `<` or `&` stops it: markup is stripped from the whole text at once (`markup` is set).
struct PieceScanner {
    struct Piece {
        var byteStart: Int
        var byteEnd: Int
        /// The Unicode scalar offset of `byteStart` in the text.
        var scalarStart: Int32
    }

    private let bytes: UnsafePointer<UInt8>
    private let count: Int
    private let classes: ScanClasses
    private var i = 0
    private var scalar: Int32 = 0
    private var started = false
    /// The piece being gathered: its start, and the end of its last word.
    private var active = false
    private var pieceStart = 0
    private var pieceScalar: Int32 = 0
    private var pieceEnd = 0
    private var hasWords = false
    private var lastSingle = false
    /// The gap after the last word read.
    private var gap = Gap()
    /// The text has `<` or `&`: nothing the scanner returned is to be used.
    private(set) var markup = false

    struct Gap {
        /// Separators the gap stands for after normalisation (a scalar can stand for none or
        /// several), capped at 4: the rules only ask for 1 and for up to 3.
        var cells = 0
        var connectors = 0
        var complex = false
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>, classes: ScanClasses) {
        self.bytes = bytes.baseAddress ?? UnsafePointer(bitPattern: 1)!
        count = bytes.count
        self.classes = classes
    }

    /// The next piece, or nil at the end of the text (or at markup: see `markup`).
    mutating func next() -> Piece? {
        if !started {
            started = true
            gap = readGap()
            if markup { return nil }
            if gap.complex {
                active = true
                pieceStart = 0
                pieceScalar = 0
                hasWords = false
            }
        }
        while true {
            if i >= count {
                guard active else { return nil }
                active = false
                return Piece(byteStart: pieceStart, byteEnd: gap.complex ? count : pieceEnd, scalarStart: pieceScalar)
            }
            let runStart = i, runScalar = scalar
            let single = readWord()
            var finished: Piece?
            if active && hasWords && isHard(gap, lastSingle, single) {
                finished = Piece(byteStart: pieceStart, byteEnd: pieceEnd, scalarStart: pieceScalar)
                active = false
            }
            if !active {
                active = true
                pieceStart = runStart
                pieceScalar = runScalar
            }
            hasWords = true
            pieceEnd = i
            lastSingle = single
            gap = readGap()
            if markup { return nil }
            if let finished { return finished }
        }
    }

    /// Whether nothing of the normaliser reaches across `gap` between two words.
    @inline(__always)
    private func isHard(_ gap: Gap, _ singleBefore: Bool, _ singleAfter: Bool) -> Bool {
        if gap.complex || gap.cells == 0 { return false }
        if gap.cells == 1 && gap.connectors == 1 { return false }
        if singleBefore && singleAfter && gap.cells <= 3 { return false }
        return true
    }

    /// Reads a run of plain word scalars; whether it is a single letter (which can be part of a
    /// word spelled out).
    @inline(__always)
    private mutating func readWord() -> Bool {
        var n = 0
        var letter = false
        while i < count {
            let b0 = bytes[i]
            let kind: UInt8
            let length: Int
            if b0 < 0x80 {
                kind = classes.ascii[Int(b0)] & ScanClasses.kindMask
                length = 1
            } else if b0 < 0xE0, i + 1 < count {
                let c = (UInt32(b0) & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F
                kind = classes.low[Int(c)] & ScanClasses.kindMask
                length = 2
            } else {
                break
            }
            guard kind == ScanClasses.letter || kind == ScanClasses.number else { break }
            letter = kind == ScanClasses.letter
            n &+= 1
            i &+= length
            scalar &+= 1
        }
        return n == 1 && letter
    }

    /// Reads everything up to the next plain word scalar (or the end).
    @inline(__always)
    private mutating func readGap() -> Gap {
        var gap = Gap()
        while i < count {
            let b0 = bytes[i]
            let k: UInt8
            let length: Int
            if b0 < 0x80 {
                if b0 == 0x20 {
                    gap.cells &+= 1
                    i &+= 1
                    scalar &+= 1
                    continue
                }
                k = classes.ascii[Int(b0)]
                length = 1
            } else if b0 < 0xE0 {
                k = classes.low[Int((UInt32(b0) & 0x1F) << 6 | UInt32(bytes[i + 1]) & 0x3F)]
                length = 2
            } else if b0 < 0xF0 {
                k = classes.classify((UInt32(b0) & 0x0F) << 12 | (UInt32(bytes[i + 1]) & 0x3F) << 6 | UInt32(bytes[i + 2]) & 0x3F)
                length = 3
            } else {
                k = classes.classify((UInt32(b0) & 0x07) << 18 | (UInt32(bytes[i + 1]) & 0x3F) << 12
                    | (UInt32(bytes[i + 2]) & 0x3F) << 6 | UInt32(bytes[i + 3]) & 0x3F)
                length = 4
            }
            switch k & ScanClasses.kindMask {
            case ScanClasses.letter, ScanClasses.number:
                return gap
            case ScanClasses.separator:
                gap.cells &+= Int(k >> 4)
            case ScanClasses.connector:
                gap.cells &+= 1
                gap.connectors &+= 1
            case ScanClasses.markup:
                markup = true
                return gap
            default:
                gap.complex = true
            }
            i &+= length
            scalar &+= 1
        }
        return gap
    }
}

/// The scalar classes the piece scanner needs, one byte each: kind in the low bits, and for a
/// separator the number of separators it normalises to (0 for an invisible one) in bits 4–6.
/// Built once from the normaliser's table, so the two agree by construction.
final class ScanClasses: @unchecked Sendable {
    static let shared = ScanClasses(ScalarTable.shared)

    static let kindMask: UInt8 = 7
    /// Anything the scanner leaves to the normaliser: it makes the gap it is in soft.
    static let complex: UInt8 = 0
    /// A letter or a number that normalises to one starter of the same kind, on its own.
    static let letter: UInt8 = 1
    static let number: UInt8 = 2
    static let separator: UInt8 = 3
    /// A separator that joins syllables (`-`, `.`, `'`, `/`, `’`…).
    static let connector: UInt8 = 4
    /// `<` or `&`.
    static let markup: UInt8 = 5

    let ascii: UnsafeMutableBufferPointer<UInt8>
    /// U+0000..<U+0800 (the scalars of one or two UTF-8 bytes).
    let low: UnsafeMutableBufferPointer<UInt8>
    private let table: ScalarTable

    private init(_ table: ScalarTable) {
        self.table = table
        low = .allocate(capacity: 0x800)
        ascii = .allocate(capacity: 0x80)
        for c in 0..<0x800 { low[c] = Self.compute(UInt32(c), table) }
        for c in 0..<0x80 { ascii[c] = low[c] }
    }

    /// The class of any scalar (three- and four-byte ones are looked up as they come: emoji,
    /// punctuation, other scripts).
    @inline(__always) func classify(_ c: UInt32) -> UInt8 {
        c < 0x800 ? low[Int(c)] : Self.compute(c, table)
    }

    /// Separators the normaliser gives connector status (NormaliserCore.isConnector), less `_`,
    /// which a hashtag takes in (and so is complex here).
    static func isConnector(_ s: UInt32) -> Bool {
        switch s {
        case 0x2D, 0x2E, 0x27, 0x2A, 0x2F, 0xB7, 0x2010, 0x2011, 0x2019, 0x2022: true
        default: false
        }
    }

    /// `#` starts a hashtag, `@` after a letter reads as a, `_` belongs to hashtags.
    private static func isSpecial(_ s: UInt32) -> Bool {
        s == 0x23 || s == 0x40 || s == 0x5F
    }

    private static func compute(_ c: UInt32, _ table: ScalarTable) -> UInt8 {
        if c == 0x3C || c == 0x26 { return markup }
        if c < 0x80 {
            switch table.asciiFlags[Int(c)] & 3 {
            case 1: return letter
            case 3: return number
            case 0: break
            default: return complex
            }
            if isSpecial(c) { return complex }
            return isConnector(c) ? connector : separator | 1 << 4
        }
        // Word scalars: only those the normaliser maps without the general path (one starter,
        // nothing to compose), so a run of them normalises the same wherever it stands.
        if c < ScalarTable.fastMapEnd {
            let fast = table.fastMap[Int(c)]
            if fast >> 63 != 0 {
                switch UInt8(truncatingIfNeeded: fast >> 32) & 3 {
                case 1: return letter
                case 3: return number
                default: break
                }
            }
        }
        let entry = table.entry(c)
        guard entry.combiningClass == 0 else { return complex }
        // What the scalar normalises to: itself, or its mapping (none at all for an invisible one).
        let length = entry.hasMapping ? entry.mappingLength : 1
        if length == 0 { return separator }
        var first: UInt32 = c
        for k in 0..<length {
            let m = entry.hasMapping ? table.mappings[entry.mappingOffset + k] : c
            if k == 0 { first = m }
            let e = table.entry(m)
            guard e.klass == .separator, e.combiningClass == 0, !isSpecial(m) else { return complex }
        }
        if length == 1 && isConnector(first) { return connector }
        return separator | UInt8(min(length, 4)) << 4
    }
}

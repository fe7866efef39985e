/// UTF-8 validation and repair on raw bytes, ASCII eight bytes at a time.
///
/// Repair follows the WHATWG decoder: each maximal ill-formed subsequence becomes one U+FFFD.
enum UTF8Validator {
    struct Scan {
        /// Offset of the first ill-formed sequence, nil when the bytes are valid UTF-8.
        var firstInvalid: Int?
        /// Ill-formed sequences (each would become one U+FFFD).
        var invalidCount: Int
        /// Sequences that start with a byte ≥ 0x80, valid or not.
        var nonASCIICount: Int
    }

    static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]

    /// Length of the well-formed sequence at `i`, or the negated length of the maximal ill-formed
    /// subpart to replace (at least 1).
    @inline(__always)
    static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = p.count
        let b0 = p[i]
        if b0 < 0x80 { return 1 }
        if b0 < 0xC2 { return -1 }
        if b0 < 0xE0 {
            guard i + 1 < n, p[i + 1] & 0xC0 == 0x80 else { return -1 }
            return 2
        }
        if b0 < 0xF0 {
            guard i + 1 < n else { return -1 }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xE0 ? 0xA0 : 0x80
            let high: UInt8 = b0 == 0xED ? 0x9F : 0xBF
            guard b1 >= low && b1 <= high else { return -1 }
            guard i + 2 < n, p[i + 2] & 0xC0 == 0x80 else { return -2 }
            return 3
        }
        if b0 < 0xF5 {
            guard i + 1 < n else { return -1 }
            let b1 = p[i + 1]
            let low: UInt8 = b0 == 0xF0 ? 0x90 : 0x80
            let high: UInt8 = b0 == 0xF4 ? 0x8F : 0xBF
            guard b1 >= low && b1 <= high else { return -1 }
            guard i + 2 < n, p[i + 2] & 0xC0 == 0x80 else { return -2 }
            guard i + 3 < n, p[i + 3] & 0xC0 == 0x80 else { return -3 }
            return 4
        }
        return -1
    }

    static func containsNonASCII(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = p.baseAddress else { return false }
        var i = 0
        while i + 8 <= p.count {
            if UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return true }
            i += 8
        }
        while i < p.count { if p[i] >= 0x80 { return true }; i += 1 }
        return false
    }

    /// Offset of the first ill-formed sequence, or nil. ASCII goes eight bytes at a time; the
    /// rest through a table-driven automaton (Hoehrmann's), two table loads a byte, no branches
    /// on the byte values.
    static func firstInvalid(_ p: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        let n = p.count
        guard let base = p.baseAddress else { return nil }
        return byteClasses.withUnsafeBufferPointer { classes in
            transitions.withUnsafeBufferPointer { next in
                var i = start
                var state: UInt8 = accept
                var sequenceStart = start
                while i < n {
                    if state == accept {
                        while i + 8 <= n, UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                            i += 8
                        }
                        guard i < n else { break }
                        sequenceStart = i
                    }
                    state = next[Int(state) + Int(classes[Int(base[i])])]
                    if state == reject { return sequenceStart }
                    i += 1
                    if state == accept { sequenceStart = i }
                }
                return state == accept ? nil : sequenceStart
            }
        }
    }

    private static let accept: UInt8 = 0
    private static let reject: UInt8 = 12

    /// Byte classes of the UTF-8 automaton.
    private static let byteClasses: [UInt8] = {
        var classes = [UInt8](repeating: 0, count: 256)
        for byte in 0x80...0x8F { classes[byte] = 1 }
        for byte in 0x90...0x9F { classes[byte] = 9 }
        for byte in 0xA0...0xBF { classes[byte] = 7 }
        for byte in [0xC0, 0xC1] + Array(0xF5...0xFF) { classes[byte] = 8 }
        for byte in 0xC2...0xDF { classes[byte] = 2 }
        classes[0xE0] = 10
        for byte in 0xE1...0xEC { classes[byte] = 3 }
        classes[0xED] = 4
        for byte in 0xEE...0xEF { classes[byte] = 3 }
        classes[0xF0] = 11
        for byte in 0xF1...0xF3 { classes[byte] = 6 }
        classes[0xF4] = 5
        return classes
    }()

    /// States are multiples of 12 (0 accept, 12 reject), indexed by state + class.
    private static let transitions: [UInt8] = [
        0, 12, 24, 36, 60, 96, 84, 12, 12, 12, 48, 72,
        12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
        12, 0, 12, 12, 12, 12, 12, 0, 12, 0, 12, 12,
        12, 24, 12, 12, 12, 12, 12, 24, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 24, 12, 12, 12, 12,
        12, 24, 12, 12, 12, 12, 12, 12, 12, 24, 12, 12,
        12, 12, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 36, 12, 36, 12, 12,
        12, 36, 12, 12, 12, 12, 12, 12, 12, 12, 12, 12,
    ]

    /// Counts what a repair would replace; used to judge whether a document really is UTF-8.
    static func scan(_ p: UnsafeBufferPointer<UInt8>) -> Scan {
        var scan = Scan(firstInvalid: nil, invalidCount: 0, nonASCIICount: 0)
        guard let base = p.baseAddress else { return scan }
        let n = p.count
        var i = 0
        while i < n {
            if i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
            }
            if p[i] < 0x80 { i += 1; continue }
            scan.nonASCIICount += 1
            let length = sequenceLength(p, i)
            if length < 0 {
                if scan.firstInvalid == nil { scan.firstInvalid = i }
                scan.invalidCount += 1
                i -= length
            } else {
                i += length
            }
        }
        return scan
    }

    /// The bytes with every ill-formed subsequence replaced by U+FFFD, and how many were replaced.
    static func repair(_ p: UnsafeBufferPointer<UInt8>, firstInvalid: Int) -> (bytes: [UInt8], replaced: Int) {
        var out = [UInt8]()
        out.reserveCapacity(p.count + 64)
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[0..<firstInvalid]))
        var replaced = 0
        var i = firstInvalid
        var runStart = i
        let n = p.count
        while i < n {
            let length = sequenceLength(p, i)
            if length > 0 { i += length; continue }
            if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<i])) }
            out.append(contentsOf: replacement)
            replaced += 1
            i -= length
            runStart = i
        }
        if runStart < n { out.append(contentsOf: UnsafeBufferPointer(rebasing: p[runStart..<n])) }
        return (out, replaced)
    }
}

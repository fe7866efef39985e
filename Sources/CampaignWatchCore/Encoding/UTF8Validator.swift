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

    /// Offset of the first ill-formed sequence, or nil. ASCII goes eight bytes at a time, and
    /// two-byte sequences (all of Cyrillic) have a path of their own.
    static func firstInvalid(_ p: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        let n = p.count
        guard let base = p.baseAddress else { return nil }
        var i = start
        while i < n {
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { i += 8; continue }
                // Four two-byte sequences in a row (lead 0xC2–0xDF, then a continuation byte).
                let leads = word & 0x001E_001E_001E_001E
                if word & 0xC0E0_C0E0_C0E0_C0E0 == 0x80C0_80C0_80C0_80C0,
                   (leads &+ 0x7FFF_7FFF_7FFF_7FFF) & 0x8000_8000_8000_8000 == 0x8000_8000_8000_8000 {
                    i += 8
                    continue
                }
                break
            }
            while i < n {
                let byte = base[i]
                if byte < 0x80 {
                    i += 1
                    if i & 7 == 0 { break }
                } else if byte >= 0xC2 && byte < 0xE0 {
                    guard i + 1 < n, base[i + 1] & 0xC0 == 0x80 else { return i }
                    i += 2
                } else {
                    let length = sequenceLength(p, i)
                    if length < 0 { return i }
                    i += length
                }
            }
        }
        return nil
    }

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

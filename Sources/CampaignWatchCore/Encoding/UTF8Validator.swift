import CByteScan

/// UTF-8 validation and repair on raw bytes: whole blocks in C (`cbs_utf8_valid_prefix`), the
/// rest and the exact place of an error here, eight bytes at a time.
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

    /// Offset of the first ill-formed sequence, or nil. Eight bytes at a time while they hold only
    /// ASCII and two-byte sequences (all of Cyrillic, Kazakh's letters, «», U+00A0), in any mix;
    /// a sequence at a time around anything longer.
    static func firstInvalid(_ p: UnsafeBufferPointer<UInt8>, from start: Int = 0) -> Int? {
        let n = p.count
        guard let base = p.baseAddress else { return nil }
        let highs: UInt64 = 0x8080_8080_8080_8080
        var i = cbs_utf8_valid_prefix(base, start, n)
        // The block scan leaves the last sequence before `i` unchecked where it would run past
        // `i`: read on from that sequence's first byte (everything before it is valid).
        if i > start {
            var lead = i - 1
            while lead > start, lead > i - 4, base[lead] & 0xC0 == 0x80 { lead -= 1 }
            i = lead
        }
        while i < n {
            // `i` is at the start of a sequence.
            while i + 8 <= n {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & highs == 0 { i += 8; continue }
                // Per byte, in bit 7 (little-endian: byte k is bits 8k…8k+7): continuation bytes
                // (10xxxxxx) and lead bytes (11xxxxxx).
                let shifted = word << 1
                let continuations = word & ~shifted & highs
                let leads = word & shifted & highs
                // Leads of three- or four-byte sequences (111xxxxx), or the overlong C0/C1: slow path.
                if leads & (word << 2) != 0 { break }
                let payload = ((word & 0x3E3E_3E3E_3E3E_3E3E) &+ 0x7E7E_7E7E_7E7E_7E7E) & highs
                if leads & ~payload != 0 { break }
                // Each continuation byte follows a lead, each lead is followed by one.
                guard continuations == leads << 8 else { break }
                // A lead in the last byte: its continuation is the next word's first byte.
                i += leads >> 63 != 0 ? 7 : 8
            }
            // Sequence by sequence, at least past this word.
            let stop = min(i + 8, n)
            while i < stop {
                let byte = base[i]
                if byte < 0x80 {
                    i += 1
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

/// The HTML named references of `HTMLEntities.named`, looked up by UTF-8 bytes without building a
/// String: an open-addressing table over flat byte arrays, built once.
struct HTMLEntityIndex: Sendable {
    static let shared = HTMLEntityIndex()

    /// Longest name after `&` that has a form without `;` (`middot`, `frac34`…).
    static let longestLegacyName = 6

    private struct Slot {
        var nameStart: Int32 = -1
        var nameLength: Int32 = 0
        var valueStart: Int32 = 0
        var valueLength: Int32 = 0
    }

    private let slots: [Slot]
    private let mask: Int
    private let names: [UInt8]
    let values: [UInt8]
    let longestName: Int

    private init() {
        var names = [UInt8](), values = [UInt8]()
        let entries = HTMLEntities.named.sorted { $0.key < $1.key }
        var capacity = 1
        while capacity < entries.count * 2 { capacity <<= 1 }
        var slots = [Slot](repeating: Slot(), count: capacity)
        var longest = 0
        for (name, value) in entries {
            let nameBytes = Array(name.utf8), valueBytes = Array(value.utf8)
            longest = max(longest, nameBytes.count)
            var index = nameBytes.withUnsafeBufferPointer { Self.hash($0) } & (capacity - 1)
            while slots[index].nameStart >= 0 { index = (index + 1) & (capacity - 1) }
            slots[index] = Slot(nameStart: Int32(names.count), nameLength: Int32(nameBytes.count),
                                valueStart: Int32(values.count), valueLength: Int32(valueBytes.count))
            names.append(contentsOf: nameBytes)
            values.append(contentsOf: valueBytes)
        }
        self.slots = slots
        self.mask = capacity - 1
        self.names = names
        self.values = values
        self.longestName = longest
    }

    @inline(__always)
    private static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// The UTF-8 value of `name` (the bytes after `&`, including the `;` when the reference had one).
    func value(of name: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        guard !name.isEmpty, name.count <= longestName else { return nil }
        var index = Self.hash(name) & mask
        return names.withUnsafeBufferPointer { stored in
            while true {
                let slot = slots[index]
                if slot.nameStart < 0 { return nil }
                if Int(slot.nameLength) == name.count {
                    let start = Int(slot.nameStart)
                    var equal = true
                    for k in 0..<name.count where stored[start + k] != name[k] { equal = false; break }
                    if equal { return Int(slot.valueStart)..<Int(slot.valueStart + slot.valueLength) }
                }
                index = (index + 1) & mask
            }
        }
    }

    /// A reference at `p[start]` (just after the `&`): how many bytes it spans after the `&` and
    /// the UTF-8 it stands for, following HTML: a name with `;`, else the longest legacy name
    /// without one, unless `inAttribute` and the next byte is alphanumeric or `=` (a URL query
    /// like `?a=1&copy=2` stays as written).
    func match(_ p: UnsafeBufferPointer<UInt8>, at start: Int, inAttribute: Bool) -> (length: Int, value: Range<Int>)? {
        var end = start
        let limit = min(p.count, start + longestName)
        while end < limit, p[end].isASCIIAlphanumeric { end += 1 }
        guard end > start else { return nil }
        if end < p.count, p[end] == UInt8(ascii: ";"), end + 1 - start <= longestName {
            if let value = value(of: UnsafeBufferPointer(rebasing: p[start...end])) { return (end + 1 - start, value) }
        }
        var length = min(end - start, Self.longestLegacyName)
        while length >= 2 {
            if let value = value(of: UnsafeBufferPointer(rebasing: p[start..<start + length])) {
                let next = start + length < p.count ? p[start + length] : 0
                if inAttribute && (next.isASCIIAlphanumeric || next == UInt8(ascii: "=")) { return nil }
                return (length, value)
            }
            length -= 1
        }
        return nil
    }
}

extension UInt8 {
    @inline(__always) var isASCIIAlphanumeric: Bool {
        (self >= 0x30 && self <= 0x39) || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A)
    }
    @inline(__always) var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    @inline(__always) var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    @inline(__always) var isASCIIHexDigit: Bool {
        isASCIIDigit || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x66)
    }
    @inline(__always) var isXMLWhitespace: Bool { self == 0x20 || self == 0x0A || self == 0x09 || self == 0x0D }
    @inline(__always) var asciiLowercased: UInt8 { (self >= 0x41 && self <= 0x5A) ? self | 0x20 : self }
}

/// `#123;`, `#x7B;` after an `&`.
enum NumericReference {
    /// The reference at `p[start]` (the `#`): bytes spanned after the `&` (the `;` included
    /// when present) and the code point, saturated above U+10FFFF. Nil when no digits follow.
    @inline(__always)
    static func parse(_ p: UnsafeBufferPointer<UInt8>, at start: Int) -> (length: Int, value: UInt32, terminated: Bool)? {
        var i = start + 1
        let hex = i < p.count && (p[i] | 0x20) == UInt8(ascii: "x")
        if hex { i += 1 }
        let digitsStart = i
        var value: UInt32 = 0
        while i < p.count {
            let byte = p[i]
            let digit: UInt32
            if byte.isASCIIDigit {
                digit = UInt32(byte - 0x30)
            } else if hex, (byte | 0x20) >= 0x61, (byte | 0x20) <= 0x66 {
                digit = UInt32((byte | 0x20) - 0x61 + 10)
            } else {
                break
            }
            value = min(value &* (hex ? 16 : 10) &+ digit, 0x110000)
            i += 1
        }
        guard i > digitsStart else { return nil }
        let terminated = i < p.count && p[i] == UInt8(ascii: ";")
        return (i - start + (terminated ? 1 : 0), value, terminated)
    }
}

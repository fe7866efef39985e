import Foundation

/// Reads the dates feeds write, normalised to UTC. A date that cannot be read exactly is nil:
/// never a guess and never the current time.
///
/// Accepted: RFC 822/1123/2822 and their real-world variants (no weekday, two- and three-digit
/// years, named and military zones, any case, extra spaces, no seconds, missing or doubled
/// commas, `28-Jan-2023`, ordinal suffixes, a.m./p.m., a trailing `(comment)`, Russian month
/// and weekday names); ISO 8601 / RFC 3339 / W3C-DTF (extended and basic format, fractional
/// seconds, `T` or space, offsets with or without a colon, ordinal dates `2023-028`);
/// asctime; `DD.MM.YYYY [HH:MM[:SS]]`.
/// Rules where the text is silent: no zone means UTC; a date without a time means 00:00 UTC;
/// a year or year-month alone is too vague and reads as nil. Military zone letters follow
/// RFC 822 as written (A = −1 h … M = −12 h, N = +1 h … Y = +12 h, Z = UTC).
public enum FeedDate {
    public static func parse(_ text: String) -> Date? {
        var text = text
        return text.withUTF8 { parse(utf8: $0) }
    }

    public static func parse(utf8 p: UnsafeBufferPointer<UInt8>) -> Date? {
        var start = 0, end = p.count
        while start < end, p[start].isXMLWhitespace { start += 1 }
        while end > start, p[end - 1].isXMLWhitespace { end -= 1 }
        guard end - start >= 6 else { return nil }
        let text = UnsafeBufferPointer(rebasing: p[start..<end])
        if text.count >= 4, text[0].isASCIIDigit, text[1].isASCIIDigit, text[2].isASCIIDigit, text[3].isASCIIDigit {
            if let seconds = ISO.parse(text) { return Date(timeIntervalSince1970: seconds) }
        }
        if let seconds = dotted(text) { return Date(timeIntervalSince1970: seconds) }
        if let seconds = Loose.parse(text) { return Date(timeIntervalSince1970: seconds) }
        return nil
    }

    // MARK: - Calendar arithmetic

    /// Seconds since the epoch, or nil when a field is out of range. `second` may be 60 (a leap
    /// second reads as the next minute's first second) and 24:00:00 is the end of the day.
    static func epoch(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0,
                      fraction: Double = 0, offsetMinutes: Int = 0) -> Double? {
        guard (1000...9999).contains(year), (1...12).contains(month), day >= 1, day <= Timestamp.daysIn(month: month, year: year),
              (0...24).contains(hour), (0...59).contains(minute), (0...60).contains(second) else { return nil }
        if hour == 24 && (minute != 0 || second != 0 || fraction != 0) { return nil }
        guard abs(offsetMinutes) <= 18 * 60 else { return nil }
        let days = Timestamp.daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60
        return Double(seconds) + fraction
    }

    /// `28.01.2023`, `28.01.2023 14:02`, `28.01.2023 14:02:11` (day first, as written in the region).
    static func dotted(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
        var cursor = Cursor(p)
        guard let day = cursor.number(maxDigits: 2), cursor.eat(UInt8(ascii: ".")),
              let month = cursor.number(maxDigits: 2), cursor.eat(UInt8(ascii: ".")),
              let (year, digits) = cursor.numberWithCount(maxDigits: 4), digits == 4 else { return nil }
        var hour = 0, minute = 0, second = 0
        if !cursor.atEnd {
            guard cursor.skipSpaces() > 0 || cursor.eat(UInt8(ascii: ",")) else { return nil }
            _ = cursor.skipSpaces()
            guard let h = cursor.number(maxDigits: 2), cursor.eat(UInt8(ascii: ":")), let m = cursor.number(maxDigits: 2) else { return nil }
            hour = h; minute = m
            if cursor.eat(UInt8(ascii: ":")) {
                guard let s = cursor.number(maxDigits: 2) else { return nil }
                second = s
            }
            _ = cursor.skipSpaces()
            guard cursor.atEnd else { return nil }
        }
        return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }

    struct Cursor {
        let p: UnsafeBufferPointer<UInt8>
        var i = 0
        init(_ p: UnsafeBufferPointer<UInt8>) { self.p = p }
        var atEnd: Bool { i >= p.count }
        var peek: UInt8 { i < p.count ? p[i] : 0 }
        mutating func eat(_ byte: UInt8) -> Bool {
            if i < p.count, p[i] == byte { i += 1; return true }
            return false
        }
        mutating func eatLower(_ byte: UInt8) -> Bool {
            if i < p.count, p[i].asciiLowercased == byte { i += 1; return true }
            return false
        }
        mutating func skipSpaces() -> Int {
            let start = i
            while i < p.count, p[i].isXMLWhitespace { i += 1 }
            return i - start
        }
        mutating func numberWithCount(maxDigits: Int) -> (Int, Int)? {
            var value = 0, count = 0
            while i < p.count, p[i].isASCIIDigit, count < maxDigits {
                value = value * 10 + Int(p[i] - 0x30)
                i += 1; count += 1
            }
            return count == 0 ? nil : (value, count)
        }
        mutating func number(maxDigits: Int) -> Int? { numberWithCount(maxDigits: maxDigits)?.0 }
        mutating func exactly(_ digits: Int) -> Int? {
            guard let (value, count) = numberWithCount(maxDigits: digits), count == digits else { return nil }
            return value
        }
        /// Digits after a decimal point, as a fraction of a second.
        mutating func fraction() -> Double {
            var value = 0.0, scale = 0.1
            while i < p.count, p[i].isASCIIDigit {
                value += Double(p[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            return value
        }
    }

    // MARK: - ISO 8601

    enum ISO {
        static func parse(_ p: UnsafeBufferPointer<UInt8>) -> Double? {
            var c = Cursor(p)
            guard let year = c.exactly(4) else { return nil }
            var month = 1, day = 1
            let basic: Bool
            if c.eat(UInt8(ascii: "-")) {
                basic = false
                let mark = c.i
                if let (value, count) = c.numberWithCount(maxDigits: 3), count == 3, c.atEnd || c.peek.asciiLowercased == UInt8(ascii: "t") || c.peek == 0x20 {
                    // Ordinal date: 2023-028.
                    guard value >= 1, value <= (Timestamp.daysIn(month: 2, year: year) == 29 ? 366 : 365) else { return nil }
                    var remaining = value
                    month = 1
                    while remaining > Timestamp.daysIn(month: month, year: year) { remaining -= Timestamp.daysIn(month: month, year: year); month += 1 }
                    day = remaining
                } else {
                    c.i = mark
                    guard let m = c.number(maxDigits: 2) else { return nil }
                    month = m
                    guard c.eat(UInt8(ascii: "-")), let d = c.number(maxDigits: 2) else { return nil }
                    day = d
                }
            } else {
                basic = true
                guard let m = c.exactly(2), let d = c.exactly(2) else { return nil }
                month = m; day = d
            }
            if c.atEnd { return epoch(year: year, month: month, day: day) }
            // Date and time separated by T or spaces.
            if !c.eatLower(UInt8(ascii: "t")) { guard c.skipSpaces() > 0 else { return nil } }
            _ = c.skipSpaces()
            guard let hour = c.exactly(2) else { return nil }
            var minute = 0, second = 0, fraction = 0.0
            let colon = c.eat(UInt8(ascii: ":"))
            if colon || (basic && c.peek.isASCIIDigit) || c.peek.isASCIIDigit {
                guard let m = c.exactly(2) else { return nil }
                minute = m
                if c.eat(UInt8(ascii: ":")) || (!colon && c.peek.isASCIIDigit) {
                    guard let s = c.exactly(2) else { return nil }
                    second = s
                    if c.eat(UInt8(ascii: ".")) || c.eat(UInt8(ascii: ",")) { fraction = c.fraction() }
                }
            } else {
                return nil
            }
            _ = c.skipSpaces()
            var offset = 0
            if !c.atEnd {
                guard let zone = zone(&c) else { return nil }
                offset = zone
                _ = c.skipSpaces()
                guard c.atEnd else { return nil }
            }
            return epoch(year: year, month: month, day: day, hour: hour, minute: minute, second: second,
                         fraction: fraction, offsetMinutes: offset)
        }

        static func zone(_ c: inout Cursor) -> Int? {
            if c.eatLower(UInt8(ascii: "z")) { return 0 }
            let sign: Int
            if c.eat(UInt8(ascii: "+")) { sign = 1 } else if c.eat(UInt8(ascii: "-")) || c.eat(0xE2) && c.eat(0x88) && c.eat(0x92) { sign = -1 } else {
                // A named zone after an ISO time (`2023-01-28 14:02:11 UTC`).
                let start = c.i
                while c.i < c.p.count, c.p[c.i].isASCIILetter { c.i += 1 }
                return Loose.namedZone(UnsafeBufferPointer(rebasing: c.p[start..<c.i]))
            }
            guard let hours = c.exactly(2) else { return nil }
            var minutes = 0
            if c.eat(UInt8(ascii: ":")) {
                guard let m = c.exactly(2) else { return nil }
                minutes = m
            } else if c.peek.isASCIIDigit {
                guard let m = c.exactly(2) else { return nil }
                minutes = m
            }
            guard minutes < 60 else { return nil }
            return sign * (hours * 60 + minutes)
        }
    }
}

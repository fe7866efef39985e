import Foundation

/// HTTP dates (RFC 9110 §5.6.7): the preferred IMF-fixdate `Sun, 06 Nov 1994 08:49:37 GMT` and the
/// two obsolete forms a recipient must still accept, RFC 850 `Sunday, 06-Nov-94 08:49:37 GMT` and
/// asctime `Sun Nov  6 08:49:37 1994`. Parsed on bytes without a formatter or locale.
public enum HTTPDate {
    public static func parse(_ text: String) -> Date? {
        let bytes = Array(text.utf8)
        var scanner = Scanner(bytes: bytes)
        scanner.skipSpaces()
        // Day name, then either a comma (IMF-fixdate, RFC 850) or a space (asctime).
        guard scanner.skipLetters() > 0 else { return nil }
        let day: Int, month: Int, year: Int, hour: Int, minute: Int, second: Int
        if scanner.consume(UInt8(ascii: ",")) {
            scanner.skipSpaces()
            guard let d = scanner.number(maxDigits: 2) else { return nil }
            day = d
            let separator = scanner.peek
            guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else { return nil }
            scanner.advance()
            guard let m = scanner.month() else { return nil }
            month = m
            guard scanner.consume(separator!) else { return nil }
            guard let y = scanner.number(maxDigits: 4) else { return nil }
            // RFC 850's two-digit year: a year more than 50 years ahead is in the past century.
            year = y < 100 ? (y < 70 ? 2000 + y : 1900 + y) : y
            scanner.skipSpaces()
            guard let (h, mi, s) = scanner.time() else { return nil }
            (hour, minute, second) = (h, mi, s)
            scanner.skipSpaces()
            guard scanner.consumeWord("GMT") || scanner.consumeWord("UTC") else { return nil }
        } else {
            scanner.skipSpaces()
            guard let m = scanner.month() else { return nil }
            month = m
            scanner.skipSpaces()
            guard let d = scanner.number(maxDigits: 2) else { return nil }
            day = d
            scanner.skipSpaces()
            guard let (h, mi, s) = scanner.time() else { return nil }
            (hour, minute, second) = (h, mi, s)
            scanner.skipSpaces()
            guard let y = scanner.number(maxDigits: 4), y >= 1000 else { return nil }
            year = y
        }
        scanner.skipSpaces()
        guard scanner.atEnd, (1...31).contains(day), hour < 24, minute < 60, second <= 60 else { return nil }
        let days = Timestamp.daysSinceEpoch(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`.
    public static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = Timestamp.civilDate(daysSinceEpoch: days)
        let weekday = weekdays[((days % 7) + 7 + 4) % 7]  // 1970-01-01 was a Thursday
        return "\(weekday), \(pad(day)) \(months[month - 1]) \(year) "
            + "\(pad(secondOfDay / 3600)):\(pad(secondOfDay / 60 % 60)):\(pad(secondOfDay % 60)) GMT"
    }

    static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0

        init(bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index >= bytes.count }
        var peek: UInt8? { atEnd ? nil : bytes[index] }
        mutating func advance() { index += 1 }

        mutating func skipSpaces() {
            while let byte = peek, byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { index += 1 }
        }

        mutating func skipLetters() -> Int {
            let start = index
            while let byte = peek, isLetter(byte) { index += 1 }
            return index - start
        }

        mutating func consume(_ byte: UInt8) -> Bool {
            guard peek == byte else { return false }
            index += 1
            return true
        }

        mutating func consumeWord(_ word: String) -> Bool {
            let start = index
            for expected in word.utf8 {
                guard let byte = peek, byte | 0x20 == expected | 0x20 else {
                    index = start
                    return false
                }
                index += 1
            }
            return true
        }

        mutating func number(maxDigits: Int) -> Int? {
            var value = 0
            var digits = 0
            while let byte = peek, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9"), digits < maxDigits {
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
                digits += 1
                index += 1
            }
            return digits > 0 ? value : nil
        }

        mutating func month() -> Int? {
            guard index + 3 <= bytes.count else { return nil }
            let name = bytes[index..<index + 3].map { $0 | 0x20 }
            for (offset, candidate) in HTTPDate.months.enumerated()
            where Array(candidate.lowercased().utf8) == name {
                index += 3
                return offset + 1
            }
            return nil
        }

        mutating func time() -> (Int, Int, Int)? {
            guard let hour = number(maxDigits: 2), consume(UInt8(ascii: ":")),
                  let minute = number(maxDigits: 2), consume(UInt8(ascii: ":")),
                  let second = number(maxDigits: 2)
            else { return nil }
            return (hour, minute, second)
        }

        private func isLetter(_ byte: UInt8) -> Bool {
            (byte | 0x20) >= UInt8(ascii: "a") && (byte | 0x20) <= UInt8(ascii: "z")
        }
    }
}

import Foundation

/// A time as written in the configuration: `2023-02-18T18:00` (wall-clock time of the election's
/// zone), `2023-02-18` (midnight), or with an explicit offset or `Z` (an instant). Seconds and a
/// space instead of `T` are accepted.
public struct WallClockTime: Sendable, Hashable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// Seconds east of UTC when the text carried `Z` or `±HH:MM`; nil for wall-clock time.
    public var offsetSeconds: Int?

    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0, offsetSeconds: Int? = nil) {
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.offsetSeconds = offsetSeconds
    }

    public var description: String {
        func p(_ v: Int, _ w: Int = 2) -> String { let s = String(v); return String(repeating: "0", count: max(0, w - s.count)) + s }
        var text = "\(p(year, 4))-\(p(month))-\(p(day))T\(p(hour)):\(p(minute))"
        if second != 0 { text += ":\(p(second))" }
        if let offset = offsetSeconds {
            if offset == 0 { text += "Z" } else {
                text += (offset < 0 ? "-" : "+") + p(abs(offset) / 3600) + ":" + p(abs(offset) / 60 % 60)
            }
        }
        return text
    }

    public static func parse(_ text: String) throws(ConfigValueError) -> WallClockTime {
        let hint = "write it like `2023-02-18T18:00` (the election's local time) or `2023-02-18T12:00Z`"
        let bytes = Array(text.trimmingCharacters(in: .whitespaces).utf8)
        var reader = DigitReader(bytes: bytes)
        guard let year = reader.number(4), reader.take(UInt8(ascii: "-")), let month = reader.number(2),
              reader.take(UInt8(ascii: "-")), let day = reader.number(2) else {
            throw ConfigValueError("`\(text)` is not a date and time: \(hint)")
        }
        var time = WallClockTime(year: year, month: month, day: day)
        if !reader.atEnd {
            guard reader.take(UInt8(ascii: "T")) || reader.take(UInt8(ascii: "t")) || reader.take(UInt8(ascii: " ")),
                  let hour = reader.number(2), reader.take(UInt8(ascii: ":")), let minute = reader.number(2) else {
                throw ConfigValueError("`\(text)` is not a date and time: \(hint)")
            }
            time.hour = hour
            time.minute = minute
            if reader.take(UInt8(ascii: ":")) {
                guard let second = reader.number(2) else { throw ConfigValueError("`\(text)` has unreadable seconds: \(hint)") }
                time.second = second
            }
            if reader.take(UInt8(ascii: "Z")) || reader.take(UInt8(ascii: "z")) {
                time.offsetSeconds = 0
            } else if let sign = reader.peek, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                _ = reader.take(sign)
                guard let hours = reader.number(2), reader.take(UInt8(ascii: ":")), let minutes = reader.number(2),
                      hours <= 23, minutes <= 59 else {
                    throw ConfigValueError("`\(text)` has an unreadable offset: write it like `+06:00`")
                }
                time.offsetSeconds = (sign == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
            }
        }
        guard reader.atEnd else { throw ConfigValueError("`\(text)` has extra characters at the end: \(hint)") }
        guard (1...12).contains(month), (1...Timestamp.daysIn(month: month, year: year)).contains(day) else {
            throw ConfigValueError("`\(text)`: there is no such day")
        }
        guard time.hour <= 23, time.minute <= 59, time.second <= 59 else {
            // 24:00 is refused rather than read as midnight of the next day, which is easy to get wrong.
            throw ConfigValueError("`\(text)`: hours run 00–23 and minutes 00–59 (write midnight as 00:00 of the next day)")
        }
        return time
    }

    /// The instant this time denotes in `zone`, with the offset the zone had then (its history
    /// included). A wall-clock time that a clock change skipped is an error; one that occurred
    /// twice (clocks set back) is its first occurrence.
    public func resolve(in zone: TimeZone) throws(ConfigValueError) -> Date {
        let naive = Double(Timestamp.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second)
        if let offsetSeconds { return Date(timeIntervalSince1970: naive - Double(offsetSeconds)) }
        // The offsets in force a day either side cover any single transition around this time.
        let offsets = Set([naive - 86_400, naive, naive + 86_400].map { zone.secondsFromGMT(for: Date(timeIntervalSince1970: $0)) })
        let candidates = offsets.map { Date(timeIntervalSince1970: naive - Double($0)) }
            .filter { zone.secondsFromGMT(for: $0) == Int(naive - $0.timeIntervalSince1970) }
            .sorted()
        guard let first = candidates.first else {
            throw ConfigValueError("\(self) does not exist in \(zone.identifier) (the clocks skipped it); "
                + "write the time with an explicit offset")
        }
        return first
    }
}

private struct DigitReader {
    let bytes: [UInt8]
    var index = 0

    var atEnd: Bool { index == bytes.count }
    var peek: UInt8? { index < bytes.count ? bytes[index] : nil }

    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func number(_ width: Int) -> Int? {
        guard index + width <= bytes.count else { return nil }
        var value = 0
        for byte in bytes[index..<index + width] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        index += width
        return value
    }
}

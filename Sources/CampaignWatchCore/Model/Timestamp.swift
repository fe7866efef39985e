import Foundation

/// RFC 3339 rendering of instants, the one way times are written in output, alerts and logs.
public enum Timestamp {
    /// `2023-01-28T14:02:11Z`, or with fractional seconds when the instant has them.
    public static func utc(_ date: Date) -> String {
        format(date, offsetSeconds: 0)
    }

    /// The same instant as wall-clock time in `zone`, with the offset that zone had at that instant.
    public static func local(_ date: Date, in zone: TimeZone) -> String {
        format(date, offsetSeconds: zone.secondsFromGMT(for: date))
    }

    static func format(_ date: Date, offsetSeconds: Int) -> String {
        let interval = date.timeIntervalSince1970
        var whole = interval.rounded(.down)
        var millis = Int(((interval - whole) * 1000).rounded())
        if millis == 1000 { whole += 1; millis = 0 }
        let shifted = Int(whole) + offsetSeconds
        let days = shifted >= 0 ? shifted / 86_400 : (shifted - 86_399) / 86_400
        let secondsOfDay = shifted - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var text = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
            + pad(secondsOfDay / 3600, 2) + ":" + pad(secondsOfDay / 60 % 60, 2) + ":" + pad(secondsOfDay % 60, 2)
        if millis != 0 { text += "." + pad(millis, 3) }
        if offsetSeconds == 0 { return text + "Z" }
        let sign = offsetSeconds < 0 ? "-" : "+"
        let magnitude = abs(offsetSeconds)
        return text + sign + pad(magnitude / 3600, 2) + ":" + pad(magnitude / 60 % 60, 2)
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civilDate(daysSinceEpoch: Int) -> (Int, Int, Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}

extension Timestamp {
    /// Reads the RFC 3339 times this project writes (`2023-01-28T14:02:11Z`,
    /// `2023-01-28T20:02:11.250+06:00`); nil for anything else. Strict on purpose: feeds' many
    /// date forms are the feed parser's business, not this.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        func digits(_ at: Int, _ count: Int) -> Int? {
            guard at + count <= b.count else { return nil }
            var value = 0
            for i in at..<(at + count) {
                guard b[i] >= 48 && b[i] <= 57 else { return nil }
                value = value * 10 + Int(b[i] - 48)
            }
            return value
        }
        guard b.count >= 20, let year = digits(0, 4), b[4] == 45, let month = digits(5, 2), b[7] == 45,
              let day = digits(8, 2), b[10] == 84 || b[10] == 116, let hour = digits(11, 2), b[13] == 58,
              let minute = digits(14, 2), b[16] == 58, let second = digits(17, 2),
              (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else { return nil }
        var index = 19
        var fraction = 0.0
        if index < b.count && b[index] == 46 {
            index += 1
            var scale = 0.1
            let start = index
            while index < b.count, b[index] >= 48 && b[index] <= 57 {
                fraction += Double(b[index] - 48) * scale
                scale /= 10
                index += 1
            }
            guard index > start else { return nil }
        }
        guard index < b.count else { return nil }
        var offset = 0
        if b[index] == 90 || b[index] == 122 {
            guard index + 1 == b.count else { return nil }
        } else {
            guard b[index] == 43 || b[index] == 45, index + 6 == b.count, let oh = digits(index + 1, 2),
                  b[index + 3] == 58, let om = digits(index + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (b[index] == 45 ? -1 : 1)
        }
        let days = daysSinceEpoch(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }

    /// Days in `month` of `year` (proleptic Gregorian).
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// The inverse of `civilDate` (Howard Hinnant's algorithm): days since 1970-01-01.
    static func daysSinceEpoch(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

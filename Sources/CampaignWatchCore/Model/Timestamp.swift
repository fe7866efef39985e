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

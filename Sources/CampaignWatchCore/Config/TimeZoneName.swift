import Foundation

/// IANA time-zone names (`Asia/Almaty`), resolved with their full history of offsets.
public enum TimeZoneName {
    public static func resolve(_ name: String) throws(ConfigValueError) -> TimeZone {
        let fixedOffset = name.hasPrefix("GMT+") || name.hasPrefix("GMT-") || name.hasPrefix("UTC+") || name.hasPrefix("UTC-")
            || name.hasPrefix("+") || name.hasPrefix("-")
        if fixedOffset {
            throw ConfigValueError("`\(name)` is a fixed offset, not a time zone: give the IANA name of the place "
                + "(e.g. `Asia/Almaty`), whose offset history keeps past dates right")
        }
        if !name.isEmpty, let zone = TimeZone(identifier: name) {
            return zone
        }
        let known = TimeZone.knownTimeZoneIdentifiers
        if let exact = known.first(where: { $0.caseInsensitiveCompare(name) == .orderedSame }) {
            throw ConfigValueError("unknown time zone `\(name)`; names are case-sensitive: write `\(exact)`")
        }
        throw ConfigValueError("unknown time zone `\(name)`\(NearestName.hint(name, among: known)) "
            + "(IANA names such as `Asia/Almaty` or `Asia/Bishkek`)")
    }
}

import Foundation

/// Why a configuration value could not be read: a sentence that says how to write it.
public struct ConfigValueError: Error, Sendable, Hashable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// The small value languages of the configuration: durations, sizes, percentages.
public enum ConfigValueSyntax {
    /// `30s`, `5m`, `2h`, `1d`, and sums of them such as `1h30m`. A bare number is refused:
    /// whether `300` meant seconds or minutes is exactly the kind of guess that goes wrong.
    public static func duration(_ text: String) throws(ConfigValueError) -> TimeInterval {
        let scalars = Array(text.trimmingCharacters(in: .whitespaces).unicodeScalars)
        let hint = "write a duration such as `30s`, `5m`, `2h`, `1d` or `1h30m`"
        guard !scalars.isEmpty else { throw ConfigValueError("the duration is empty: \(hint)") }
        var total: Double = 0
        var index = 0
        while index < scalars.count {
            let start = index
            while index < scalars.count, isDigitOrPoint(scalars[index]) { index += 1 }
            guard index > start, let number = Double(String(String.UnicodeScalarView(scalars[start..<index]))) else {
                throw ConfigValueError("`\(text)` is not a duration: \(hint)")
            }
            guard index < scalars.count else {
                throw ConfigValueError("`\(text)` has no unit: \(hint)")
            }
            let unitStart = index
            while index < scalars.count, !isDigitOrPoint(scalars[index]) { index += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<index]))
            let factor: Double
            switch unit {
            case "s": factor = 1
            case "m": factor = 60
            case "h": factor = 3600
            case "d": factor = 86_400
            default: throw ConfigValueError("`\(unit)` in `\(text)` is not a unit of time: use s, m, h or d (\(hint))")
            }
            total += number * factor
        }
        return total
    }

    /// `512KiB`, `10MiB`, `1GiB`, `800B`; `KB`, `MB`, `GB` are read as powers of 1000.
    public static func size(_ text: String) throws(ConfigValueError) -> Int {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        let hint = "write a size such as `512KiB` or `10MiB`"
        let digits = trimmed.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
        let unit = trimmed.dropFirst(digits.count).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, let number = Double(digits) else {
            throw ConfigValueError("`\(text)` is not a size: \(hint)")
        }
        let factor: Double
        switch unit {
        case "B": factor = 1
        case "KiB": factor = 1024
        case "MiB": factor = 1024 * 1024
        case "GiB": factor = 1024 * 1024 * 1024
        case "KB", "kB": factor = 1000
        case "MB": factor = 1_000_000
        case "GB": factor = 1_000_000_000
        case "": throw ConfigValueError("`\(text)` has no unit: \(hint)")
        default: throw ConfigValueError("`\(unit)` in `\(text)` is not a unit of size: use B, KiB, MiB or GiB (\(hint))")
        }
        let bytes = (number * factor).rounded()
        guard bytes < Double(Int.max) else { throw ConfigValueError("`\(text)` is too large") }
        return Int(bytes)
    }

    /// `10%` as 0.1; between 0% and 100%.
    public static func percentage(_ text: String) throws(ConfigValueError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasSuffix("%"), let number = Double(trimmed.dropLast().trimmingCharacters(in: .whitespaces)),
              number.isFinite else {
            throw ConfigValueError("`\(text)` is not a percentage: write it like `10%`")
        }
        guard number >= 0, number <= 100 else {
            throw ConfigValueError("`\(text)` is outside 0%–100%")
        }
        return number / 100
    }

    private static func isDigitOrPoint(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value >= 0x30 && scalar.value <= 0x39) || scalar == "."
    }
}

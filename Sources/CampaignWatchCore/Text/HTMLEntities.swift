/// HTML named and numeric character references, decoded the way browsers do.
///
/// Feeds carry HTML named entities (`&nbsp;`, `&laquo;`, `&mdash;`) in places XML does not
/// declare them; every text path of the project decodes them through this one table.
public enum HTMLEntities {
    /// Name (without `&`, with `;` where it has one) to the text it stands for.
    public static let named: [String: String] = {
        var table: [String: String] = [:]
        table.reserveCapacity(2300)
        for line in generatedTable.split(separator: "\n") {
            guard let space = line.firstIndex(of: " ") else { continue }
            let name = String(line[..<space])
            var value = String.UnicodeScalarView()
            for hex in line[line.index(after: space)...].split(separator: " ") {
                if let code = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(code) { value.append(scalar) }
            }
            table[name] = String(value)
        }
        return table
    }()

    /// The longest name in the table, to bound how far a decoder looks ahead after `&`.
    public static let longestName: Int = named.keys.map(\.utf8.count).max() ?? 0

    /// The scalar a numeric reference stands for, with the HTML rules: the windows-1252 range
    /// 0x80–0x9F remapped, zero, surrogates and out-of-range codes replaced by U+FFFD.
    public static func numeric(_ code: UInt32) -> Unicode.Scalar {
        if code == 0 || code > 0x10FFFF || (0xD800...0xDFFF).contains(code) { return "\u{FFFD}" }
        if (0x80...0x9F).contains(code), let mapped = windows1252C1[code] { return mapped }
        return Unicode.Scalar(code) ?? "\u{FFFD}"
    }

    private static let windows1252C1: [UInt32: Unicode.Scalar] = [
        0x80: "\u{20AC}", 0x82: "\u{201A}", 0x83: "\u{0192}", 0x84: "\u{201E}", 0x85: "\u{2026}",
        0x86: "\u{2020}", 0x87: "\u{2021}", 0x88: "\u{02C6}", 0x89: "\u{2030}", 0x8A: "\u{0160}",
        0x8B: "\u{2039}", 0x8C: "\u{0152}", 0x8E: "\u{017D}", 0x91: "\u{2018}", 0x92: "\u{2019}",
        0x93: "\u{201C}", 0x94: "\u{201D}", 0x95: "\u{2022}", 0x96: "\u{2013}", 0x97: "\u{2014}",
        0x98: "\u{02DC}", 0x99: "\u{2122}", 0x9A: "\u{0161}", 0x9B: "\u{203A}", 0x9C: "\u{0153}",
        0x9E: "\u{017E}", 0x9F: "\u{0178}",
    ]
}

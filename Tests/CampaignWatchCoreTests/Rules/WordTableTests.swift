@testable import CampaignWatchCore
import Testing

/// The rules' word table finds every key it holds, with its exact and prefix lexemes, and never
/// a key it does not hold, however the keys crowd one filter block or one run of slots.
@Suite struct WordTableTests {
    /// Keys that share their first four scalars (one filter block), short keys, a hashtag, a key
    /// longer than 63 scalars, scalars beyond the BMP, and a key that is a word and a prefix.
    static let keys: [[UInt32]] = {
        var keys: [[UInt32]] = []
        for k in 0..<300 { keys.append([0x433, 0x43E, 0x43B, 0x43E] + Array(repeating: 0x430 + UInt32(k % 32), count: 1 + k / 32)) }
        for k in 0..<26 { keys.append([0x61 + UInt32(k)]) }
        for k in 0..<26 { keys.append([0x61 + UInt32(k), 0x62]) }
        keys.append([0x23, 0x76, 0x6F, 0x74, 0x65])
        keys.append((0..<70).map { 0x61 + UInt32($0 % 26) })
        keys.append([0x1D400, 0x1D401, 0x61])
        keys.append([0x76, 0x6F, 0x74, 0x65])
        return keys
    }()

    static func table() -> WordTable {
        WordTable(keys.enumerated().map { i, key in
            (key, Int32(2 * i), i % 3 == 0 || key == [0x76, 0x6F, 0x74, 0x65] ? Int32(2 * i + 1) : WordTable.none)
        })
    }

    @Test func findsEveryKeyWithItsLexemes() {
        let table = Self.table()
        #expect(table.count == Self.keys.count)
        for (i, key) in Self.keys.enumerated() {
            let found = table.find(key)
            #expect(found?.exact == Int32(2 * i), "key \(i)")
            let prefix = i % 3 == 0 || key == [0x76, 0x6F, 0x74, 0x65] ? Int32(2 * i + 1) : WordTable.none
            #expect(found?.prefix == prefix, "key \(i)")
        }
    }

    @Test func findsNoKeyItDoesNotHold() {
        let table = Self.table()
        let held = Set(Self.keys)
        var probes: [[UInt32]] = [[], [0x430], [0x433, 0x43E, 0x43B], [0x433, 0x43E, 0x43B, 0x43E], [0x23, 0x76, 0x6F, 0x74]]
        // Neighbours of every key: one scalar changed, one added, one dropped.
        for key in Self.keys {
            probes.append(key + [0x430])
            probes.append(Array(key.dropLast()))
            var changed = key
            changed[changed.count - 1] &+= 1
            probes.append(changed)
        }
        for probe in probes where !held.contains(probe) {
            #expect(table.find(probe) == nil, "\(probe)")
        }
    }

    /// A table far fuller than the engine makes (slots cycle through collisions): the filter lets
    /// every probe through, so only the stored scalars tell keys apart.
    @Test func verifiesKeysWhenEverythingCollides() {
        var keys: [[UInt32]] = []
        for a in 0..<40 { for b in 0..<40 { keys.append([0x430 + UInt32(a), 0x430 + UInt32(b), 0x43E]) } }
        let table = WordTable(keys.enumerated().map { ($1, Int32($0), WordTable.none) })
        for (i, key) in keys.enumerated() { #expect(table.find(key)?.exact == Int32(i)) }
        for a in 0..<40 { #expect(table.find([0x430 + UInt32(a), 0x430, 0x43F]) == nil) }
    }
}

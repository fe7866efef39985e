/// What `@names` stands for when matching the posts of one subject: the subject's names,
/// normalised once and put in a small trie of their own, so the rules are compiled once for
/// every subject. Build it with `RuleEngine.bind(names:)` once per subject and keep it.
///
/// A name word also matches the same word with up to four more letters when it has at least
/// four letters itself: names decline (Жыланбаев → Жыланбаева, Жыланбаевқа, Маратом), and a
/// monitor should not have to list every case form. A Cyrillic name word of four letters or more
/// that ends in `а` or `я` also matches with that letter replaced by a Russian case ending
/// (Омарова → Омаровой, Омарову; Мария → Марии, Марию, Марией), since those endings take the
/// vowel's place instead of following it; the stem alone (Омаров) is not the name.
public struct NameBinding: Sendable {
    /// The names as given.
    public let names: [String]
    let trie: WordTrie
    /// Each name as alternatives of name-word sequences.
    let sequences: [[Int32]]
    /// For each name word, the sequences it starts.
    let starts: [[Int32]]
    /// A bit per `WordCache.bucket` of the name words' first scalars: a key whose bit is clear
    /// cannot begin one, so the matcher skips its walk (every word of every post would walk
    /// otherwise), and a cached word none of whose keys has a set bit (`Entry.keyFirsts`) is
    /// skipped without reading its keys.
    let firstBuckets: UInt32

    static let endingAllowance = 4
    static let minimumDeclinable = 4

    /// The case endings that replace a name's final `а` (ы, и, е, у, ой, ою, ей) or `я` (и, е,
    /// ю, ей, ею), as keys (й folds to и).
    static let endingsAfterA: [[UInt32]] = [[0x44B], [0x438], [0x435], [0x443], [0x43E, 0x438], [0x43E, 0x44E], [0x435, 0x438]]
    static let endingsAfterYa: [[UInt32]] = [[0x438], [0x435], [0x44E], [0x435, 0x438], [0x435, 0x44E]]

    /// The trie's value at the stem of a name word ending in `а` or `я` (the word without it):
    /// below -1, so it never reads as a word of its own.
    @inline(__always) static func stemValue(word: Int32, ya: Bool) -> Int32 { -2 - (word << 1 | (ya ? 1 : 0)) }

    /// The name word a stem value stands for, and whether its vowel was `я`.
    @inline(__always) static func stem(_ value: Int32) -> (word: Int32, ya: Bool) {
        let v = -2 - value
        return (v >> 1, v & 1 == 1)
    }

    /// Whether `rest` (the key after a stem whose last letter is `last`) is one of the case
    /// endings of a name that ended in `а` (or `я`). Keys squeeze repeated letters, so an ending
    /// that begins with the stem's last letter has lost it (Марии keys as мари: the stem мари and
    /// no ending left); Мари itself then reads as a form of Мария.
    static func isEnding(_ rest: UnsafeMutablePointer<UInt32>, _ count: Int, after last: UInt32, ya: Bool) -> Bool {
        for ending in ya ? endingsAfterYa : endingsAfterA {
            let skip = ending.count == count &+ 1 && ending[0] == last ? 1 : 0
            guard ending.count == count &+ skip else { continue }
            if (0..<count).allSatisfy({ rest[$0] == ending[$0 &+ skip] }) { return true }
        }
        return false
    }

    init(names: [String]) {
        self.names = names
        let normaliser = Normaliser()
        var trie = WordTrie()
        var wordIndex: [[UInt32]: Int32] = [:]
        var sequences: [[Int32]] = []
        var seen = Set<[Int32]>()
        var firstBuckets: UInt32 = 0
        var wordKeys: [[UInt32]] = []
        func word(_ key: [UInt32]) -> Int32 {
            if let known = wordIndex[key] { return known }
            let id = Int32(wordKeys.count)
            wordIndex[key] = id
            wordKeys.append(key)
            if let first = key.first { firstBuckets |= 1 << WordCache.bucket(first) }
            trie.setExact(trie.insert(key), id)
            return id
        }
        for name in names {
            normaliser.reset()
            normaliser.add(name)
            let keys = normaliser.keys.buffer
            var primary: [Int32] = [], reading: [Int32] = [], hasReading = false
            for token in normaliser.tokens.buffer where token.kind == .word {
                let start = Int(token.keyStart), length = Int(token.keyLength)
                let p = word(Array(keys[start..<(start + length)]))
                primary.append(p)
                if token.readingLength > 0 {
                    hasReading = true
                    reading.append(word(Array(keys[(start + length)..<(start + length + Int(token.readingLength))])))
                } else {
                    reading.append(p)
                }
            }
            for sequence in hasReading ? [primary, reading] : [primary] where !sequence.isEmpty && seen.insert(sequence).inserted {
                sequences.append(sequence)
            }
        }
        // Stems after every word, so that a stem never takes the place of a whole name word
        // (a word's own allowance then covers the forms: Омаров + у).
        for (id, key) in wordKeys.enumerated() where key.count >= Self.minimumDeclinable {
            guard let last = key.last, last == 0x430 || last == 0x44F else { continue }
            let node = trie.insert(key.dropLast())
            if trie.exact[Int(node)] == WordTrie.none {
                trie.setExact(node, Self.stemValue(word: Int32(id), ya: last == 0x44F))
            }
        }
        trie.freeze()
        var starts = [[Int32]](repeating: [], count: wordKeys.count)
        for (i, sequence) in sequences.enumerated() { starts[Int(sequence[0])].append(Int32(i)) }
        self.trie = trie
        self.sequences = sequences
        self.starts = starts
        self.firstBuckets = firstBuckets
    }
}

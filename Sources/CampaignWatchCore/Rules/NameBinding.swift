/// What `@names` stands for when matching the posts of one subject: the subject's names,
/// normalised once and put in a small trie of their own, so the rules are compiled once for
/// every subject. Build it with `RuleEngine.bind(names:)` once per subject and keep it.
///
/// A name word also matches the same word with up to four more letters when it has at least
/// four letters itself: names decline (Жыланбаев → Жыланбаева, Жыланбаевқа, Маратом), and a
/// monitor should not have to list every case form.
public struct NameBinding: Sendable {
    /// The names as given.
    public let names: [String]
    let trie: WordTrie
    /// Name words: key length (for the ending allowance).
    let wordLengths: [Int32]
    /// Each name as alternatives of name-word sequences.
    let sequences: [[Int32]]
    /// For each name word, the sequences it starts.
    let starts: [[Int32]]
    /// A bit per first scalar (mod 64) of the name words: a key whose bit is clear cannot begin
    /// one, so the matcher skips its walk (every word of every post would walk otherwise).
    let firstScalars: UInt64

    static let endingAllowance = 4
    static let minimumDeclinable = 4

    init(names: [String]) {
        self.names = names
        let normaliser = Normaliser()
        var trie = WordTrie()
        var wordIndex: [[UInt32]: Int32] = [:]
        var lengths: [Int32] = []
        var sequences: [[Int32]] = []
        var seen = Set<[Int32]>()
        var firstScalars: UInt64 = 0
        func word(_ key: [UInt32]) -> Int32 {
            if let known = wordIndex[key] { return known }
            let id = Int32(lengths.count)
            wordIndex[key] = id
            lengths.append(Int32(key.count))
            if let first = key.first { firstScalars |= 1 << (first & 63) }
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
        trie.freeze()
        var starts = [[Int32]](repeating: [], count: lengths.count)
        for (i, sequence) in sequences.enumerated() { starts[Int(sequence[0])].append(Int32(i)) }
        self.trie = trie
        self.wordLengths = lengths
        self.sequences = sequences
        self.starts = starts
        self.firstScalars = firstScalars
    }
}

/// The text normalisation of the rules contract, as a value a person or a test can look at.
/// Matching uses the same code through `Normaliser` without building these values.
public enum TextNormaliser {
    /// The Unicode version of the tables the normaliser was generated from.
    public static var unicodeVersion: String { ScalarTable.generatedUnicodeVersion }

    public static func normalise(_ text: String) -> NormalisedText {
        let normaliser = Normaliser()
        normaliser.add(text)
        return NormalisedText(normaliser, original: Array(text.unicodeScalars.map(\.value)))
    }
}

/// A text as the matcher sees it: its tokens, each with its key and where it lies in the original.
public struct NormalisedText: Sendable, Hashable {
    public struct Token: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case word, hashtag, compound
        }
        /// The matching key (`голосуите`, `#voteformarat`).
        public var key: String
        /// For a word in Latin letters, its Cyrillic reading (Kazakh Latin, transliteration).
        public var reading: String?
        /// Where the Latin spelling is ambiguous (`uy`: Kazakh уы or transliterated уй), the other reading.
        public var secondReading: String?
        public var kind: Kind
        /// Unicode scalar offsets into the original text, end exclusive.
        public var start: Int
        public var end: Int
        /// The word positions the token covers (a hashtag covers its parts).
        public var positions: ClosedRange<Int>
        var showsReading = false
    }

    public var tokens: [Token]

    /// The words, space-separated; hashtags as `#key` before their parts; a Latin word with
    /// letters beyond ASCII shows its reading (`berinizder/бериниздер`).
    public var display: String {
        var out: [String] = []
        for token in tokens where token.kind != .compound {
            if let reading = token.reading, token.kind == .word, token.showsReading {
                out.append("\(token.key)/\(reading)")
            } else {
                out.append(token.key)
            }
        }
        return out.joined(separator: " ")
    }

    init(_ normaliser: Normaliser, original: [UInt32]) {
        let keys = normaliser.keys.buffer
        func string(_ from: Int, _ count: Int) -> String {
            var s = String.UnicodeScalarView()
            for i in from..<(from + count) { s.append(Unicode.Scalar(keys[i]) ?? "\u{FFFD}") }
            return String(s)
        }
        tokens = normaliser.tokens.buffer.map { t in
            let kind: Token.Kind = t.kind == .word ? .word : t.kind == .hashtag ? .hashtag : .compound
            let start = Int(t.keyStart), length = Int(t.keyLength)
            var reading = t.readingLength > 0 ? string(start + length, Int(t.readingLength)) : nil
            var second = t.secondReadingLength > 0 ? string(start + length + Int(t.readingLength), Int(t.secondReadingLength)) : nil
            if kind == .hashtag {
                reading = reading.map { "#" + $0 }
                second = second.map { "#" + $0 }
            }
            var token = Token(key: string(start, length), reading: reading, secondReading: second, kind: kind, start: Int(t.start), end: Int(t.end),
                              positions: Int(t.firstPosition)...Int(t.lastPosition))
            token.showsReading = (Int(t.start)..<Int(t.end)).contains { original[$0] >= 0x80 && original[$0] < 0x250 }
                || token.key.unicodeScalars.contains("q")
            return token
        }
    }
}


/// A rule's query compiled: a flat array of nodes, the root last (FlatPrograms lays every rule's
/// out for evaluation).
struct RuleProgram: Sendable {
    enum Kind: UInt8, Sendable {
        case leaf, and, or, not, near
    }

    struct Node: Sendable {
        var kind: Kind
        var a: Int32 = -1
        var b: Int32 = -1
        /// For a leaf: the shared leaf (a word, wildcard, phrase or hashtag, or @names).
        var leaf: Int32 = -1
        /// For a leaf: the term as this rule wrote it, an index into `RuleEngine.termTexts`.
        var text: Int32 = -1
        var distance: Int32 = 0
        var ordered = false
    }

    var nodes: [Node]
    var root: Int32 { Int32(nodes.count - 1) }
}

/// Lists of integers stored back to back (compressed rows): one allocation for all of them.
struct IntLists: Sendable {
    private(set) var offsets: [Int32] = [0]
    private(set) var values: [Int32] = []

    init(_ lists: [[Int32]]) {
        offsets.reserveCapacity(lists.count + 1)
        for list in lists {
            values += list
            offsets.append(Int32(values.count))
        }
    }

    @inline(__always) func range(_ i: Int) -> Range<Int> {
        Int(offsets[i])..<Int(offsets[i + 1])
    }
}

/// A term shared by every rule that uses it: alternatives of lexeme sequences (a word is a
/// sequence of one; a phrase of several; a Latin word has its Cyrillic reading as a second
/// alternative), or the subject's names.
struct Leaf: Sendable, Hashable {
    var alternatives: [[Int32]]
    var isNames: Bool
}

/// A normalised word of the rules: its key, and whether it is a prefix (`word*`).
struct Lexeme: Hashable, Sendable {
    var key: [UInt32]
    var prefix: Bool
}

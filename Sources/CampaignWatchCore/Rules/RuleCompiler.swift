/// Compiles rules: parses each query, normalises its words with the same normaliser the posts go
/// through, checks that it can match, and gathers the words of all rules (RuleEngine puts them in
/// one WordTable).
struct RuleCompiler {
    private let normaliser = Normaliser()
    private(set) var lexemes: [Lexeme] = []
    private var lexemeIndex: [Lexeme: Int32] = [:]
    private(set) var leaves: [Leaf] = []
    private var leafIndex: [Leaf: Int32] = [:]
    private(set) var leafRules: [[Int32]] = []
    private(set) var termTexts: [String] = []
    private var termTextIndex: [String: Int32] = [:]
    private(set) var programs: [RuleProgram] = []
    private(set) var usesNames = false
    private(set) var errors: [RuleError] = []

    /// Errors of one rule, without compiling it into anything.
    static func errors(in rule: RuleDefinition) -> [RuleError] {
        var compiler = RuleCompiler()
        _ = compiler.program(for: rule, ruleIndex: -1)
        return compiler.errors
    }

    mutating func add(_ rule: RuleDefinition) {
        let index = Int32(programs.count)
        if let program = program(for: rule, ruleIndex: index) {
            programs.append(program)
            for leaf in Set(Self.anchors(program, program.root) ?? []) {
                leafRules[Int(leaf)].append(index)
            }
        } else {
            programs.append(RuleProgram(nodes: []))
        }
    }

    // MARK: One rule

    private mutating func program(for rule: RuleDefinition, ruleIndex: Int32) -> RuleProgram? {
        let node: QueryNode
        switch QueryParser.parse(rule.query) {
        case .success(let parsed): node = parsed
        case .failure(let failure):
            errors += failure.errors.map { RuleError(rule: rule.id, column: $0.column, message: $0.message) }
            return nil
        }
        let before = errors.count
        if let column = Self.negativeOnly(node) {
            let message = column == nil
                ? "the query can never match: it has only NOT terms; add a word the post must contain"
                : "the query matches posts that contain none of its words (the NOT at column \(column!) stands alone in an OR); "
                    + "put a word beside every NOT, as in vote AND NOT poll"
            errors.append(RuleError(rule: rule.id, column: column ?? 1, message: message))
        }
        var nodes: [RuleProgram.Node] = []
        emit(node, rule: rule.id, ruleIndex: ruleIndex, into: &nodes)
        return errors.count == before ? RuleProgram(nodes: nodes) : nil
    }

    /// The leaves one of which must be found for the rule to match: the rule is evaluated only
    /// when one of them is. Of the two sides of an AND or a NEAR, either would do; the one with
    /// fewer terms is taken, the left one on a tie (monitors write the key words first and the
    /// context, often everyday words, second).
    static func anchors(_ program: RuleProgram, _ index: Int32) -> [Int32]? {
        let node = program.nodes[Int(index)]
        switch node.kind {
        case .leaf:
            return [node.leaf]
        case .or:
            guard let a = anchors(program, node.a), let b = anchors(program, node.b) else { return nil }
            return a + b
        case .and, .near:
            let a = anchors(program, node.a), b = anchors(program, node.b)
            guard let a else { return b }
            guard let b else { return a }
            return b.count < a.count ? b : a
        case .not:
            return nil
        }
    }

    /// nil when every way the query can match needs a word found; else `.some(column of the NOT
    /// that can match alone)`, or `.some(nil)` when the whole query is negative.
    private static func negativeOnly(_ node: QueryNode) -> Int?? {
        func needsWord(_ node: QueryNode) -> Bool {
            switch node {
            case .term, .near: true
            case .and(let a, let b): needsWord(a) || needsWord(b)
            case .or(let a, let b): needsWord(a) && needsWord(b)
            case .not: false
            }
        }
        func firstLoneNot(_ node: QueryNode) -> Int? {
            switch node {
            case .not(_, let column): column
            case .or(let a, let b): needsWord(a) ? firstLoneNot(b) : firstLoneNot(a)
            case .and(let a, let b): firstLoneNot(a) ?? firstLoneNot(b)
            default: nil
            }
        }
        if needsWord(node) { return nil }
        return containsOnlyNots(node) ? .some(nil) : .some(firstLoneNot(node))
    }

    private static func containsOnlyNots(_ node: QueryNode) -> Bool {
        switch node {
        case .not: true
        case .and(let a, let b): containsOnlyNots(a) && containsOnlyNots(b)
        default: false
        }
    }

    @discardableResult
    private mutating func emit(_ node: QueryNode, rule: String, ruleIndex: Int32, into nodes: inout [RuleProgram.Node]) -> Int32 {
        var compiled: RuleProgram.Node
        switch node {
        case .term(let term):
            compiled = RuleProgram.Node(kind: .leaf)
            compiled.text = text(term.text)
            compiled.leaf = leaf(for: term, rule: rule, ruleIndex: ruleIndex) ?? -1
        case .and(let a, let b):
            compiled = RuleProgram.Node(kind: .and)
            compiled.a = emit(a, rule: rule, ruleIndex: ruleIndex, into: &nodes)
            compiled.b = emit(b, rule: rule, ruleIndex: ruleIndex, into: &nodes)
        case .or(let a, let b):
            compiled = RuleProgram.Node(kind: .or)
            compiled.a = emit(a, rule: rule, ruleIndex: ruleIndex, into: &nodes)
            compiled.b = emit(b, rule: rule, ruleIndex: ruleIndex, into: &nodes)
        case .not(let a, _):
            compiled = RuleProgram.Node(kind: .not)
            compiled.a = emit(a, rule: rule, ruleIndex: ruleIndex, into: &nodes)
        case .near(let a, let b, let distance, let ordered, _):
            compiled = RuleProgram.Node(kind: .near)
            compiled.a = emit(a, rule: rule, ruleIndex: ruleIndex, into: &nodes)
            compiled.b = emit(b, rule: rule, ruleIndex: ruleIndex, into: &nodes)
            compiled.distance = Int32(distance)
            compiled.ordered = ordered
        }
        nodes.append(compiled)
        return Int32(nodes.count - 1)
    }

    private mutating func text(_ s: String) -> Int32 {
        if let known = termTextIndex[s] { return known }
        let index = Int32(termTexts.count)
        termTexts.append(s)
        termTextIndex[s] = index
        return index
    }

    // MARK: Terms

    private mutating func leaf(for term: QueryTerm, rule: String, ruleIndex: Int32) -> Int32? {
        var leaf: Leaf
        if term.kind == .names {
            leaf = Leaf(alternatives: [], isNames: true)
        } else {
            var primary: [Lexeme] = [], reading: [Lexeme] = [], hasReading = false
            for element in term.elements {
                let words = keys(of: element.word, hashtag: term.kind == .hashtag)
                let column = term.column
                if words.isEmpty {
                    let what = term.kind == .phrase ? "\"\(element.word)\" in the phrase \(term.text)" : "\"\(term.text)\""
                    errors.append(RuleError(rule: rule, column: column, message: "\(what) has no letters or digits to match"))
                    return nil
                }
                for (w, word) in words.enumerated() {
                    let isPrefix = element.prefix && w == words.count - 1
                    if isPrefix, word.primary.count - (term.kind == .hashtag ? 1 : 0) < 2 {
                        let star = element.word + "*"
                        errors.append(RuleError(rule: rule, column: column,
                            message: "\"\(star)\" matches too much: a wildcard needs at least 2 letters before *"))
                        return nil
                    }
                    primary.append(Lexeme(key: word.primary, prefix: isPrefix))
                    if word.reading != nil { hasReading = true }
                    reading.append(Lexeme(key: word.reading ?? word.primary, prefix: isPrefix))
                }
            }
            var alternatives = [primary.map { lexeme($0) }]
            if hasReading { alternatives.append(reading.map { lexeme($0) }) }
            leaf = Leaf(alternatives: alternatives, isNames: false)
        }
        guard ruleIndex >= 0 else { return nil }
        if leaf.isNames { usesNames = true }
        let index: Int32
        if let known = leafIndex[leaf] {
            index = known
        } else {
            index = Int32(leaves.count)
            leaves.append(leaf)
            leafRules.append([])
            leafIndex[leaf] = index
        }
        return index
    }

    /// The keys of the words a query word or hashtag normalises to.
    private func keys(of word: String, hashtag: Bool) -> [(primary: [UInt32], reading: [UInt32]?)] {
        normaliser.reset()
        normaliser.add(word)
        let keys = normaliser.keys.buffer
        var result: [(primary: [UInt32], reading: [UInt32]?)] = []
        for token in normaliser.tokens.buffer where token.kind == (hashtag ? .hashtag : .word) {
            let start = Int(token.keyStart), length = Int(token.keyLength)
            let primary = Array(keys[start..<(start + length)])
            var reading: [UInt32]?
            if token.readingLength > 0 {
                reading = (hashtag ? [0x23] : []) + Array(keys[(start + length)..<(start + length + Int(token.readingLength))])
            }
            result.append((primary, reading))
            if hashtag { break }
        }
        return result
    }

    private mutating func lexeme(_ lexeme: Lexeme) -> Int32 {
        if let known = lexemeIndex[lexeme] { return known }
        let index = Int32(lexemes.count)
        lexemes.append(lexeme)
        lexemeIndex[lexeme] = index
        return index
    }
}

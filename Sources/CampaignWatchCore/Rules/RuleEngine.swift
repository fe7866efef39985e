/// All campaign-keyword rules compiled into one matcher.
///
/// The words of every rule (normalised like the posts) sit in one hash table (WordTable); a text
/// is normalised once, each of its tokens looks up its key and its prefixes once, and only the rules that one of the found words
/// belongs to have their boolean and proximity logic evaluated. Compile once per configuration;
/// the engine is an immutable value shared by every task. For many texts in a row, keep a
/// `RuleMatcher` (`makeMatcher()`), which reuses its buffers; `match(text:names:)` here makes a
/// fresh one per call.
public struct RuleEngine: Sendable {
    public let rules: [RuleDefinition]
    let programs: [RuleProgram]
    let flatPrograms: FlatPrograms
    let words: WordTable
    let lexemes: [Lexeme]
    let leaves: [Leaf]
    /// Every alternative of every leaf as a sequence of lexemes, and the leaf it belongs to.
    let sequences: IntLists
    let sequenceLeaf: [Int32]
    /// For each lexeme, the leaves of the one-word sequences it is.
    let lexemeSingles: IntLists
    /// For each lexeme, the sequences of several words it starts, ordered by their second
    /// lexeme (`pairSecond`, parallel to the values): a hit follows only the phrases whose second
    /// word was found right after it, however many phrases a common word starts.
    let lexemePairs: IntLists
    let pairSecond: [Int32]
    /// For a lexeme that starts only a one-word sequence (most of them), that leaf; else -1.
    let lexemeSingleLeaf: [Int32]
    let leafRules: IntLists
    let termTexts: [String]
    let namesLeaves: [Int32]
    let usesNames: Bool
    private let ruleIndex: [String: Int]

    /// Compiles `rules`, or throws every error of every rule.
    public init(rules: [RuleDefinition]) throws(RuleCompileErrors) {
        var compiler = RuleCompiler()
        var errors: [RuleError] = []
        var seen: [String: Int] = [:]
        for rule in rules {
            if seen[rule.id] != nil {
                errors.append(RuleError(rule: rule.id, column: nil, message: "another rule has the same id; rule ids must be unique"))
            }
            seen[rule.id] = seen[rule.id] ?? seen.count
            compiler.add(rule)
        }
        errors += compiler.errors
        if !errors.isEmpty {
            let order = Dictionary(rules.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
            throw RuleCompileErrors(errors.enumerated().sorted {
                (order[$0.element.rule] ?? 0, $0.offset) < (order[$1.element.rule] ?? 0, $1.offset)
            }.map(\.element))
        }
        self.rules = rules
        programs = compiler.programs
        flatPrograms = FlatPrograms(compiler.programs)
        lexemes = compiler.lexemes
        words = Self.wordTable(compiler.lexemes)
        leaves = compiler.leaves
        leafRules = IntLists(compiler.leafRules)
        termTexts = compiler.termTexts
        usesNames = compiler.usesNames
        var starts = [[Int32]](repeating: [], count: compiler.lexemes.count)
        var names: [Int32] = []
        var sequenceList: [[Int32]] = [], owners: [Int32] = []
        for (index, leaf) in compiler.leaves.enumerated() {
            if leaf.isNames { names.append(Int32(index)) }
            for sequence in leaf.alternatives {
                starts[Int(sequence[0])].append(Int32(sequenceList.count))
                sequenceList.append(sequence)
                owners.append(Int32(index))
            }
        }
        sequences = IntLists(sequenceList)
        sequenceLeaf = owners
        var singles = [[Int32]](repeating: [], count: compiler.lexemes.count)
        var pairs = [[Int32]](repeating: [], count: compiler.lexemes.count)
        for (lexeme, list) in starts.enumerated() {
            for sequence in list {
                if sequenceList[Int(sequence)].count == 1 {
                    singles[lexeme].append(owners[Int(sequence)])
                } else {
                    pairs[lexeme].append(sequence)
                }
            }
            pairs[lexeme].sort { (sequenceList[Int($0)][1], $0) < (sequenceList[Int($1)][1], $1) }
        }
        lexemeSingles = IntLists(singles)
        lexemePairs = IntLists(pairs)
        pairSecond = lexemePairs.values.map { sequenceList[Int($0)][1] }
        lexemeSingleLeaf = starts.map { list in
            list.count == 1 && sequenceList[Int(list[0])].count == 1 ? owners[Int(list[0])] : -1
        }
        namesLeaves = names
        ruleIndex = seen
    }

    /// Each distinct key with its exact lexeme and its prefix lexeme (a key can be both).
    private static func wordTable(_ lexemes: [Lexeme]) -> WordTable {
        var index: [[UInt32]: Int] = [:]
        var words: [(key: [UInt32], exact: Int32, prefix: Int32)] = []
        for (i, lexeme) in lexemes.enumerated() {
            let at = index[lexeme.key] ?? words.count
            if at == words.count {
                index[lexeme.key] = at
                words.append((lexeme.key, WordTable.none, WordTable.none))
            }
            if lexeme.prefix { words[at].prefix = Int32(i) } else { words[at].exact = Int32(i) }
        }
        return WordTable(words)
    }

    /// The errors of one rule (all of them, each with its column), for the configuration loader.
    public static func errors(in rule: RuleDefinition) -> [RuleError] {
        RuleCompiler.errors(in: rule)
    }

    public func rule(id: String) -> RuleDefinition? {
        ruleIndex[id].map { rules[$0] }
    }

    /// Binds `@names` to one subject's names; build once per subject and reuse.
    public func bind(names: [String]) -> NameBinding {
        NameBinding(names: names)
    }

    /// Binds `@names` to the subject's `names` and `name`.
    public func bind(subject: Subject) -> NameBinding {
        NameBinding(names: subject.names.contains(subject.name) ? subject.names : subject.names + [subject.name])
    }

    public func makeMatcher() -> RuleMatcher {
        RuleMatcher(engine: self)
    }

    /// The rules `text` matches, in rule order; offsets are Unicode scalars of `text`.
    public func match(text: String, names: NameBinding? = nil) -> [RuleMatch] {
        makeMatcher().match(text: text, names: names)
    }

    /// The rules a post matches: its text (where the feed parsers put alt text too) and title
    /// together; a term found in the title says so in `field`.
    public func match(post: Post, names: NameBinding? = nil) -> [RuleMatch] {
        makeMatcher().match(text: post.text, title: post.title, names: names)
    }

    /// The text as the matcher reads it, for display.
    public func normalised(_ text: String) -> String {
        TextNormaliser.normalise(text).display
    }

    /// Figures for benchmarks: distinct words (a word and a prefix of the same letters count
    /// twice), distinct keys in the word table, shared terms, and the bytes of the rules'
    /// programs as they are evaluated.
    public var statistics: (words: Int, keys: Int, terms: Int, programBytes: Int) {
        (lexemes.count, words.count, leaves.count, flatPrograms.byteCount)
    }
}

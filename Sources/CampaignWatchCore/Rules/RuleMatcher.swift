/// Matches texts against a `RuleEngine`, reusing its buffers from one text to the next.
/// Not for sharing between tasks: keep one per task (it is cheap to make).
public final class RuleMatcher {
    public let engine: RuleEngine
    /// Words come back post after post: the cache keeps their keys, and the rule words they
    /// found here (as its payload), so a word is keyed and looked up once, not at every use.
    let normaliser: Normaliser
    /// The normaliser's word cache (when the matcher has none, a small one that no token names),
    /// and a view of it taken after the normaliser's reset (the cache may grow there).
    let wordCache: WordCache
    @exclusivity(unchecked) var cache: WordCache.View

    struct Hit {
        var lexeme: Int32
        var token: Int32
        var first: Int32
        var last: Int32
    }

    struct Occurrence {
        var first: Int32
        var last: Int32
        var start: Int32
        var end: Int32
        var field: UInt8
        /// The previous occurrence of the same leaf, -1 at the end of the list.
        var next: Int32
    }

    struct Span {
        var first: Int32
        var last: Int32
        var terms: [(occurrence: Int32, text: Int32)]
    }

    // A matcher is never shared between tasks, so its hot buffers skip the runtime's
    // exclusivity checks (a call into the runtime per access otherwise).
    @exclusivity(unchecked) var hits = ScratchBuffer<Hit>(capacity: 64)
    @exclusivity(unchecked) var nameHits = ScratchBuffer<Hit>(capacity: 16)
    @exclusivity(unchecked) var occurrences = ScratchBuffer<Occurrence>(capacity: 64)
    @exclusivity(unchecked) var touched = ScratchBuffer<Int32>(capacity: 64)
    @exclusivity(unchecked) var candidates = ScratchBuffer<Int32>(capacity: 64)
    /// Per leaf: its newest occurrence, valid while its stamp is the current generation; per
    /// rule: whether it is already a candidate. Plain memory, cleared by bumping the generation.
    struct LeafState {
        var stamp: UInt32
        var head: Int32
        var count: Int32
    }
    let leafState: UnsafeMutablePointer<LeafState>
    let ruleStamp: UnsafeMutablePointer<UInt32>
    @exclusivity(unchecked) var generation: UInt32 = 0
    @exclusivity(unchecked) var pairs: [(occurrence: Int32, text: Int32)] = []
    /// The normaliser's tokens for the text being matched (a view of its buffer).
    @exclusivity(unchecked) var currentTokens = ScratchBuffer<TokenRecord>.empty
    /// The engine's programs (FlatPrograms; the engine keeps them alive).
    let programNodes: UnsafeMutablePointer<FlatPrograms.Node>
    let programSides: UnsafeMutablePointer<FlatPrograms.Side>
    let programRoots: UnsafeMutablePointer<Int32>
    /// A key's hash after each of its first 63 scalars (WordTable lookups).
    let hashes = UnsafeMutablePointer<UInt64>.allocate(capacity: 64)

    /// Occurrences kept per term and spans per NEAR, so a hostile post cannot make evaluation
    /// quadratic without bound.
    static let occurrenceLimit = 256

    /// Engines with fewer words than this in their table match as fast or faster without a word
    /// cache: their lookups are nearly free, and finding a word in the cache costs about what
    /// keying it afresh does (measured with the benchmark's generated rules: 1 and 10 rules ran
    /// at 0.6–1.13 times the speed without the cache, 100 rules and more at 1.01–1.56).
    static let wordCacheThreshold = 256

    /// A matcher with a word cache when the engine has enough words for it to pay.
    convenience init(engine: RuleEngine) {
        self.init(engine: engine, cachedWords: engine.words.count >= Self.wordCacheThreshold ? WordCache.defaultEntries : nil)
    }

    /// `cachedWords`: how many words the word cache keeps at most (nil: no cache, every word is
    /// keyed and looked up each time).
    init(engine: RuleEngine, cachedWords: Int?) {
        self.engine = engine
        wordCache = cachedWords.map { WordCache(entries: $0) } ?? WordCache(entries: 4)
        normaliser = Normaliser(cache: cachedWords == nil ? nil : wordCache)
        cache = wordCache.view
        let leaves = max(engine.leaves.count, 1), rules = max(engine.programs.count, 1)
        leafState = .allocate(capacity: leaves)
        leafState.initialize(repeating: LeafState(stamp: 0, head: -1, count: 0), count: leaves)
        ruleStamp = .allocate(capacity: rules)
        ruleStamp.initialize(repeating: 0, count: rules)
        programNodes = engine.flatPrograms.nodes
        programSides = engine.flatPrograms.sides
        programRoots = engine.flatPrograms.roots
    }

    deinit {
        hits.deallocate(); nameHits.deallocate(); occurrences.deallocate(); touched.deallocate(); candidates.deallocate()
        leafState.deallocate(); ruleStamp.deallocate(); hashes.deallocate()
    }

    /// The rules `text` (and `title`, if given) match, in rule order, with their terms sorted
    /// by position. Offsets are Unicode scalars of the field each term was found in.
    public func match(text: String, title: String? = nil, names: NameBinding? = nil) -> [RuleMatch] {
        normaliser.reset()
        cache = wordCache.view
        normaliser.add(text, field: 0)
        if let title, !title.isEmpty { normaliser.add(title, field: 1) }
        return evaluate(names: names)
    }

    // MARK: Scanning

    func findCandidates(names: NameBinding?) -> Bool {
        currentTokens = normaliser.tokens
        hits.removeAll()
        scan(engine.words, into: &hits)
        let withNames = engine.usesNames && names != nil
        if hits.count == 0 && !withNames { return false }
        generation &+= 1
        if generation == 0 {
            generation = 1
            leafState.update(repeating: LeafState(stamp: 0, head: -1, count: 0), count: max(engine.leaves.count, 1))
            ruleStamp.update(repeating: 0, count: max(engine.programs.count, 1))
        }
        occurrences.removeAll()
        touched.removeAll()
        candidates.removeAll()
        sortByPosition(&hits)
        let found = hits
        let engine = self.engine
        for h in 0..<found.count {
            let hit = found[h]
            let single = engine.lexemeSingleLeaf[Int(hit.lexeme)]
            if single >= 0 {
                addOccurrence(single, first: hit.first, last: hit.last, from: hit.token, to: hit.token)
                continue
            }
            for entry in engine.lexemeSingles.range(Int(hit.lexeme)) {
                addOccurrence(engine.lexemeSingles.values[entry], first: hit.first, last: hit.last, from: hit.token, to: hit.token)
            }
            let pairs = engine.lexemePairs.range(Int(hit.lexeme))
            if pairs.isEmpty { continue }
            // The hits right after this one, each lexeme once (the first, as `find` takes it).
            let position = hit.last + 1
            var k = firstHit(at: position, in: found)
            var previousLexeme: Int32 = -1
            while k < found.count, found[k].first == position {
                let next = found[k]
                k += 1
                if next.lexeme == previousLexeme { continue }
                previousLexeme = next.lexeme
                var e = pairs.lowerBound, high = pairs.upperBound
                while e < high {
                    let mid = (e + high) >> 1
                    if engine.pairSecond[mid] < next.lexeme { e = mid + 1 } else { high = mid }
                }
                while e < pairs.upperBound, engine.pairSecond[e] == next.lexeme {
                    let sequence = Int(engine.lexemePairs.values[e])
                    e += 1
                    if let end = follow(engine.sequences.range(sequence), engine.sequences.values, at: 2, last: next.last, token: next.token, in: found) {
                        addOccurrence(engine.sequenceLeaf[sequence], first: hit.first, last: end.last, from: hit.token, to: end.token)
                    }
                }
            }
        }
        if withNames, let names, !engine.namesLeaves.isEmpty { findNames(names) }
        if touched.count == 0 { return false }
        var candidates = self.candidates
        defer { self.candidates = candidates }
        let touchedLeaves = touched
        for t in 0..<touchedLeaves.count {
            for entry in engine.leafRules.range(Int(touchedLeaves[t])) {
                let rule = Int(engine.leafRules.values[entry])
                if ruleStamp[rule] != generation {
                    ruleStamp[rule] = generation
                    candidates.append(Int32(rule))
                }
            }
        }
        sortInts(&candidates)
        return true
    }

    /// Every token looks up its key, then its readings (after `#` for a hashtag's reading). A
    /// word from the normaliser's cache takes what it found the last time, or leaves there what
    /// it finds now.
    func scan(_ table: WordTable, into hits: inout ScratchBuffer<Hit>) {
        let tokens = normaliser.tokens
        let view = table.view
        let hashSeed = WordTable.step(WordTable.seed, 0x23)
        let cache = self.cache
        for t in 0..<tokens.count {
            let token = tokens[t]
            var entry: UnsafeMutablePointer<WordCache.Entry>?
            if token.wordEntry >= 0 {
                let e = cache.entries + Int(token.wordEntry)
                let count = Int(e.pointee.payloadCount)
                if count >= 0 {
                    for k in 0..<count { record(cache.payload(e, k), token: t, into: &hits) }
                    continue
                }
                entry = e
            }
            let firstHit = hits.count
            let key = keys(of: token)
            lookUp(view, key, Int(token.keyLength), seed: WordTable.seed, head: 0, token: t, into: &hits)
            if token.readingLength > 0 {
                let hashtag = token.kind == .hashtag
                let seed = hashtag ? hashSeed : WordTable.seed, head = hashtag ? 1 : 0
                let reading = key + Int(token.keyLength)
                lookUp(view, reading, Int(token.readingLength), seed: seed, head: head, token: t, into: &hits)
                if token.secondReadingLength > 0 {
                    lookUp(view, reading + Int(token.readingLength), Int(token.secondReadingLength), seed: seed, head: head, token: t, into: &hits)
                }
            }
            if let entry {
                // What this word found, for its next uses: the lexemes of the hits just recorded.
                let found = hits
                cache.setPayload(entry, (firstHit..<found.count).lazy.map { found[$0].lexeme })
            }
        }
    }

    /// A token's keys: in the normaliser's buffer, or in its cache for a word found there.
    @inline(__always) func keys(of token: TokenRecord) -> UnsafeMutablePointer<UInt32> {
        token.wordEntry >= 0
            ? cache.keys + Int(token.keyStart)
            : normaliser.keys.base + Int(token.keyStart)
    }

    /// The prefixes of `key` (by length), then `key` itself, in the word table; `head` scalars
    /// (the `#` of a hashtag) are already hashed into `seed`.
    ///
    /// The loop over the scalars only hashes and asks the filter, keeping each length's hash and
    /// whether the filter let it through, without a branch on the answer (which no predictor
    /// guesses); the table is then probed at the few lengths that passed and that some key has.
    @inline(__always)
    func lookUp(
        _ table: WordTable.View, _ key: UnsafeMutablePointer<UInt32>, _ length: Int, seed: UInt64, head: Int, token: Int,
        into hits: inout ScratchBuffer<Hit>
    ) {
        let full = length &+ head
        guard length > 0 else { return }
        guard full < 63 else { return lookUpLong(table, key, length, seed: seed, head: head, token: token, into: &hits) }
        let wanted = table.prefixLengths & (WordTable.lengths(upTo: full) &>> 1) | table.keyLengths & WordTable.lengthBit(full)
        guard wanted != 0 else { return }
        let hashes = self.hashes
        var h = seed
        var block = table.filter
        var passed: UInt64 = 0
        for i in 0..<length {
            h = WordTable.step(h, key[i])
            let depth = i &+ 1 &+ head
            if depth <= WordTable.blockDepth { block = table.block(h) }
            hashes[depth] = h
            passed |= WordTable.View.pass(block, h) &<< UInt64(depth)
        }
        passed &= wanted
        while passed != 0 {
            let depth = passed.trailingZeroBitCount
            passed &= passed &- 1
            guard let slot = table.slot(hashes[depth], length: depth, head: head, key) else { continue }
            if slot.pointee.prefix >= 0 { record(slot.pointee.prefix, token: token, into: &hits) }
            if depth == full, slot.pointee.exact >= 0 { record(slot.pointee.exact, token: token, into: &hits) }
        }
    }

    /// `lookUp` for keys of 63 scalars and more (their lengths share the last bit of the masks).
    func lookUpLong(
        _ table: WordTable.View, _ key: UnsafeMutablePointer<UInt32>, _ length: Int, seed: UInt64, head: Int, token: Int,
        into hits: inout ScratchBuffer<Hit>
    ) {
        let full = length &+ head
        var h = seed
        var block = table.filter
        for i in 0..<length {
            h = WordTable.step(h, key[i])
            let depth = i &+ 1 &+ head
            if depth <= WordTable.blockDepth { block = table.block(h) }
            let mask = depth == full ? table.keyLengths : table.prefixLengths
            guard mask & WordTable.lengthBit(depth) != 0,
                  let slot = table.find(h, block: block, length: depth, head: head, key) else { continue }
            if slot.pointee.prefix >= 0 { record(slot.pointee.prefix, token: token, into: &hits) }
            if depth == full, slot.pointee.exact >= 0 { record(slot.pointee.exact, token: token, into: &hits) }
        }
    }

    @inline(__always) private func record(_ lexeme: Int32, token: Int, into hits: inout ScratchBuffer<Hit>) {
        let t = currentTokens[token]
        // A word and its reading can find the same lexeme: keep one hit.
        if let last = hits.last, last.lexeme == lexeme, last.token == Int32(token) { return }
        hits.append(Hit(lexeme: lexeme, token: Int32(token), first: t.firstPosition, last: t.lastPosition))
    }

    /// The end of `sequence` when it continues from `hit` at consecutive positions.
    @inline(__always)
    func follow(_ range: Range<Int>, _ lexemes: [Int32], from hit: Hit, in hits: ScratchBuffer<Hit>) -> (last: Int32, token: Int32)? {
        follow(range, lexemes, at: 1, last: hit.last, token: hit.token, in: hits)
    }

    /// The end of `sequence` when its lexemes from the `index`th on follow, at consecutive
    /// positions, a part that ended at `last` (in token `token`).
    @inline(__always)
    func follow(
        _ range: Range<Int>, _ lexemes: [Int32], at index: Int, last: Int32, token: Int32, in hits: ScratchBuffer<Hit>
    ) -> (last: Int32, token: Int32)? {
        var last = last, endToken = token
        var k = range.lowerBound + index
        while k < range.upperBound {
            guard let next = find(lexemes[k], at: last + 1, in: hits) else { return nil }
            last = next.last
            endToken = next.token
            k += 1
        }
        return (last, endToken)
    }

    /// The index of the first hit at `position` or after it.
    @inline(__always)
    func firstHit(at position: Int32, in hits: ScratchBuffer<Hit>) -> Int {
        var low = 0, high = hits.count
        while low < high {
            let mid = (low + high) >> 1
            if hits[mid].first < position { low = mid + 1 } else { high = mid }
        }
        return low
    }

    func find(_ lexeme: Int32, at position: Int32, in hits: ScratchBuffer<Hit>) -> Hit? {
        var low = firstHit(at: position, in: hits)
        while low < hits.count, hits[low].first == position {
            if hits[low].lexeme == lexeme { return hits[low] }
            low += 1
        }
        return nil
    }

    func addOccurrence(_ leaf: Int32, first: Int32, last: Int32, from: Int32, to: Int32) {
        let l = Int(leaf)
        if leafState[l].stamp != generation {
            leafState[l] = LeafState(stamp: generation, head: -1, count: 0)
            touched.append(leaf)
        }
        let head = leafState[l].head
        if head >= 0 {
            let previous = occurrences[Int(head)]
            if previous.first == first && previous.last == last { return }
            if leafState[l].count >= Self.occurrenceLimit { return }
        }
        let a = currentTokens[Int(from)], b = currentTokens[Int(to)]
        occurrences.append(Occurrence(first: first, last: last, start: a.start, end: b.end, field: a.field, next: head))
        leafState[l].head = Int32(occurrences.count - 1)
        leafState[l].count += 1
    }

    // MARK: @names

    func findNames(_ names: NameBinding) {
        nameHits.removeAll()
        let tokens = normaliser.tokens
        let view = names.trie.view
        let first = names.firstBuckets
        for t in 0..<tokens.count where tokens[t].kind == .word {
            let token = tokens[t]
            if token.wordEntry >= 0 && cache.entries[Int(token.wordEntry)].keyFirsts & first == 0 { continue }
            let key = keys(of: token)
            nameWalk(view, key, Int(token.keyLength), token: t, first)
            if token.readingLength > 0 {
                nameWalk(view, key + Int(token.keyLength), Int(token.readingLength), token: t, first)
            }
            if token.secondReadingLength > 0 {
                nameWalk(view, key + Int(token.keyLength) + Int(token.readingLength), Int(token.secondReadingLength), token: t, first)
            }
        }
        guard nameHits.count > 0 else { return }
        sortByPosition(&nameHits)
        for h in 0..<nameHits.count {
            let hit = nameHits[h]
            for s in names.starts[Int(hit.lexeme)] {
                let sequence = names.sequences[Int(s)]
                if let end = follow(0..<sequence.count, sequence, from: hit, in: nameHits) {
                    for leaf in engine.namesLeaves {
                        addOccurrence(leaf, first: hit.first, last: end.last, from: hit.token, to: end.token)
                    }
                }
            }
        }
    }

    func nameWalk(_ names: WordTrie.View, _ key: UnsafeMutablePointer<UInt32>, _ length: Int, token: Int, _ firstBuckets: UInt32) {
        guard length > 0, firstBuckets & 1 << WordCache.bucket(key[0]) != 0 else { return }
        var node: Int32 = 0
        for i in 0..<length {
            node = names.child(node, key[i])
            if node < 0 { return }
            let word = names.exact(node)
            let depth = i + 1
            let rest = length - depth
            if word < WordTrie.none {
                // The stem of a name ending in а or я, followed by a case ending in its place.
                let stem = NameBinding.stem(word)
                if rest <= 2 && NameBinding.isEnding(key + depth, rest, after: key[i], ya: stem.ya) {
                    record(stem.word, token: token, into: &nameHits)
                }
                continue
            }
            guard word >= 0 else { continue }
            if rest == 0 || depth >= NameBinding.minimumDeclinable && rest <= NameBinding.endingAllowance {
                record(word, token: token, into: &nameHits)
            }
        }
    }

    // MARK: Sorting in place, no allocation (hits arrive almost in order: only hashtags and
    // joined words come after the words they span)

    func sortByPosition(_ buffer: inout ScratchBuffer<Hit>) {
        let items = buffer.base
        for i in 1..<max(buffer.count, 1) {
            let item = items[i]
            var j = i - 1
            while j >= 0, (items[j].first, items[j].lexeme) > (item.first, item.lexeme) {
                items[j + 1] = items[j]
                j -= 1
            }
            items[j + 1] = item
        }
    }

    func sortInts(_ buffer: inout ScratchBuffer<Int32>) {
        if buffer.count > 64 {
            var items = UnsafeMutableBufferPointer(start: buffer.base, count: buffer.count)
            items.sort()
            return
        }
        let items = buffer.base
        for i in 1..<max(buffer.count, 1) {
            let item = items[i]
            var j = i - 1
            while j >= 0, items[j] > item {
                items[j + 1] = items[j]
                j -= 1
            }
            items[j + 1] = item
        }
    }
}

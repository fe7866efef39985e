/// Reading a text into tokens and the rule words they find: piece by piece through the cache.
extension RuleMatcher {
    /// Reads one field of a post after what was read before (a title after its text).
    func read(_ text: String, field: UInt8, names: WordTrie.View?) {
        // Tokens that find nothing are not kept, so "a field was read before" is its positions.
        if nextPosition > 0 { nextPosition += NormaliserCore.fieldGap }
        var text = text
        let read = text.withUTF8 { readPieces($0, field: field, names: names) }
        guard !read else { return }
        // Markup: the normaliser strips it from the field as a whole, and the field is read as
        // one piece that is used once.
        normaliser.reset()
        normaliser.add(text, field: 0)
        var cache = self.cache
        var tokens = self.tokens, hits = self.hits, nameHits = self.nameHits
        defer { self.cache = cache; self.tokens = tokens; self.hits = hits; self.nameHits = nameHits }
        cache.makeRoom()
        let entry = Self.store(normaliser, trie: engine.trie.view, hash: 0, nil, 0, linked: false, in: &cache)
        nextPosition = Self.emit(entry, at: nextPosition, scalarBase: 0, field: field, cache, names: names,
                                 namesMask: namesMask, tokens: &tokens, hits: &hits, nameHits: &nameHits)
        cache.dropLast()
    }

    /// Reads the pieces of plain (markup-free) UTF-8; false, with nothing read, when the text
    /// has markup after all.
    private func readPieces(_ bytes: UnsafeBufferPointer<UInt8>, field: UInt8, names: WordTrie.View?) -> Bool {
        var cache = self.cache
        var tokens = self.tokens, hits = self.hits, nameHits = self.nameHits
        var position = nextPosition
        let marks = (tokens.count, hits.count, nameHits.count)
        defer { self.cache = cache; self.tokens = tokens; self.hits = hits; self.nameHits = nameHits; nextPosition = position }
        let trie = engine.trie.view
        var scanner = PieceScanner(bytes, classes: classes)
        while let piece = scanner.next() {
            let p = bytes.baseAddress! + piece.byteStart
            let count = piece.byteEnd - piece.byteStart
            let hash = PieceCache.hash(p, count)
            var entry = cache.find(hash, p, count)
            let known = entry >= 0
            let linked = count <= PieceCache.maxPieceBytes
            if !known {
                cache.makeRoom()
                normaliser.normalisePiece(UnsafeBufferPointer(start: p, count: count))
                entry = Self.store(normaliser, trie: trie, hash: hash, p, count, linked: linked, in: &cache)
            }
            position = Self.emit(entry, at: position, scalarBase: piece.scalarStart, field: field, cache, names: names,
                                 namesMask: namesMask, tokens: &tokens, hits: &hits, nameHits: &nameHits)
            if !known && !linked { cache.dropLast() }
        }
        if scanner.markup {
            tokens.removeLast(tokens.count - marks.0)
            hits.removeLast(hits.count - marks.1)
            nameHits.removeLast(nameHits.count - marks.2)
            position = nextPosition
            return false
        }
        return true
    }

    /// Appends the tokens of a cache entry that find rule words or name words, with what they
    /// find, to the text's; the next free position. Tokens that find nothing only take their
    /// positions: nothing reads them later.
    @inline(__always)
    private static func emit(
        _ e: Int32, at position: Int32, scalarBase: Int32, field: UInt8, _ cache: PieceCache, names: WordTrie.View?,
        namesMask: UInt32, tokens: inout ScratchBuffer<TokenRecord>, hits: inout ScratchBuffer<Hit>, nameHits: inout ScratchBuffer<Hit>
    ) -> Int32 {
        let entry = cache.entries.base + Int(e)
        let withNames = names != nil && entry.pointee.firstScalars & namesMask != 0
        guard entry.pointee.hasHits || withNames else { return position &+ entry.pointee.positions }
        let end = Int(entry.pointee.tokenStart + entry.pointee.tokenCount)
        var t = Int(entry.pointee.tokenStart)
        while t < end {
            let cached = cache.tokens[t]
            let index = Int32(tokens.count)
            let first = position &+ cached.first, last = position &+ cached.last
            var h = Int(cached.hitStart)
            let hitEnd = h + Int(cached.hitCount)
            while h < hitEnd {
                hits.append(Hit(lexeme: cache.lexemes[h], token: index, first: first, last: last))
                h &+= 1
            }
            var found = cached.hitCount > 0
            if withNames, let names, cached.kind == .word {
                let before = nameHits.count
                let hit = Hit(lexeme: 0, token: index, first: first, last: last)
                var key = cache.keys.base + Int(cached.keyStart)
                nameWalk(names, key, Int(cached.keyLength), hit, into: &nameHits)
                key += Int(cached.keyLength)
                if cached.readingLength > 0 {
                    nameWalk(names, key, Int(cached.readingLength), hit, into: &nameHits)
                    key += Int(cached.readingLength)
                }
                if cached.secondReadingLength > 0 {
                    nameWalk(names, key, Int(cached.secondReadingLength), hit, into: &nameHits)
                }
                found = found || nameHits.count > before
            }
            if found {
                tokens.append(TokenRecord(
                    keyStart: 0, keyLength: 0, readingLength: 0, secondReadingLength: 0, firstPosition: first, lastPosition: last,
                    start: scalarBase &+ cached.start, end: scalarBase &+ cached.end, kind: cached.kind, field: field))
            }
            t &+= 1
        }
        return position &+ entry.pointee.positions
    }

    /// The name words a key is, or begins with (up to the ending allowance); as `nameWalk`.
    @inline(__always)
    private static func nameWalk(
        _ names: WordTrie.View, _ key: UnsafePointer<UInt32>, _ length: Int, _ hit: Hit, into nameHits: inout ScratchBuffer<Hit>
    ) {
        var node: Int32 = 0
        for i in 0..<length {
            node = names.child(node, key[i])
            if node < 0 { return }
            let word = names.exact(node)
            guard word >= 0 else { continue }
            let depth = i + 1
            let rest = length - depth
            if rest == 0 || depth >= NameBinding.minimumDeclinable && rest <= NameBinding.endingAllowance {
                // A word and its reading can be the same name word: keep one hit.
                if let last = nameHits.last, last.lexeme == word, last.token == hit.token { continue }
                var found = hit
                found.lexeme = word
                nameHits.append(found)
            }
        }
    }

    /// Stores what the normaliser made of a piece (its tokens, their keys, the rule words the
    /// keys find in the trie) as a cache entry.
    private static func store(
        _ normaliser: Normaliser, trie: WordTrie.View, hash: UInt64, _ p: UnsafePointer<UInt8>?, _ count: Int, linked: Bool,
        in cache: inout PieceCache
    ) -> Int32 {
        let tokenStart = cache.tokens.count
        let firstHit = cache.lexemes.count
        var firstScalars: UInt32 = 0
        let source = normaliser.tokens, keys = normaliser.keys.base
        let hashtagRoot = trie.child(0, 0x23)
        for t in 0..<source.count {
            let token = source[t]
            let keyStart = cache.keys.count
            let length = Int(token.keyLength + token.readingLength + token.secondReadingLength)
            cache.appendKeys(keys + Int(token.keyStart), count: length)
            let hitStart = cache.lexemes.count
            // As `scan`: the key from the root, then the readings (from `#` for a hashtag).
            let key = keys + Int(token.keyStart)
            walk(trie, key, Int(token.keyLength), from: 0, hitStart: hitStart, into: &cache)
            if token.readingLength > 0 {
                let from: Int32 = token.kind == .hashtag ? hashtagRoot : 0
                if from >= 0 {
                    let reading = key + Int(token.keyLength)
                    walk(trie, reading, Int(token.readingLength), from: from, hitStart: hitStart, into: &cache)
                    if token.secondReadingLength > 0 {
                        walk(trie, reading + Int(token.readingLength), Int(token.secondReadingLength), from: from, hitStart: hitStart,
                             into: &cache)
                    }
                }
            }
            if token.kind == .word {
                firstScalars |= 1 << (key[0] & 31)
                if token.readingLength > 0 { firstScalars |= 1 << (key[Int(token.keyLength)] & 31) }
                if token.secondReadingLength > 0 { firstScalars |= 1 << (key[Int(token.keyLength + token.readingLength)] & 31) }
            }
            cache.appendToken(PieceCache.Token(
                first: token.firstPosition, last: token.lastPosition, start: token.start, end: token.end, keyStart: Int32(keyStart),
                keyLength: UInt16(token.keyLength), readingLength: UInt16(token.readingLength),
                secondReadingLength: UInt16(token.secondReadingLength), kind: token.kind,
                hitStart: Int32(hitStart), hitCount: Int32(cache.lexemes.count - hitStart)))
        }
        return cache.finish(hash: hash, p, count, tokenStart: tokenStart, positions: normaliser.positionCount,
                            hasHits: cache.lexemes.count > firstHit, firstScalars: firstScalars, linked: linked)
    }

    /// As `RuleMatcher.walk`: every prefix word met on the way, then the exact word at the end.
    private static func walk(
        _ trie: WordTrie.View, _ key: UnsafePointer<UInt32>, _ length: Int, from start: Int32, hitStart: Int,
        into cache: inout PieceCache
    ) {
        @inline(__always) func record(_ lexeme: Int32) {
            // A word and its reading can find the same lexeme: keep one hit.
            if cache.lexemes.count > hitStart, cache.lexemes[cache.lexemes.count - 1] == lexeme { return }
            cache.appendLexeme(lexeme)
        }
        var node = start
        for i in 0..<length {
            node = trie.child(node, key[i])
            if node < 0 { return }
            let p = trie.prefix(node)
            if p >= 0 { record(p) }
        }
        let e = trie.exact(node)
        if e >= 0 { record(e) }
    }
}

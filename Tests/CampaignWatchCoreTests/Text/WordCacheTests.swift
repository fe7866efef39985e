@testable import CampaignWatchCore
import Testing

@Suite struct WordCacheTests {
    private static func word(_ text: String) -> (WordCache.Word, Int, UInt64) {
        let bytes = Array(text.utf8)
        let w = bytes.withUnsafeBufferPointer { WordCache.View.word($0.baseAddress!, bytes.count, available: bytes.count) }
        return (w, bytes.count, WordCache.View.hash(w, bytes.count))
    }

    @discardableResult
    private static func insert(_ cache: WordCache, _ text: String, keys: [UInt32], reading: Int = 0) -> UnsafeMutablePointer<WordCache.Entry>? {
        let (w, length, hash) = word(text)
        return keys.withUnsafeBufferPointer {
            cache.view.insert(w, length: length, hash: hash, letters: text.unicodeScalars.count, keys: $0.baseAddress!,
                              keyLength: keys.count - reading, readingLength: reading, secondReadingLength: 0)
        }
    }

    private static func find(_ cache: WordCache, _ text: String) -> UnsafeMutablePointer<WordCache.Entry>? {
        let (w, length, hash) = word(text)
        return cache.view.find(w, length: length, hash: hash)
    }

    @Test func anEntryIsOneAlignedLine() {
        #expect(MemoryLayout<WordCache.Entry>.stride == 64)
        let cache = WordCache(entries: 8)
        #expect(Int(bitPattern: cache.view.entries) % 64 == 0)
    }

    /// The bytes of a word are read eight at a time only where they stay inside what may be
    /// read; beyond the word they count as zero, whatever follows it.
    @Test func aWordIsItsBytesOnlyWhateverFollows() {
        let text = Array("голосуйте за нас vote".utf8)
        text.withUnsafeBufferPointer { all in
            let base = all.baseAddress!
            for length in 1...min(text.count, WordCache.maximumBytes) {
                let alone = Array(text[0..<length])
                let expected = alone.withUnsafeBufferPointer { WordCache.View.word($0.baseAddress!, length, available: length) }
                // Followed by the rest of the text, and cut off at every point after the word.
                for available in length...text.count {
                    #expect(WordCache.View.word(base, length, available: available) == expected)
                }
                var bytes = [UInt8](repeating: 0, count: 32)
                for (k, b) in alone.enumerated() { bytes[k] = b }
                let packed = (0..<4).map { chunk in (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[chunk * 8 + $1]) << (8 * $1) } }
                #expect([expected.a, expected.b, expected.c, expected.d] == packed)
            }
        }
    }

    @Test func findsWhatWasAddedAndNothingElse() throws {
        let cache = WordCache(entries: 64)
        let words = ["vote", "votes", "vot", "голосуйте", "голосуйтe", "Vote", "поддержите", String(repeating: "ж", count: 16)]
        for (i, text) in words.enumerated() {
            #expect(Self.find(cache, text) == nil)
            let entry = try #require(Self.insert(cache, text, keys: Array(repeating: UInt32(0x430 + i), count: 3), reading: 1))
            #expect(Self.find(cache, text) == entry)
        }
        #expect(cache.count == words.count)
        for (i, text) in words.enumerated() {
            let entry = try #require(Self.find(cache, text), "\(text)")
            #expect(Int(entry.pointee.byteLength) == text.utf8.count)
            #expect(Int(entry.pointee.letters) == text.unicodeScalars.count)
            #expect(entry.pointee.keyLength == 2 && entry.pointee.readingLength == 1 && entry.pointee.secondReadingLength == 0)
            let keys = cache.view.keys(of: entry)
            #expect((0..<3).map { keys[$0] } == Array(repeating: UInt32(0x430 + i), count: 3))
            #expect(entry.pointee.payloadCount == -1)
        }
        for text in ["vo", "votes ", "голосуйт", "Голосуйте", "поддержитe", String(repeating: "ж", count: 15)] {
            #expect(Self.find(cache, text) == nil, "\(text)")
        }
    }

    @Test func longWordsAreNotKept() {
        let cache = WordCache(entries: 8)
        #expect(Self.insert(cache, String(repeating: "v", count: 33), keys: [0x76]) == nil)
        #expect(Self.insert(cache, String(repeating: "v", count: 32), keys: [0x76]) != nil)
        #expect(cache.count == 1)
    }

    @Test func theFirstScalarsOfTheKeysAreKept() throws {
        let cache = WordCache(entries: 8)
        let entry = try #require(Self.insert(cache, "marat", keys: [0x6D, 0x61, 0x43C, 0x430], reading: 2))
        #expect(entry.pointee.keyFirsts == (1 << WordCache.bucket(0x6D) | 1 << WordCache.bucket(0x43C)))
        // Letters that share their low bits fall in different buckets.
        #expect(WordCache.bucket(0x43A) != WordCache.bucket(0x7A)) // к, z
        #expect(WordCache.bucket(0x436) != WordCache.bucket(0x76)) // ж, v
    }

    /// A full cache adds nothing more until the next text, when it is emptied; the entries named
    /// while a text is read never change.
    @Test func aFullCacheIsEmptiedBeforeTheNextText() throws {
        let cache = WordCache(entries: 4)
        let first = try #require(Self.insert(cache, "one", keys: [1]))
        for text in ["two", "three", "four"] { #expect(Self.insert(cache, text, keys: [2]) != nil) }
        #expect(cache.view.isFull)
        #expect(Self.insert(cache, "five", keys: [5]) == nil)
        #expect(Self.find(cache, "one") == first)
        #expect(cache.view.keys(of: first)[0] == 1)
        cache.prepareForText()
        #expect(cache.count == 0 && cache.clears == 1)
        #expect(Self.find(cache, "one") == nil)
        #expect(Self.insert(cache, "five", keys: [5]) != nil)
        cache.prepareForText()
        #expect(cache.clears == 1 && cache.count == 1)
    }

    /// A cache starts small and doubles between texts, keeping its words, their keys and what
    /// the consumer kept for them; only at its largest is a full cache emptied.
    @Test func aFullCacheGrowsBeforeTheNextTextUpToItsLargest() throws {
        let cache = WordCache(entries: 64, initial: 8)
        #expect(cache.capacity == 8)
        var added: [String] = []
        var text = 0
        while cache.clears == 0 {
            // One "text": words until the cache is full, then the next text begins.
            while !cache.view.isFull {
                let word = "w\(added.count)"
                let entry = try #require(Self.insert(cache, word, keys: [UInt32(added.count), 7], reading: 1))
                [Int32(added.count), -1].withUnsafeBufferPointer { cache.view.setPayload(entry, $0) }
                added.append(word)
            }
            #expect(Self.insert(cache, "extra", keys: [1]) == nil)
            let capacity = cache.capacity
            cache.prepareForText()
            text += 1
            if cache.clears > 0 { break }
            #expect(cache.capacity == capacity * 2)
            for (i, word) in added.enumerated() {
                let entry = try #require(Self.find(cache, word), "\(word) after growing to \(cache.capacity)")
                #expect(cache.view.keys(of: entry)[0] == UInt32(i) && cache.view.keys(of: entry)[1] == 7)
                #expect(entry.pointee.payloadCount == 2 && cache.view.payload(entry, 0) == Int32(i) && cache.view.payload(entry, 1) == -1)
            }
        }
        #expect(text == 4) // 8 → 16 → 32 → 64, then emptied
        #expect(added.count == 64 && cache.count == 0 && cache.capacity == 64)
    }

    /// Keys fill up too: many long words fill the key store before the entries.
    @Test func fullKeysCountAsFull() {
        let cache = WordCache(entries: 4)
        let keys = [UInt32](repeating: 0x61, count: WordCache.maximumKeys)
        var added = 0
        while Self.insert(cache, "w\(added)", keys: keys) != nil { added += 1 }
        #expect(added == 1)
        #expect(cache.view.isFull)
    }

    @Test func payloadIsKeptOnce() throws {
        let cache = WordCache(entries: 8)
        let none = try #require(Self.insert(cache, "a", keys: [1]))
        let one = try #require(Self.insert(cache, "b", keys: [1]))
        let many = try #require(Self.insert(cache, "c", keys: [1]))
        [Int32]().withUnsafeBufferPointer { cache.view.setPayload(none, $0) }
        [Int32(7)].withUnsafeBufferPointer { cache.view.setPayload(one, $0) }
        [Int32(3), 4, 5, 6].withUnsafeBufferPointer { cache.view.setPayload(many, $0) }
        [Int32(9)].withUnsafeBufferPointer { cache.view.setPayload(many, $0) }
        #expect(none.pointee.payloadCount == 0)
        #expect(one.pointee.payloadCount == 1 && cache.view.payload(one, 0) == 7)
        #expect(many.pointee.payloadCount == 4)
        #expect((0..<4).map { cache.view.payload(many, $0) } == [3, 4, 5, 6])
    }

    /// Words that land on the same slot are all kept and told apart.
    @Test func collidingWordsAreToldApart() throws {
        let cache = WordCache(entries: 4) // 8 slots: most words share a slot with another
        let words = ["ab", "cd", "ef", "gh"]
        for (i, text) in words.enumerated() { try #require(Self.insert(cache, text, keys: [UInt32(i)]) != nil) }
        for (i, text) in words.enumerated() {
            let entry = try #require(Self.find(cache, text))
            #expect(cache.view.keys(of: entry)[0] == UInt32(i))
        }
    }
}

@testable import CampaignWatchCore
import Testing

@Suite struct UTF8ValidatorTests {
    /// Sequence by sequence, with no shortcut: what `firstInvalid` must agree with.
    static func reference(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { reference($0) }
    }

    static func reference(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        while i < p.count {
            let length = UTF8Validator.sequenceLength(p, i)
            if length < 0 { return i }
            i += length
        }
        return nil
    }

    static func firstInvalid(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { UTF8Validator.firstInvalid($0) }
    }

    @Test func agreesWithTheStandardLibrary() {
        for text in ["", "ascii only, long enough to fill several words", "Выборы 2023: «кандидат» — голос",
                     "Сайлау ұйымдастырушылары 🇰🇿 ü", "a\u{A0}b\u{A0}\u{A0}cd", String(repeating: "жя ", count: 40)] {
            #expect(Self.firstInvalid(Array(text.utf8)) == nil, "\(text)")
        }
    }

    @Test func findsEachKindOfIllFormedSequence() {
        let prefix = Array("Кандидат и избиратели ".utf8)
        let cases: [[UInt8]] = [
            [0x80], [0xBF, 0x41], [0xC0, 0x80], [0xC1, 0xBF], [0xC3], [0xC3, 0x41], [0xE0, 0x80, 0x80],
            [0xED, 0xA0, 0x80], [0xE2, 0x82], [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80],
            [0xFE], [0xFF], [0xD0, 0xD0, 0xB0],
        ]
        for bad in cases {
            let bytes = prefix + bad + Array("ы ы ы ы ы ы ы ы".utf8)
            #expect(Self.firstInvalid(bytes) == prefix.count, "\(bad)")
            #expect(Self.firstInvalid(bytes) == Self.reference(bytes), "\(bad)")
        }
        // A lead in the last byte of an eight-byte word, its continuation in the next.
        for offset in 0..<16 {
            let bytes = Array(repeating: UInt8(ascii: "a"), count: offset) + [0xD0, 0xB0] + Array(repeating: UInt8(ascii: "b"), count: 16)
            #expect(Self.firstInvalid(bytes) == nil)
            let cut = Array(repeating: UInt8(ascii: "a"), count: offset) + [0xD0] + Array(repeating: UInt8(ascii: "b"), count: 16)
            #expect(Self.firstInvalid(cut) == offset)
        }
    }

    @Test func agreesWithTheReferenceOnRandomMixes() {
        var generator = SeededRandom(seed: 0x5EED)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array(" ".utf8), Array("word ".utf8), Array("ж".utf8), Array("ұ".utf8), Array("«".utf8),
            Array("—".utf8), Array("🇰🇿".utf8), Array("€".utf8), [0x80], [0xC0, 0xAF], [0xD0], [0xE2, 0x80], [0xF0, 0x9F, 0x87],
            [0xED, 0xBF, 0xBF], [0xFF],
        ]
        for _ in 0..<4000 {
            var bytes: [UInt8] = []
            let count = Int(generator.next() % 40)
            for _ in 0..<count {
                // Mostly valid text, now and then a broken piece.
                let valid = generator.next() % 10 != 0
                let index = Int(generator.next() % UInt64(valid ? 9 : pieces.count))
                bytes += pieces[index]
            }
            #expect(Self.firstInvalid(bytes) == Self.reference(bytes), "\(bytes)")
        }
    }

    /// `firstInvalid` lets bytes through to a `String` unchecked, so it must accept exactly what
    /// the standard library accepts: every two-byte pair, and every lead with every second byte,
    /// at the start and the end of an eight-byte word and of the sixteen-byte blocks the C scan
    /// reads (the first, which it pads, and later ones), before Cyrillic.
    @Test(arguments: [0, 7, 15, 16, 31])
    func acceptsExactlyWhatTheStandardLibraryAccepts(offset: Int) async {
        let text = Array("жя".utf8)
        for tail in [[] as [UInt8], [0x80, 0x80], [0xBF, 0x41]] {
            // One buffer per tail, its pair of bytes rewritten in place.
            var bytes = Array(repeating: UInt8(ascii: "a"), count: offset) + [0, 0] + tail + text + text
            for first in 0...255 {
                // Lets the timing tests that run beside this one have the test threads now and then.
                await Task.yield()
                for second in 0...255 {
                    bytes[offset] = UInt8(first)
                    bytes[offset + 1] = UInt8(second)
                    let valid = (try? UTF8Span(validating: bytes.span)) != nil
                    if (Self.firstInvalid(bytes) == nil) != valid {
                        Issue.record("disagrees with the standard library on \(bytes)")
                        return
                    }
                }
            }
        }
    }

    @Test func stringEqualsTheStandardLibrarysDecoding() {
        var generator = SeededRandom(seed: 0xC0FFEE)
        let pieces: [[UInt8]] = [
            Array("a".utf8), Array("word ".utf8), Array("ж".utf8), Array("ұ".utf8), Array("«".utf8), Array("—".utf8),
            Array("🇰🇿".utf8), [0x80], [0xC0, 0xAF], [0xD0], [0xE2, 0x80], [0xF0, 0x9F, 0x87], [0xED, 0xA0, 0x80], [0xFF],
        ]
        for round in 0..<3000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 48) {
                let valid = round % 2 == 0 || generator.next() % 8 != 0
                bytes += pieces[Int(generator.next() % UInt64(valid ? 7 : pieces.count))]
            }
            let string = UTF8Validator.string(bytes)
            #expect(Array(string.utf8) == Array(String(decoding: bytes, as: UTF8.self).utf8), "\(bytes)")
            #expect(string == String(decoding: bytes, as: UTF8.self))
        }
    }
}

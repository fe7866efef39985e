import CampaignWatchCore
import CByteScan
import Testing

/// The C scanners read sixteen bytes at a time; each must stop exactly where a plain loop over the
/// bytes stops, wherever the stopping byte falls in a block and whatever comes after it.
@Suite struct ByteScanTests {
    /// Every block width this processor runs (16 with SSE2, 32 with AVX2), or none.
    static let widths: [UInt32] = [16, 32].enumerated().filter { cbs_widths() & (1 << $0.offset) != 0 }.map { UInt32($0.element) }

    static func htmlSpecial(_ c: UInt8) -> Bool {
        c < 0x20 || c == UInt8(ascii: "<") || c == UInt8(ascii: "&") || c == 0x7F || c == 0xC2 || c == UInt8(ascii: "]")
    }

    static func htmlRunEnd(_ p: [UInt8], _ start: Int) -> Int {
        var j = start
        while j < p.count {
            let c = p[j]
            if c != 0x20 && !htmlSpecial(c) { j += 1; continue }
            if c == 0x20, j + 1 < p.count, p[j + 1] != 0x20, !htmlSpecial(p[j + 1]) { j += 2; continue }
            break
        }
        return j
    }

    static func control(_ c: UInt8) -> Bool { c < 0x20 && c != 0x09 && c != 0x0A && c != 0x0D }

    static func stop(_ p: [UInt8], _ start: Int, at isStop: (UInt8) -> Bool) -> (Int, Int) {
        var lines = 0
        var j = start
        while j < p.count, !isStop(p[j]) { if p[j] == 0x0A { lines += 1 }; j += 1 }
        return (j, lines)
    }

    /// Texts of Cyrillic, ASCII and spaces with the bytes each scanner stops at sprinkled in.
    static func texts(count: Int, seed: UInt64) -> [[UInt8]] {
        var generator = SeededRandom(seed: seed)
        let pieces: [[UInt8]] = [
            Array("голос ".utf8), Array("vote".utf8), Array(" ".utf8), Array("  ".utf8), Array("ж".utf8), Array("\n".utf8),
            Array("\t\r\n".utf8), Array("<".utf8), Array("&".utf8), Array("]".utf8), Array("\u{A0}".utf8), [0x7F], [0x01],
            [0x1F], Array("—".utf8), Array("\u{FFFE}".utf8), Array("-".utf8), Array("?".utf8),
        ]
        return (0..<count).map { _ in
            var bytes: [UInt8] = []
            let length = Int(generator.next() % 60)
            for _ in 0..<length {
                // Mostly words, so that runs span several blocks.
                let plain = generator.next() % 6 != 0
                bytes += pieces[Int(generator.next() % UInt64(plain ? 5 : pieces.count))]
            }
            return bytes
        }
    }

    /// Calls `body` with each generated text and every offset to start a scan from, letting the
    /// timing tests that run beside this suite have the test threads between texts.
    static func eachStart(texts count: Int, seed: UInt64,
                          _ body: ([UInt8], UnsafePointer<UInt8>, Int) -> Void) async {
        for bytes in texts(count: count, seed: seed) {
            await Task.yield()
            bytes.withUnsafeBufferPointer { p in
                for start in 0..<p.count { body(bytes, p.baseAddress!, start) }
            }
        }
    }

    @Test func theProcessorRunsAVectorWidth() {
        #if arch(x86_64)
        #expect(Self.widths.contains(16))
        #endif
    }

    @Test(arguments: widths)
    func htmlRunEndMatchesThePlainLoop(width: UInt32) async {
        await Self.eachStart(texts: 600, seed: 1) { bytes, base, start in
            let scanned = cbs_html_run_end_at(width, base, start, bytes.count)
            #expect(scanned == Self.htmlRunEnd(bytes, start), "\(bytes) from \(start)")
        }
    }

    @Test(arguments: widths)
    func xmlStopsMatchThePlainLoop(width: UInt32) async {
        await Self.eachStart(texts: 400, seed: 2) { bytes, base, start in
            var lines = 0
            let text = cbs_xml_text_stop_at(width, base, start, bytes.count, &lines)
            let expected = Self.stop(bytes, start) { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") || $0 == 0xEF || Self.control($0) }
            #expect(text == expected.0 && lines == expected.1, "\(bytes) from \(start)")
            for first in [UInt8(ascii: "-"), UInt8(ascii: "]"), UInt8(ascii: "?")] {
                var rawLines = 5
                let raw = cbs_xml_raw_stop_at(width, base, start, bytes.count, first, &rawLines)
                let expected = Self.stop(bytes, start) { $0 == first || $0 == 0xEF || Self.control($0) }
                #expect(raw == expected.0 && rawLines == 5 + expected.1, "\(bytes) from \(start)")
            }
        }
    }

    @Test(arguments: widths)
    func findEitherMatchesThePlainLoop(width: UInt32) async {
        await Self.eachStart(texts: 400, seed: 4) { bytes, base, start in
            for (a, b) in [(UInt8(ascii: "&"), UInt8(ascii: ">")), (UInt8(ascii: "<"), UInt8(ascii: "<")), (0xD0, 0x0A)] {
                let found = cbs_find_either_at(width, base, start, bytes.count, a, b)
                #expect(found == Self.stop(bytes, start) { $0 == a || $0 == b }.0, "\(bytes) from \(start)")
            }
        }
    }

    /// Where `UTF8Validator.firstInvalid` reads on after the block scan: the first byte of the
    /// last sequence before where the scan stopped.
    static func resume(_ bytes: [UInt8], after end: Int) -> Int {
        var lead = max(end - 1, 0)
        while lead > 0, lead > end - 4, bytes[lead] & 0xC0 == 0x80 { lead -= 1 }
        return lead
    }

    /// What the block scan lets through is valid up to where reading resumes, and it stops no
    /// earlier than the block before the first error (or the last whole block).
    static func checkValidPrefix(_ bytes: [UInt8], width: UInt32) -> Bool {
        bytes.withUnsafeBufferPointer { p in
            let firstError = UTF8ValidatorTests.reference(p) ?? p.count
            let end = cbs_utf8_valid_prefix_at(width, p.baseAddress, 0, p.count)
            let lead = resume(bytes, after: end)
            guard lead <= firstError, UTF8ValidatorTests.reference(UnsafeBufferPointer(rebasing: p[0..<lead])) == nil else {
                return false
            }
            if p.count < Int(width) { return end == 0 }
            return end >= min(firstError, p.count) - Int(width) + 1
        }
    }

    @Test(arguments: widths)
    func utf8ValidPrefixOnRandomMixes(width: UInt32) {
        var generator = SeededRandom(seed: 3)
        let pieces: [[UInt8]] = [
            Array("ж".utf8), Array("a".utf8), Array("—".utf8), Array("🇰🇿".utf8), Array("ұ ".utf8), [0x80], [0xC1, 0xBF],
            [0xE0, 0x9F, 0x80], [0xED, 0xA0, 0x80], [0xF0, 0x8F, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xD0], [0xF5],
        ]
        for _ in 0..<5000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(generator.next() % 50) {
                let valid = generator.next() % 25 != 0
                bytes += pieces[Int(generator.next() % UInt64(valid ? 5 : pieces.count))]
            }
            #expect(Self.checkValidPrefix(bytes, width: width), "\(bytes)")
        }
    }

    /// Every byte pair, with and without continuations after it, at the start of the first block
    /// (which the scan pads), across block boundaries and inside later blocks, amid Cyrillic.
    @Test(arguments: widths)
    func utf8ValidPrefixOnEveryBytePair(width: UInt32) async {
        let text = Array("жя".utf8)
        for offset in [0, 15, 16, 31, 33] {
            for tail in [[0x80, 0x80] as [UInt8], [0xBF, 0x41]] {
                // One buffer, its pair of bytes rewritten in place.
                var bytes = Array(repeating: UInt8(ascii: "a"), count: offset) + [0, 0] + tail
                for _ in 0..<7 { bytes += text }
                for first in 0...255 {
                    // Lets the timing tests that run beside this one have the test threads now and then.
                    await Task.yield()
                    for second in 0...255 {
                        bytes[offset] = UInt8(first)
                        bytes[offset + 1] = UInt8(second)
                        if !Self.checkValidPrefix(bytes, width: width) {
                            Issue.record("wrong valid prefix at width \(width) for \(bytes)")
                            return
                        }
                    }
                }
            }
        }
    }
}

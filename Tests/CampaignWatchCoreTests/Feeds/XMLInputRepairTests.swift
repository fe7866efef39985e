@testable import CampaignWatchCore
import Testing

@Suite struct XMLInputRepairTests {
    /// The repaired document as libxml2 and the reader see it together: each placeholder the
    /// repair left is shown as a CDATA section holding the text it stands for.
    static func repaired(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        var output = String(decoding: result.bytes, as: UTF8.self)
        for side in result.repair.log.sideTexts {
            let text: String
            switch side {
            case .input(let range): text = String(decoding: bytes[range], as: UTF8.self)
            case .decoded(let decoded): text = String(decoding: decoded, as: UTF8.self)
            }
            guard let start = output.range(of: "<?cw-text"), let end = output.range(of: "?>", range: start.upperBound..<output.endIndex) else { break }
            output.replaceSubrange(start.lowerBound..<end.upperBound, with: "<![CDATA[" + text + "]]>")
        }
        return output
    }

    @Test func wellFormedInputIsNotCopied() throws {
        let bytes = Array("<rss><item><title>a &amp; b</title><![CDATA[ & < ]]><!-- & --><link href=\"?a=1&amp;b=2\"/></item></rss>".utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        #expect(result.bytes == bytes)
        #expect(result.repair.repairCount == 0)
        #expect(result.repair.log.edits.isEmpty)
    }

    @Test func repairs() throws {
        #expect(try Self.repaired("<t>a & b</t>") == "<t>a &amp; b</t>")
        // (Text with two or more references becomes CDATA; see textFullOfReferencesBecomesCDATA.)
        #expect(try Self.repaired("<t>&nbsp;</t>") == "<t>\u{A0}</t>")
        #expect(try Self.repaired("<t>&LT;</t>") == "<t>&#60;</t>")
        #expect(try Self.repaired("<t>&quot</t>") == "<t>&#34;</t>")
        #expect(try Self.repaired("<t>&bogus;</t>") == "<t>&amp;bogus;</t>")
        #expect(try Self.repaired("<t>&#150;</t>") == "<t>&#8211;</t>")
        #expect(try Self.repaired("<t>&#1;</t>") == "<t>&#32;</t>")
        #expect(try Self.repaired("<t>&#xD800;</t>") == "<t>&#65533;</t>")
        #expect(try Self.repaired("<t>&#1046</t>") == "<t>&#1046;</t>")
        #expect(try Self.repaired("<t>1 < 2</t>") == "<t>1 &lt; 2</t>")
        #expect(try Self.repaired("<t>&#150;&#1;&#xD800; <3 &LT;</t>") == "<t><![CDATA[– \u{FFFD} <3 <]]></t>")
        #expect(try Self.repaired("<t>\u{1}\u{B}x</t>") == "<t>  x</t>")
        #expect(try Self.repaired("<t>\u{FFFE}</t>") == "<t>\u{FFFD}</t>")
        #expect(try Self.repaired("<a href=\"?x=1&y=2\"/>") == "<a href=\"?x=1&amp;y=2\"/>")
        #expect(try Self.repaired("<Ж>кириллица</Ж>") == "<Ж>кириллица</Ж>")
        #expect(try Self.repaired("<t>a <— b</t>") == "<t>a &lt;— b</t>")
    }

    @Test func textFullOfReferencesBecomesCDATA() throws {
        #expect(try Self.repaired("<d>&lt;p&gt;Привет &amp; пока&lt;/p&gt;</d>") == "<d><![CDATA[<p>Привет & пока</p>]]></d>")
        #expect(try Self.repaired("<d>a ]]&gt; b &lt;</d>") == "<d><![CDATA[a ]]> b <]]></d>")
        #expect(try Self.repaired("<d>one &amp; only</d>") == "<d>one &amp; only</d>")
        #expect(try Self.repaired("<a t=\"x &amp; y &lt; z\">&lt;b&gt;</a>") == "<a t=\"x &amp; y &lt; z\"><![CDATA[<b>]]></a>")
    }

    @Test func textGoesAroundLibxml2AsPlaceholders() throws {
        let cdata = "<d><![CDATA[" + String(repeating: "текст ", count: 20) + "\nвторая строка]]></d>"
        let bytes = Array(cdata.utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        #expect(String(decoding: result.bytes, as: UTF8.self) == "<d><?cw-text\n?></d>")
        guard case .input(let range)? = result.repair.log.sideTexts.first else {
            Issue.record("no side text")
            return
        }
        #expect(String(decoding: bytes[range], as: UTF8.self).hasSuffix("\nвторая строка"))
        // Short CDATA stays where it is; a processing instruction posing as a placeholder goes.
        #expect(try Self.repaired("<d><![CDATA[short]]><?cw-text?></d>") == "<d><![CDATA[short]]></d>")
    }

    @Test func rawRangesMapBackToTheInput() throws {
        let text = "<rss><item>&lt;p&gt;x&lt;/p&gt;</item><item>a &nbsp; b &bogus; &amp;</item><item>tail</item></rss>"
        let bytes = Array(text.utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        let output = String(decoding: result.bytes, as: UTF8.self)
        for item in ["<item>tail</item>", "<item>a &nbsp; b &bogus; &amp;</item>", "<item>&lt;p&gt;x&lt;/p&gt;</item>"] {
            let inputRange = try #require(text.range(of: item))
            let inputStart = text.utf8.distance(from: text.startIndex, to: inputRange.lowerBound)
            let outputItem = item.hasSuffix("tail</item>") ? item : nil
            if let outputItem, let outputRange = output.range(of: outputItem) {
                let start = output.utf8.distance(from: output.startIndex, to: outputRange.lowerBound)
                let mapped = result.repair.log.inputRange(start..<(start + outputItem.utf8.count))
                #expect(mapped == inputStart..<(inputStart + item.utf8.count))
            }
        }
        // Every <item> start in the output maps onto an <item> start in the input.
        var searchFrom = output.startIndex
        while let found = output.range(of: "<item>", range: searchFrom..<output.endIndex) {
            let start = output.utf8.distance(from: output.startIndex, to: found.lowerBound)
            let input = result.repair.log.inputOffset(start)
            #expect(Array(bytes[input..<(input + 6)]) == Array("<item>".utf8))
            searchFrom = found.upperBound
        }
    }

    @Test func largeDocumentsAreHandedOnInPieces() throws {
        var text = "<rss><channel>"
        for index in 0..<20_000 { text += "<item><title>Пост &amp; \(index)</title><description>&lt;p&gt;x&lt;/p&gt;</description></item>" }
        text += "</channel></rss>"
        let bytes = Array(text.utf8)
        var pieces: [Int] = []
        var whole: [UInt8] = []
        try bytes.withUnsafeBufferPointer { input in
            var repair = XMLInputRepair(input)
            while try repair.next({ piece in pieces.append(piece.count); whole.append(contentsOf: piece) }) {}
        }
        #expect(pieces.count > 10)
        #expect(pieces.max()! < 2 * XMLInputRepair.chunkSize)
        let output = String(decoding: whole, as: UTF8.self)
        #expect(output.contains("<description><?cw-text?></description>"))
        #expect(output.hasSuffix("</channel></rss>"))
    }

    @Test func doctypeIsRemovedKeepingLines() throws {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss PUBLIC \"-//x//EN\"\n \"http://x/rss.dtd\" [\n<!ENTITY e \"v\">\n]>\n<rss>&e;</rss>"
        #expect(try Self.repaired(text) == "<?xml version=\"1.0\"?>\n\n\n\n\n<rss>v</rss>")
    }

    @Test func firstRepairOffsetPointsIntoTheOutput() throws {
        let bytes = Array("<r>&nbsp;&nbsp;<i>x & y</i></r>".utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        let output = result.bytes
        let offset = try #require(result.repair.log.firstRepairOffset)
        #expect(Array(output[offset..<(offset + 5)]) == Array("&amp;".utf8))
        #expect(result.repair.repairCount == 1)
    }
}

@testable import CampaignWatchCore
import Testing

@Suite struct XMLInputRepairTests {
    static func repaired(_ text: String) throws -> String {
        let bytes = Array(text.utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        return String(decoding: result.bytes ?? bytes, as: UTF8.self)
    }

    @Test func wellFormedInputIsNotCopied() throws {
        let bytes = Array("<rss><item><title>a &amp; b &lt; &#1046; &#x416;</title><![CDATA[ & < ]]><!-- & --></item></rss>".utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        #expect(result.bytes == nil)
        #expect(result.repairCount == 0)
    }

    @Test func repairs() throws {
        #expect(try Self.repaired("<t>a & b</t>") == "<t>a &amp; b</t>")
        #expect(try Self.repaired("<t>&nbsp;&laquo;</t>") == "<t>\u{A0}«</t>")
        #expect(try Self.repaired("<t>&LT; &quot</t>") == "<t>&#60; &#34;</t>")
        #expect(try Self.repaired("<t>&bogus;</t>") == "<t>&amp;bogus;</t>")
        #expect(try Self.repaired("<t>&#150;&#1;&#xD800;</t>") == "<t>&#8211;&#32;&#65533;</t>")
        #expect(try Self.repaired("<t>&#1046</t>") == "<t>&#1046;</t>")
        #expect(try Self.repaired("<t>1 < 2 <3 <=</t>") == "<t>1 &lt; 2 &lt;3 &lt;=</t>")
        #expect(try Self.repaired("<t>\u{1}\u{B}x</t>") == "<t>  x</t>")
        #expect(try Self.repaired("<t>\u{FFFE}</t>") == "<t>\u{FFFD}</t>")
        #expect(try Self.repaired("<a href=\"?x=1&y=2\"/>") == "<a href=\"?x=1&amp;y=2\"/>")
        #expect(try Self.repaired("<Ж>кириллица</Ж>") == "<Ж>кириллица</Ж>")
        #expect(try Self.repaired("<t>a <— b</t>") == "<t>a &lt;— b</t>")
    }

    @Test func doctypeIsRemovedKeepingLines() throws {
        let text = "<?xml version=\"1.0\"?>\n<!DOCTYPE rss PUBLIC \"-//x//EN\"\n \"http://x/rss.dtd\" [\n<!ENTITY e \"v\">\n]>\n<rss>&e;</rss>"
        #expect(try Self.repaired(text) == "<?xml version=\"1.0\"?>\n\n\n\n\n<rss>v</rss>")
    }

    @Test func firstRepairOffsetPointsIntoTheOutput() throws {
        let bytes = Array("<r>&nbsp;&nbsp;<i>x & y</i></r>".utf8)
        let result = try bytes.withUnsafeBufferPointer { try XMLInputRepair.run($0) }
        let output = try #require(result.bytes)
        let offset = try #require(result.firstRepairOffset)
        #expect(Array(output[offset..<(offset + 5)]) == Array("&amp;".utf8))
        #expect(result.repairCount == 1)
    }
}

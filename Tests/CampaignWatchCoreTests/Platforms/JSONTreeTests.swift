@testable import CampaignWatchCore
import Testing

@Suite struct JSONTreeTests {
    @Test func readsValuesAndTheirByteRanges() throws {
        let text = #"{"a": [1, -2.5e3, true, null], "b": {"c": "d"}, "e": "ü"}"#
        let bytes = Array(text.utf8)
        let root = try JSONTree.parse(bytes)
        #expect(root["a"]?.array?.count == 4)
        #expect(root["a"]?.array?[0].int == 1)
        #expect(root["a"]?.array?[1].scalarText == "-2.5e3")
        #expect(root["a"]?.array?[2].bool == true)
        #expect(root["a"]?.array?[3].isNull == true)
        #expect(root["b"]?["c"]?.string == "d")
        #expect(root["e"]?.string == "ü")
        let object = try #require(root["b"])
        #expect(String(decoding: bytes[object.span], as: UTF8.self) == #"{"c": "d"}"#)
        #expect(root.span == 0..<bytes.count)
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        let root = try JSONTree.parse(Array(#"["\"\\\/\b\f\n\r\t", "\u0416\ud83c\uddf0\ud83c\uddff", "\udc00x"]"#.utf8))
        let items = try #require(root.array)
        #expect(items[0].string == "\"\\/\u{08}\u{0C}\n\r\t")
        #expect(items[1].string == "Ж🇰🇿")
        #expect(items[2].string == "\u{FFFD}x")
    }

    @Test func replacesInvalidUTF8InsteadOfFailing() throws {
        let root = try JSONTree.parse([0x22, 0x61, 0xFF, 0x62, 0x22])
        #expect(root.string == "a\u{FFFD}b")
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, 1, 9, "expected a member name"),
        ("[1 2]", 1, 4, "expected ',' or ']'"),
        ("{\n\"a\": tru}", 2, 6, "expected a value"),
        (#"{"a": "x"#, 1, 7, "unterminated string"),
        ("[01]", 1, 2, "cannot start with 0"),
        (#"["a\qb"]"#, 1, 4, "invalid escape"),
        ("[1] x", 1, 5, "after the end"),
        ("", 1, 1, "end of input"),
    ])
    func saysWhereADocumentBreaks(input: String, line: Int, column: Int, reason: String) {
        do {
            _ = try JSONTree.parse(Array(input.utf8))
            Issue.record("parsed \(input)")
        } catch {
            #expect(error.line == line)
            #expect(error.column == column)
            #expect(error.reason.contains(reason))
        }
    }

    @Test func refusesHostileNesting() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        #expect(throws: JSONSyntaxError.self) { try JSONTree.parse(Array(deep.utf8)) }
        let fine = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        #expect(throws: Never.self) { try JSONTree.parse(Array(fine.utf8)) }
    }
}

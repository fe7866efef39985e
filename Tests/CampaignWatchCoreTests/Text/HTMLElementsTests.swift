@testable import CampaignWatchCore
import Testing

@Suite struct HTMLElementsTests {
    static func kind(_ name: String) -> HTMLElements.Kind {
        Array(name.utf8).withUnsafeBufferPointer { HTMLElements.kind($0) }
    }

    @Test func everyKnownElementHasItsKindInAnyCase() {
        let expected: [(String, HTMLElements.Kind)] = [
            ("script", .skip), ("STYLE", .skip), ("template", .skip), ("p", .block), ("Div", .block), ("blockquote", .block),
            ("h6", .block), ("option", .block), ("br", .lineBreak), ("BR", .lineBreak), ("td", .cell), ("th", .cell),
            ("img", .image), ("a", .anchor), ("A", .anchor), ("pre", .pre), ("plaintext", .pre), ("span", .inline),
            ("colgroup", .inline), ("param", .inline), ("b", .inline), ("i", .inline), ("u", .inline), ("s", .inline), ("q", .inline),
        ]
        for (name, kind) in expected { #expect(Self.kind(name) == kind, "\(name)") }
    }

    @Test func otherNamesAreUnknown() {
        for name in ["", "x", "para", "scripts", "dd2", "h7", "abcdefghijklmnopq", "\0", "\0\0", "бр", "figcaptionx", "ab", "c"] {
            #expect(Self.kind(name) == .unknown, "\(name)")
        }
    }
}

@testable import CampaignWatchCore
import Testing

@Suite struct MarkupTextTests {
    private func text(_ html: String) throws -> String {
        let document = try MarkupDocument.html(Array(html.utf8))
        return document.withRoot { root in root.map { MarkupTextRenderer().render($0) } ?? "" }
    }

    @Test func laysTextOutAsABrowserDoes() throws {
        #expect(try text("<p>One   two\n three</p><p>Four<br>five<br><br>six</p>") == "One two three\n\nFour\nfive\n\nsix")
        #expect(try text("<div>a</div><div> b </div>c<ul><li>d</li><li>e</li></ul>") == "a\nb\nc\n\nd\ne")
        #expect(try text("<b>bold</b> <i>it</i>&nbsp;<span>x</span>") == "bold it x")
        #expect(try text("<pre>  keep\n  this</pre>") == "keep\n  this")
        #expect(try text("a<script>var x = 1;</script><style>p{}</style><svg><text>no</text></svg>b") == "ab")
        #expect(try text("<img alt=\"😀\"> hi") == "😀 hi")
        #expect(try text("<tg-emoji emoji-id=\"1\"><i class=\"emoji\"><b>📱</b></i></tg-emoji> <a href=\"https://x\">Instagram</a>") == "📱 Instagram")
    }

    @Test func keepsMastodonsFullLinksAndHidesOnlyInvisibleParts() {
        let html = #"<p>See <a href="https://example.org/a/long/path" rel="nofollow noopener noreferrer"><span class="invisible">https://</span><span class="ellipsis">example.org/a/lo</span><span class="invisible">ng/path</span></a> and <span class="h-card"><a href="https://m.example/@x" class="u-url mention">@<span>x</span></a></span></p>"#
        #expect(MastodonContentText.plainText(fromHTML: html) == "See https://example.org/a/long/path and @x")
        #expect(MastodonContentText.plainText(fromHTML: "") == "")
    }

    @Test func emojiImagesAreNamedByTheirBytes() {
        #expect(TelegramMarkup.emoji(fromImageURL: "//telegram.org/img/emoji/40/F09F918D.png") == "👍")
        #expect(TelegramMarkup.emoji(fromImageURL: "//telegram.org/img/emoji/40/F09F87B0F09F87BF.png") == "🇰🇿")
        #expect(TelegramMarkup.emoji(fromImageURL: "//telegram.org/img/emoji/40/ZZ.png") == nil)
        #expect(TelegramMarkup.emoji(fromImageURL: "//telegram.org/img/emoji/40/FF.png") == nil)
    }

    @Test func readsBackgroundImagesAndFixesTheAmpersandQuirk() throws {
        #expect(TelegramMarkup.backgroundImage(in: "width:800px;background-image:url('https://cdn/x.jpg')") == "https://cdn/x.jpg")
        #expect(TelegramMarkup.backgroundImage(in: "\n  background-image: url(\"https://cdn/y.jpg\");\n") == "https://cdn/y.jpg")
        #expect(TelegramMarkup.backgroundImage(in: "background-image:url(https://cdn/z.jpg)") == "https://cdn/z.jpg")
        #expect(TelegramMarkup.backgroundImage(in: "color:red") == nil)
        #expect(TelegramMarkup.absolute("//telegram.org/img/a.png") == "https://telegram.org/img/a.png")
        #expect(TelegramMarkup.absolute("/s/x?before=3") == "https://t.me/s/x?before=3")
        #expect(TelegramMarkup.absolute("tg://resolve?domain=x") == nil)
        let document = try MarkupDocument.html(Array(#"<a href="https://x.example/?a=1&amp;amp;b=2" onclick="return confirm('Open this link?')">x</a><a href="https://y.example/?a=1&amp;b=2">y</a>"#.utf8))
        let hrefs = document.withRoot { root in root?.all(where: { $0.hasName("a") }).compactMap(TelegramMarkup.href(of:)) ?? [] }
        #expect(hrefs == ["https://x.example/?a=1&b=2", "https://y.example/?a=1&b=2"])
    }

    @Test func cutsElementsOutAsServed() {
        let html = #"<div class="w"><div data-post="c/1" class="m"><div>in<!-- </div> --><script>"</div>"</script></div></div><div data-post="c/2">two</div></div>"#
        let bytes = Array(html.utf8)
        let ranges = HTMLElementSlicer.ranges(in: bytes, keyedBy: "data-post")
        #expect(ranges["c/1"].map { String(decoding: bytes[$0], as: UTF8.self) } == #"<div data-post="c/1" class="m"><div>in<!-- </div> --><script>"</div>"</script></div></div>"#)
        #expect(ranges["c/2"].map { String(decoding: bytes[$0], as: UTF8.self) } == #"<div data-post="c/2">two</div>"#)
        let unclosed = Array(#"<div data-post="c/3"><div>never closed</div>"#.utf8)
        #expect(HTMLElementSlicer.ranges(in: unclosed, keyedBy: "data-post").isEmpty)
    }

    @Test func libxml2FailuresBecomeTypedErrors() {
        #expect(throws: MarkupError(message: "the document is empty")) { try MarkupDocument.html([]) }
        #expect(throws: MarkupError(message: "the document is empty")) { try MarkupDocument.xml([]) }
    }
}

@testable import CampaignWatchCore
import Testing

@Suite struct HTMLTextTests {
    @Test(arguments: [
        ("<p>Hello <b>world</b></p>", "Hello world"),
        ("<p>One</p><p>Two</p>", "One\nTwo"),
        ("a<br>b<br/>c<br />d", "a\nb\nc\nd"),
        ("a<br><br>b", "a\n\nb"),
        ("a<br><br><br><br>b", "a\n\nb"),
        ("<div><div><p>deep</p></div></div>after", "deep\nafter"),
        ("<h1>Title</h1>Body", "Title\nBody"),
        ("<ul><li>one</li><li>two</li></ul>", "one\ntwo"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("  lots   of \n\t whitespace  ", "lots of whitespace"),
        ("x&nbsp;&nbsp;y", "x y"),
        ("<script>alert('x')</script>visible<style>.a{}</style>", "visible"),
        ("<SCRIPT type=\"text/javascript\">if (a < b) { x = '</p>'; }</SCRIPT>after", "after"),
        ("<img src=\"a.png\" alt=\"A picture\">text", "A picture text"),
        ("<img alt='Fish &amp; chips'/>", "Fish & chips"),
        ("<img src=x>", ""),
        ("Fish &amp; chips &lt;3 &quot;q&quot; &#39;s&#x27;", "Fish & chips <3 \"q\" 's'"),
        ("&laquo;Выборы&raquo; &mdash; &hellip; &euro; &NotEqualTilde;", "«Выборы» — … € \u{2242}\u{338}"),
        ("&copy 2023 &amp &lt", "© 2023 & <"),
        ("&#150; &#x96; &#0; &#xD800; &#1114112;", "– – \u{FFFD} \u{FFFD} \u{FFFD}"),
        ("AT&T and &unknown; and a & b", "AT&T and &unknown; and a & b"),
        ("5 < 6 and 7 > 3", "5 < 6 and 7 > 3"),
        ("<!-- comment --> text <!-- another", "text"),
        ("<![CDATA[<p>inside</p>]]>", "inside"),
        ("<a href=\"/x\" title='a > b'>link</a> text", "link text"),
        ("<p class=a>unquoted</p>", "unquoted"),
        ("<pre>line 1\n  line 2</pre>", "line 1\nline 2"),
        ("<span>no</span><span>space</span>", "nospace"),
        ("&lt;p&gt;escaped once&lt;/p&gt;", "escaped once"),
        ("&amp;lt;p&amp;gt;escaped twice&amp;lt;/p&amp;gt;", "escaped twice"),
        ("Use &lt;b&gt; for bold", "Use for bold"),
        ("a &lt; b &amp;&amp; c", "a < b && c"),
        ("x &amp;amp; y", "x & y"),
        ("Ünïcödé and кириллица", "Ünïcödé and кириллица"),
        ("", ""),
        ("<p></p>", ""),
        ("text<", "text<"),
        ("<!DOCTYPE html><html><head><title>T</title></head><body><p>Body</p></body></html>", "T\nBody"),
        ("one two  three   four <b>five</b> six\nseven  ", "one two three four five six seven"),
        ("abcdefgh ijklmnop <p>q</p>", "abcdefgh ijklmnop\nq"),
        ("Длинные слова кириллицей  и  пробелы <br>перенос", "Длинные слова кириллицей и пробелы\nперенос"),
        ("x\u{A0}\u{A0}y  «кавычки» z", "x y «кавычки» z"),
    ])
    func plainText(html: String, expected: String) {
        #expect(HTMLText.plainText(html) == expected, "\(html)")
    }

    @Test func singleLine() {
        #expect(HTMLText.plainText("<p>One</p><p>Two<br>Three</p>", singleLine: true) == "One Two Three")
    }

    @Test func extractsLinksAndImagesResolved() {
        let extract = HTMLText.extract(
            "<p><a href=\"/post/1\">one</a> <a href=\"https://x.example/2\">two</a><img src=\"pic.jpg\" alt=\"pic\"></p>",
            baseURL: "https://site.example/blog/")
        #expect(extract.text == "one two pic")
        #expect(extract.links == ["https://site.example/post/1", "https://x.example/2"])
        #expect(extract.images == ["https://site.example/blog/pic.jpg"])
    }

    @Test func collapsingWhitespaceKeepsLines() {
        #expect(HTMLText.collapsingWhitespace("  a   b \n\n\n\n c\r\nd  ") == "a b\n\nc\nd")
        #expect(HTMLText.collapsingWhitespace("a\n b", singleLine: true) == "a b")
        #expect(HTMLText.collapsingWhitespace("<b>kept</b> &amp;") == "<b>kept</b> &amp;")
    }

    @Test func looksLikeHTML() {
        #expect(HTMLText.looksLikeHTML("<p>x</p>"))
        #expect(HTMLText.looksLikeHTML("a<br/>b"))
        #expect(HTMLText.looksLikeHTML("Fish &amp; chips"))
        #expect(HTMLText.looksLikeHTML("x &#8212; y"))
        #expect(!HTMLText.looksLikeHTML("x < y > z"))
        #expect(!HTMLText.looksLikeHTML("<unknown> tag"))
        #expect(!HTMLText.looksLikeHTML("AT&T"))
    }
}

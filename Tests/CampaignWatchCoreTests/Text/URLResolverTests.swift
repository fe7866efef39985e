@testable import CampaignWatchCore
import Testing

@Suite struct URLResolverTests {
    // RFC 3986 §5.4.1 normal examples, base http://a/b/c/d;p?q
    @Test(arguments: [
        ("g:h", "g:h"), ("g", "http://a/b/c/g"), ("./g", "http://a/b/c/g"), ("g/", "http://a/b/c/g/"),
        ("/g", "http://a/g"), ("//g", "http://g"), ("?y", "http://a/b/c/d;p?y"), ("g?y", "http://a/b/c/g?y"),
        ("#s", "http://a/b/c/d;p?q#s"), ("g#s", "http://a/b/c/g#s"), ("g?y#s", "http://a/b/c/g?y#s"),
        (";x", "http://a/b/c/;x"), ("g;x", "http://a/b/c/g;x"), ("", "http://a/b/c/d;p?q"),
        (".", "http://a/b/c/"), ("./", "http://a/b/c/"), ("..", "http://a/b/"), ("../", "http://a/b/"),
        ("../g", "http://a/b/g"), ("../..", "http://a/"), ("../../", "http://a/"), ("../../g", "http://a/g"),
        // Abnormal examples.
        ("../../../g", "http://a/g"), ("/./g", "http://a/g"), ("/../g", "http://a/g"), ("g.", "http://a/b/c/g."),
        (".g", "http://a/b/c/.g"), ("g..", "http://a/b/c/g.."), ("./../g", "http://a/b/g"), ("g/./h", "http://a/b/c/g/h"),
        ("g/../h", "http://a/b/c/h"),
    ])
    func rfc3986(reference: String, expected: String) {
        #expect(URLResolver.resolve(reference, against: "http://a/b/c/d;p?q") == expected)
    }

    @Test func feedCases() {
        #expect(URLResolver.resolve("  /news/1  ", against: "https://site.kz/feed.xml") == "https://site.kz/news/1")
        #expect(URLResolver.resolve("новости/1", against: "https://сайт.kz/блог/") == "https://сайт.kz/блог/новости/1")
        #expect(URLResolver.resolve("page", against: "https://host.example") == "https://host.example/page")
        #expect(URLResolver.resolve("relative", against: nil) == "relative")
        #expect(URLResolver.resolve("relative", against: "also/relative") == "relative")
        #expect(URLResolver.resolve("mailto:a@b.c", against: "https://x/") == "mailto:a@b.c")
        #expect(URLResolver.hasScheme("https://x"))
        #expect(!URLResolver.hasScheme("12:30 meeting"))
        #expect(!URLResolver.hasScheme("/path:x"))
    }
}

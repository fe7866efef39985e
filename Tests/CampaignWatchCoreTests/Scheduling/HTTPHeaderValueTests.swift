import CampaignWatchCore
import Foundation
import Testing

@Suite("HTTP dates, Retry-After and host keys")
struct HTTPHeaderValueTests {
    static let expected = Date(timeIntervalSince1970: 784_111_777)  // 1994-11-06T08:49:37Z

    @Test("all three HTTP date forms", arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "sun, 06 nov 1994 08:49:37 gmt",
    ])
    func httpDates(_ text: String) {
        #expect(HTTPDate.parse(text) == Self.expected)
    }

    @Test("malformed dates are nil", arguments: [
        "", "yesterday", "Sun, 32 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
        "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:49:37 GMT trailing",
    ])
    func badDates(_ text: String) {
        #expect(HTTPDate.parse(text) == nil)
    }

    @Test("formatting round-trips")
    func format() {
        #expect(HTTPDate.format(Self.expected) == "Sun, 06 Nov 1994 08:49:37 GMT")
        let now = Date(timeIntervalSince1970: 1_709_251_200)
        #expect(HTTPDate.parse(HTTPDate.format(now)) == now)
    }

    @Test("Retry-After: seconds or a date, else nil")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 784_111_000)
        #expect(RetryAfter(headerValue: "120") == .seconds(120))
        #expect(RetryAfter(headerValue: " 0 ") == .seconds(0))
        #expect(RetryAfter(headerValue: "Sun, 06 Nov 1994 08:49:37 GMT") == .date(Self.expected))
        #expect(RetryAfter(headerValue: "soon") == nil)
        #expect(RetryAfter(headerValue: "-5") == nil)
        #expect(RetryAfter.seconds(120).instant(after: now) == now.addingTimeInterval(120))
        #expect(RetryAfter.date(Self.expected).instant(after: now) == Self.expected)
        #expect(RetryAfter.date(now.addingTimeInterval(-60)).instant(after: now) == now)
        #expect(RetryAfter(headerValue: "99999999999999999999999") == .seconds(Int.max))
    }

    @Test("host keys", arguments: [
        ("https://t.me/s/channel", "t.me"),
        ("http://127.0.0.1:8080/s/x", "127.0.0.1:8080"),
        ("https://User:pw@Example.ORG/feed?x=1", "example.org"),
        ("https://rsshub.app?x=1", "rsshub.app"),
        ("https://[::1]:443/a", "[::1]:443"),
    ])
    func hostKeys(_ pair: (String, String)) {
        #expect(HostKey.of(pair.0) == pair.1)
    }
}

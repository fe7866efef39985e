@testable import CampaignWatchCore
import Foundation
import Testing

/// Real Cyrillic bytes in every encoding the region uses (fixtures made with Python's codecs by
/// scripts/generate-encoding-fixtures.py).
@Suite struct FeedEncodingTests {
    static let title = "Выборы в Мажилис: кандидат провёл встречу"
    static let russian = "Ёлки и палки, съешь же ещё этих мягких французских булок"
    static let ukrainian = "Їжак і ґава: Євген пише про вибори"

    @Test(arguments: [
        ("windows-1251.xml", "windows-1251"),
        ("koi8-r.xml", "koi8-r"),
        ("iso-8859-5.xml", "iso-8859-5"),
        ("cp866.xml", "ibm866"),
        ("utf-8.xml", "utf-8"),
        ("utf-8-bom.xml", "utf-8"),
        ("utf-16le-bom.xml", "utf-16le"),
        ("utf-16be-bom.xml", "utf-16be"),
        ("utf-16le-nobom.xml", "utf-16le"),
        ("utf-16be-nobom.xml", "utf-16be"),
        ("utf-32le-bom.xml", "utf-32le"),
        ("utf-32be-nobom.xml", "utf-32be"),
    ])
    func readsCyrillic(file: String, encoding: String) throws {
        let feed = try FeedFixtures.parse("encodings/\(file)")
        #expect(feed.encoding == encoding)
        #expect(feed.title == "Новости штаба")
        let post = try #require(feed.posts.first)
        #expect(post.title == Self.title)
        #expect(post.text == Self.russian)
        #expect(post.publishedAt?.utc == "2023-01-28T08:02:11Z")
        #expect(post.recovered == false)
        #expect(feed.warnings.isEmpty)
    }

    @Test func koi8uHasTheUkrainianLetters() throws {
        let feed = try FeedFixtures.parse("encodings/koi8-u.xml")
        #expect(feed.encoding == "koi8-u")
        #expect(feed.posts.first?.text == Self.ukrainian)
    }

    @Test func utf8DeclaredAsWindows1251ReadsAsUTF8() throws {
        let feed = try FeedFixtures.parse("encodings/utf-8-declared-windows-1251.xml")
        #expect(feed.encoding == "utf-8")
        #expect(feed.posts.first?.title == Self.title)
        #expect(feed.warnings.contains { $0.contains("says windows-1251 but the bytes are UTF-8") })
    }

    @Test func realMislabelledFeedFromTheWild() throws {
        let mislabelled = try FeedFixtures.parse("shared/ipstudiowiki_revisions.as-indexed-utf8.xml")
        let proper = try FeedFixtures.parse("shared/ipstudiowiki_revisions.windows-1251.xml")
        #expect(mislabelled.encoding == "utf-8")
        #expect(proper.encoding == "windows-1251")
        #expect(proper.title == "IpstudioWiki - НастройкаСкриптаПроверкиСостоянияRadiusа")
        #expect(mislabelled.title == proper.title)
        #expect(mislabelled.posts.map(\.text) == proper.posts.map(\.text))
        let text = try #require(proper.posts.first?.text)
        #expect(text.contains("Сравнение версий /Настройка Скрипта Проверки Состояния Radiusа за 2009-09-24 14:43:22"))
        #expect(text.contains("«billing/scripts/check.sh»"))
        #expect(!text.contains("&"))
        #expect(proper.posts.first?.url == "http://78.46.73.113/wiki/wakka.php?wakka=NastrojjkaSkriptaProverkiSostojanijaRadiusa/show&time=2009-09-24+14%3A43%3A22")
    }

    @Test func httpCharsetComesBeforeTheDeclaration() throws {
        // No declaration in the document; the server says koi8-r.
        let feed = try FeedFixtures.parse("encodings/koi8-r-undeclared.xml",
                                          source: FeedSource(contentType: "application/rss+xml; charset=\"KOI8-R\""))
        #expect(feed.encoding == "koi8-r")
        #expect(feed.posts.first?.title == Self.title)
        // The declaration says windows-1251; the server says koi8-r and is believed (the bytes are
        // not UTF-8, so nothing contradicts it).
        var bytes = try FeedFixtures.bytes("encodings/koi8-r.xml")
        let declared = Array("KOI8-R".utf8), replacement = Array("cp1251".utf8)
        if let range = bytes.firstRange(of: declared) { bytes.replaceSubrange(range, with: replacement) }
        let overridden = try FeedParser.parse(bytes, source: FeedSource(contentType: "text/xml; charset=koi8-r"))
        #expect(overridden.encoding == "koi8-r")
        #expect(overridden.posts.first?.title == Self.title)
    }

    @Test func byteOrderMarkOutranksTheHTTPCharset() throws {
        let feed = try FeedFixtures.parse("encodings/utf-16le-bom.xml", source: FeedSource(contentType: "text/xml; charset=iso-8859-1"))
        #expect(feed.encoding == "utf-16le")
        #expect(feed.posts.first?.title == Self.title)
    }

    @Test func undeclaredLegacyCyrillicIsRecognisedByItsLetters() throws {
        let feed = try FeedFixtures.parse("encodings/windows-1251-undeclared.xml")
        #expect(feed.encoding == "windows-1251")
        #expect(feed.posts.first?.text == Self.russian)
        #expect(feed.warnings.contains { $0.contains("read as windows-1251") })
        let koi = try FeedFixtures.parse("encodings/koi8-r-undeclared.xml")
        #expect(koi.encoding == "koi8-r")
        #expect(koi.posts.first?.title == Self.title)
    }

    @Test func invalidBytesBecomeReplacementCharacters() throws {
        let feed = try FeedFixtures.parse("encodings/utf-8-invalid-bytes.xml")
        #expect(feed.encoding == "utf-8")
        let post = try #require(feed.posts.first)
        #expect(post.text == "Ёлки и палки, съешь же ещё этих \u{FFFD}\u{FFFD} французских бу\u{FFFD}ок")
        #expect(post.recovered)
        #expect(feed.warnings.contains { $0.contains("3 byte sequence(s) not valid utf-8") })
    }

    @Test func invalidByteFarIntoAUTF8FeedIsRepairedWithoutRepeatingPosts() throws {
        // UTF-8 is read unchecked until libxml2 meets a bad byte; the document is then checked,
        // repaired and read again, and the posts already handed over are not handed over twice.
        var bytes = Array("<?xml version=\"1.0\" encoding=\"utf-8\"?><rss><channel>".utf8)
        for index in 0..<50 { bytes += Array("<item><guid>\(index)</guid><title>Пост \(index)</title></item>".utf8) }
        bytes += Array("<item><guid>bad</guid><title>Плохой ".utf8) + [0xFF] + Array(" байт</title></item>".utf8)
        bytes += Array("<item><guid>after</guid><title>После</title></item></channel></rss>".utf8)
        var delivered: [Post] = []
        let feed = try FeedParser.parse(bytes) { delivered.append($0) }
        #expect(delivered.map(\.id) == (0..<50).map(String.init) + ["bad", "after"])
        #expect(delivered[49].recovered == false)
        #expect(delivered[50].title == "Плохой \u{FFFD} байт")
        #expect(delivered[50].recovered)
        #expect(delivered[51].recovered)
        #expect(feed.encoding == "utf-8")
        #expect(feed.warnings.contains { $0.contains("1 byte sequence(s) not valid utf-8") })
    }

    @Test func invalidUTF8InsideCDATAIsReplaced() throws {
        var bytes = Array("<rss><channel><item><title>t</title><description><![CDATA[над ".utf8)
        bytes += [0xC0, 0xAF]  // an overlong '/', which libxml2 lets through in CDATA
        bytes += Array(" под]]></description></item></channel></rss>".utf8)
        let post = try #require(try FeedParser.parse(bytes).posts.first)
        #expect(post.text == "над \u{FFFD}\u{FFFD} под")
    }

    @Test func declaredEncodingIconvKnows() throws {
        // Greek in ISO-8859-7 has no built-in table: glibc's iconv reads it.
        var bytes = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-7\"?><rss><channel><item><title>".utf8)
        bytes += [0xC5, 0xEB, 0xEB, 0xDC, 0xE4, 0xE1]  // Ελλάδα
        bytes += Array("</title></item></channel></rss>".utf8)
        let feed = try FeedParser.parse(bytes)
        #expect(feed.encoding == "iso-8859-7")
        #expect(feed.posts.first?.title == "Ελλάδα")
    }

    @Test func unknownEncodingNameFallsBackToUTF8() throws {
        let feed = try FeedFixtures.parse(xml: "<?xml version=\"1.0\" encoding=\"x-no-such-thing\"?><rss><channel><item><title>Привет</title></item></channel></rss>")
        #expect(feed.posts.first?.title == "Привет")
        #expect(feed.encoding == "utf-8")
    }

    @Test func iso88591LabelReadsAsWindows1252() throws {
        var bytes = Array("<?xml version=\"1.0\" encoding=\"iso-8859-1\"?><rss><channel><item><title>".utf8)
        bytes += [0x93, 0x51, 0x94, 0x20, 0x96, 0x20, 0xE9]  // “Q” – é
        bytes += Array("</title></item></channel></rss>".utf8)
        let feed = try FeedParser.parse(bytes)
        #expect(feed.posts.first?.title == "“Q” – é")
    }
}

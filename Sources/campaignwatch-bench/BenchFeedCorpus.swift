import CampaignWatchCore

/// Generates large, realistic feeds for the parsing benchmark: Cyrillic and Latin posts with
/// HTML content (paragraphs, links, images with alt text, entities), in RSS 2.0, Atom 1.0 and
/// JSON Feed 1.1. Deterministic, so every run parses the same bytes.
struct BenchFeedCorpus {
    private var state: UInt64 = 0x9E37_79B9_7F4A_7C15

    private static let russian = """
        выборы кандидат партия голосование агитация избиратель программа встреча округ депутат \
        народ страна будущее поддержка реформа город область бюджет школа больница дорога работа \
        семья молодёжь пенсия налог закон право свобода честность команда победа голос участок
        """.split(separator: " ").map(String.init)
    private static let kazakh = """
        сайлау кандидат партия дауыс беру үгіт сайлаушы бағдарлама кездесу округ депутат халық \
        ел болашақ қолдау реформа қала облыс бюджет мектеп аурухана жол жұмыс отбасы жастар
        """.split(separator: " ").map(String.init)
    private static let english = """
        election candidate party vote campaign voter programme meeting district deputy people \
        country future support reform city region budget school hospital road work family youth \
        pension tax law right freedom honesty team victory voice polling station
        """.split(separator: " ").map(String.init)

    private mutating func next() -> UInt64 {
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        return state
    }

    private mutating func words(_ count: Int, from list: [String]) -> String {
        var result = [String]()
        result.reserveCapacity(count)
        for _ in 0..<count { result.append(list[Int(next() % UInt64(list.count))]) }
        return result.joined(separator: " ")
    }

    private mutating func vocabulary(_ index: Int) -> [String] {
        switch index % 3 {
        case 0: Self.russian
        case 1: Self.english
        default: Self.kazakh
        }
    }

    private mutating func html(_ index: Int, _ list: [String]) -> String {
        let first = words(45, from: list), second = words(60, from: list), third = words(40, from: list)
        return "<p>\(first) <a href=\"/posts/\(index)\">\(words(3, from: list))</a>&nbsp;— \(words(6, from: list)).</p>"
            + "<p><img src=\"/media/\(index).jpg\" alt=\"\(words(3, from: list))\"/> «\(second)» <strong>\(words(4, from: list))</strong>"
            + " &amp; <em>\(words(3, from: list))</em>.<br/>\(third)</p>"
            + "<ul><li>\(words(5, from: list))</li><li>\(words(5, from: list))</li></ul>"
    }

    private static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        for character in text.unicodeScalars {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private func dates(_ index: Int) -> (rfc822: String, rfc3339: String) {
        let seconds = 1_690_000_000 - index * 600
        let stamp = Timestamp.utc(.init(timeIntervalSince1970: Double(seconds)))
        let parts = stamp.split(separator: "T")
        let ymd = parts[0].split(separator: "-")
        let rfc822 = "\(ymd[2]) \(Self.months[Int(ymd[1])! - 1]) \(ymd[0]) \(parts[1].dropLast()) +0000"
        return (rfc822, stamp)
    }

    /// An RSS 2.0 document of about `bytes` bytes, and how many items it has.
    mutating func rss(bytes: Int) -> (document: [UInt8], items: Int) {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
            <channel><title>Кандидат — новости</title><link>https://candidate.example.kz/</link>
            <atom:link rel="self" href="https://candidate.example.kz/feed.xml"/><description>Новости кампании</description>

            """
        out.reserveCapacity(bytes + 8192)
        var items = 0
        while out.utf8.count < bytes {
            let list = vocabulary(items)
            let (rfc822, _) = dates(items)
            let content = html(items, list)
            out += "<item><title>\(words(8, from: list))</title><link>https://candidate.example.kz/posts/\(items)</link>"
                + "<guid isPermaLink=\"true\">https://candidate.example.kz/posts/\(items)</guid><pubDate>\(rfc822)</pubDate>"
                + "<dc:creator>\(words(2, from: list))</dc:creator><category>\(words(1, from: list))</category>"
                + "<description>\(Self.escape("<p>" + words(25, from: list) + "</p>"))</description>"
                + "<content:encoded><![CDATA[\(content)]]></content:encoded>"
                + "<enclosure url=\"https://candidate.example.kz/media/\(items).jpg\" type=\"image/jpeg\" length=\"24000\"/></item>\n"
            items += 1
        }
        out += "</channel></rss>\n"
        return (Array(out.utf8), items)
    }

    /// An Atom 1.0 document of about `bytes` bytes, and how many entries it has.
    mutating func atom(bytes: Int) -> (document: [UInt8], items: Int) {
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom" xmlns:media="http://search.yahoo.com/mrss/" xml:base="https://candidate.example.kz/">
            <title>Кандидат — новости</title><link rel="alternate" type="text/html" href="/"/><id>tag:candidate.example.kz,2023:feed</id>
            <updated>2023-07-22T04:26:40Z</updated><author><name>Штаб кандидата</name></author>

            """
        out.reserveCapacity(bytes + 8192)
        var items = 0
        while out.utf8.count < bytes {
            let list = vocabulary(items)
            let (_, rfc3339) = dates(items)
            let content = html(items, list)
            out += "<entry><id>tag:candidate.example.kz,2023:post-\(items)</id><title type=\"text\">\(words(8, from: list))</title>"
                + "<link rel=\"alternate\" type=\"text/html\" href=\"/posts/\(items)\"/><published>\(rfc3339)</published>"
                + "<updated>\(rfc3339)</updated><author><name>\(words(2, from: list))</name></author>"
                + "<category term=\"\(words(1, from: list))\"/><summary type=\"text\">\(words(25, from: list))</summary>"
                + "<content type=\"html\">\(Self.escape(content))</content>"
                + "<media:thumbnail url=\"/media/\(items).jpg\"/></entry>\n"
            items += 1
        }
        out += "</feed>\n"
        return (Array(out.utf8), items)
    }

    /// A JSON Feed 1.1 document of about `bytes` bytes, and how many items it has.
    mutating func jsonFeed(bytes: Int) -> (document: [UInt8], items: Int) {
        var out = "{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Кандидат — новости\","
            + "\"home_page_url\":\"https://candidate.example.kz/\",\"items\":[\n"
        out.reserveCapacity(bytes + 8192)
        var items = 0
        while out.utf8.count < bytes {
            let list = vocabulary(items)
            let (_, rfc3339) = dates(items)
            var item: [UInt8] = []
            if items > 0 { item.append(contentsOf: ",\n".utf8) }
            item.append(contentsOf: "{\"id\":\"post-\(items)\",\"url\":\"https://candidate.example.kz/posts/\(items)\",\"title\":".utf8)
            JSONText.appendString(words(8, from: list), to: &item)
            item.append(contentsOf: ",\"content_html\":".utf8)
            JSONText.appendString(html(items, list), to: &item)
            item.append(contentsOf: ",\"date_published\":\"\(rfc3339)\",\"authors\":[{\"name\":".utf8)
            JSONText.appendString(words(2, from: list), to: &item)
            item.append(contentsOf: "}],\"tags\":[".utf8)
            JSONText.appendString(words(1, from: list), to: &item)
            item.append(contentsOf: "],\"image\":\"https://candidate.example.kz/media/\(items).jpg\"}".utf8)
            out += String(decoding: item, as: UTF8.self)
            items += 1
        }
        out += "\n]}\n"
        return (Array(out.utf8), items)
    }
}

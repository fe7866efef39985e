@testable import CampaignWatchCore
import Foundation
import Testing

@Suite struct AlertMailTests {
    func alerts() -> [Alert] {
        let seen = JudgeFixtures.utc("2023-02-20T10:15:01Z")
        let post = JudgeFixtures.post(published: JudgeFixtures.utc("2023-01-28T14:02:11Z"))
        let input = JudgeInput(post: post, account: JudgeFixtures.omarovaTelegram, subject: JudgeFixtures.temirov,
                               firstSeenAt: seen, matches: JudgeFixtures.allMatches)
        let violations = Judge.alerts(for: input, configuration: JudgeFixtures.configuration, now: seen + 1)
        var edited = post
        edited.text = "Дорогие друзья! Приходите на выборы."
        let edit = Judge.alerts(for: JudgeInput(
            post: edited, account: JudgeFixtures.omarovaTelegram, subject: JudgeFixtures.temirov, firstSeenAt: seen,
            versionSeenAt: seen + 3600, matches: [],
            event: .changed(previous: Alert.PreviousVersion(text: post.text, contentSHA256: PostContentHash.sha256(of: post), observedAt: seen),
                            priorAlerts: violations.map { PriorAlert(electionID: $0.election.id, alertID: $0.id) })),
            configuration: JudgeFixtures.configuration, now: seen + 3601)
        let deletion = Judge.alerts(for: JudgeInput(
            post: edited, account: JudgeFixtures.omarovaTelegram, subject: JudgeFixtures.temirov, firstSeenAt: seen,
            matches: [], event: .gone(deletedAt: seen + 7200, priorAlerts: violations.map { PriorAlert(electionID: $0.election.id, alertID: $0.id) })),
            configuration: JudgeFixtures.configuration, now: seen + 7201)
        return violations + edit + deletion
    }

    @Test func everyKindDecodesBackToTheSameAlert() throws {
        let all = alerts()
        #expect(Set(all.map(\.kind)) == [.violation, .edit, .deletion])
        for alert in all {
            JudgeFixtures.checked(alert)
            let decoded = try Alert(json: alert.jsonBytes())
            #expect(decoded == alert)
            #expect(decoded.jsonBytes() == alert.jsonBytes())
        }
    }

    @Test func decodingNamesTheBrokenMember() throws {
        let alert = try #require(alerts().first)
        let broken = alert.json().replacingOccurrences(of: "\"observed_at\"", with: "\"seen_at\"")
        #expect(throws: Alert.DecodingError.self) { try Alert(json: Array(broken.utf8)) }
        do {
            _ = try Alert(json: Array(broken.utf8))
        } catch {
            #expect(error.description.contains("post.observed_at"))
        }
    }

    @Test func theMessageHasTheContractHeadersAndTheJSONAttached() throws {
        let alert = try #require(alerts().first)
        let text = String(decoding: AlertMail.render(alert, hostname: "monitor.example"), as: UTF8.self)
        let parts = text.components(separatedBy: "\r\n\r\n")
        let headers = parts[0]
        #expect(headers.contains("Date: Mon, 20 Feb 2023 10:15:02 +0000"))
        #expect(headers.contains("Message-ID: <\(alert.id)@campaignwatch.monitor.example>"))
        #expect(headers.contains("MIME-Version: 1.0"))
        // The subject is UTF-8 in RFC 2047 encoded words: decode and compare with the summary.
        let subjectLines = headers.components(separatedBy: "\r\n").drop { !$0.hasPrefix("Subject: ") }
            .prefix { $0.hasPrefix("Subject: ") || $0.hasPrefix(" ") }
        #expect(subjectLines.allSatisfy { $0.count <= 78 })
        let decoded = subjectLines.joined().replacingOccurrences(of: "Subject: ", with: "")
            .components(separatedBy: " ").map { word -> String in
                let payload = word.replacingOccurrences(of: "=?UTF-8?B?", with: "").replacingOccurrences(of: "?=", with: "")
                return String(decoding: Data(base64Encoded: payload) ?? Data(), as: UTF8.self)
            }.joined()
        #expect(decoded == alert.summary)
        #expect(decoded.hasPrefix("[campaignwatch] Aibek Temirov: pre-campaign — "))

        #expect(text.contains("Голосуйте за нас"), "the body is readable 8-bit UTF-8")
        #expect(text.contains("Content-Disposition: attachment; filename=\"alert.json\""))
        let attachment = try #require(text.components(separatedBy: "Content-Transfer-Encoding: base64\r\n\r\n").last?
            .components(separatedBy: "\r\n--").first)
        let json = try #require(Data(base64Encoded: attachment.replacingOccurrences(of: "\r\n", with: "")))
        #expect([UInt8](json) == alert.jsonBytes())
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 998 })
    }

    @Test func editsAndDeletionsSayWhatHappenedAndReferToTheFirstAlert() throws {
        let all = alerts()
        let edit = try #require(all.first { $0.kind == .edit })
        let editText = String(decoding: AlertMail.render(edit), as: UTF8.self)
        #expect(editText.contains("Before the edit"))
        #expect(editText.contains("References: <\(try #require(edit.refersTo))@campaignwatch.localhost>"))
        let deletion = try #require(all.first { $0.kind == .deletion })
        #expect(String(decoding: AlertMail.render(deletion), as: UTF8.self).contains("absence confirmed"))
    }

    @Test func timestampsParseWhatTheyRender() {
        for seconds in [0.0, 1_674_914_531, 1_674_914_531.25, -86_401, 951_782_400] {
            let date = Date(timeIntervalSince1970: seconds)
            #expect(Timestamp.parse(Timestamp.utc(date)) == date)
            #expect(Timestamp.parse(Timestamp.local(date, in: JudgeFixtures.almaty)) == date)
        }
        for bad in ["2023-01-28", "2023-01-28T14:02:11", "2023-13-01T00:00:00Z", "2023-01-28T14:02:11+0600", "x"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct PostContentHashTests {
    @Test func whiteSpaceAndCompositionAreNotEdits() {
        let a = Post(id: "1", text: "Голосуйте\n\nза нас ", media: [])
        let b = Post(id: "1", text: "  Голосуйте за   нас")
        #expect(PostContentHash.sha256(of: a) == PostContentHash.sha256(of: b))
        let composed = Post(id: "1", text: "Ә\u{301}")
        let decomposed = Post(id: "1", text: "Ә\u{301}".decomposedStringWithCanonicalMapping)
        #expect(PostContentHash.sha256(of: composed) == PostContentHash.sha256(of: decomposed))
        #expect(PostContentHash.sha256(of: a) != PostContentHash.sha256(of: Post(id: "1", text: "Голосуйте за них")))
    }

    @Test func mediaCountsByStableIdentity() {
        let signed1 = Post(id: "1", text: "x", media: ["https://cdn4.telesco.pe/file/AAAA.jpg"])
        let signed2 = Post(id: "1", text: "x", media: ["https://cdn1.telegram-cdn.org/file/BBBB.jpg"])
        #expect(PostContentHash.sha256(of: signed1) == PostContentHash.sha256(of: signed2))
        let video = Post(id: "1", text: "x", media: ["https://cdn4.telesco.pe/file/CCCC.mp4"])
        #expect(PostContentHash.sha256(of: signed1) != PostContentHash.sha256(of: video))
        let tokenA = Post(id: "1", text: "x", media: ["https://video.example.org/v.mp4?token=1"])
        let tokenB = Post(id: "1", text: "x", media: ["https://video.example.org/v.mp4?token=2"])
        #expect(PostContentHash.sha256(of: tokenA) == PostContentHash.sha256(of: tokenB))
        let other = Post(id: "1", text: "x", media: ["https://video.example.org/w.mp4"])
        #expect(PostContentHash.sha256(of: tokenA) != PostContentHash.sha256(of: other))
        #expect(PostContentHash.sha256(of: signed1) != PostContentHash.sha256(of: Post(id: "1", text: "x")))
    }
}

@Suite struct ContentNormalisationTests {
    @Test func composesOnlyWhereNeededAndAgreesWithFoundation() {
        let samples = ["Голосуйте за нас", "plain ascii", "Қазақстан үшін", "e\u{301}lection", "Ә\u{301}", "й", "и\u{306}",
                       "Ҷ\u{483}", "한국어", "ﬁ ligature", "Tab\tand\u{2003}em\u{00A0}space"]
        for sample in samples {
            let fast = PostContentHash.normalised(sample)
            let reference = sample.precomposedStringWithCanonicalMapping.split(whereSeparator: \.isWhitespace).joined(separator: " ")
            #expect(fast == reference, "\(sample.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(!PostContentHash.needsComposition("Голосуйте за нас, друзья!"))
        #expect(PostContentHash.needsComposition("и\u{306}"))
    }
}

@Suite struct SnippetHighlightTests {
    @Test func bracketsEveryTermInOneSnippet() {
        let text = "Дорогие друзья! Голосуйте за нас 19 марта, поддержите нашу команду."
        let scalars = Array(text.unicodeScalars)
        func range(_ word: String) -> Range<Int> {
            let target = Array(word.unicodeScalars)
            let start = (0...(scalars.count - target.count)).first { Array(scalars[$0..<($0 + target.count)]) == target }!
            return start..<(start + target.count)
        }
        #expect(Snippet.highlighted(text, ranges: [range("поддержите"), range("Голосуйте")], context: 100)
                == "Дорогие друзья! [Голосуйте] за нас 19 марта, [поддержите] нашу команду.")
        #expect(Snippet.highlighted(text, ranges: [range("Голосуйте"), range("Голосуйте за")], context: 0) == "…[Голосуйте за]…")
        #expect(Snippet.highlighted(text, ranges: [range("нас")], context: 8) == "…за [нас] 19…")
    }
}

@Suite struct AlertAdditionsTests {
    @Test func titleTermsTakeTheirSnippetFromTheTitleAndTheAccountShowsItsPublicAddress() throws {
        var post = JudgeFixtures.post(published: JudgeFixtures.utc("2023-01-28T14:02:11Z"), text: "Видео о встрече")
        post.title = "Голосуйте за нас!"
        post.declaredAt = JudgeFixtures.utc("2022-12-01T00:00:00Z")
        var account = JudgeFixtures.omarovaTelegram
        account.url = "http://127.0.0.1:8080/t.me/s/asel_omarova_kz"
        let input = JudgeInput(post: post, account: account, subject: JudgeFixtures.omarova,
                               firstSeenAt: JudgeFixtures.utc("2023-02-20T10:15:01Z"),
                               matches: [RuleMatch(rule: "call-to-vote-ru", terms: [TermMatch(term: "голосуй*", start: 0, end: 9, field: .title)])])
        let alert = try #require(Judge.alerts(for: input, configuration: JudgeFixtures.configuration,
                                              now: JudgeFixtures.utc("2023-02-20T10:15:02Z")).first)
        JudgeFixtures.checked(alert)
        #expect(alert.account.url == "https://t.me/s/asel_omarova_kz", "the fetch address stays out of the alert")
        #expect(alert.matches.first?.terms.first?.field == .title)
        #expect(alert.matches.first?.terms.first?.snippet == "Голосуйте за нас!")
        #expect(alert.post.declaredAt == post.declaredAt)
        #expect(try Alert(json: alert.jsonBytes()) == alert)
    }

    @Test func publicAddressesPerPlatform() {
        func url(_ platform: Platform, _ handle: String) -> String {
            Account(platform: platform, handle: handle, url: "http://fetch.example/").publicURL
        }
        #expect(url(.bluesky, "omarova.example.org") == "https://bsky.app/profile/omarova.example.org")
        #expect(url(.mastodon, "@asel@social.example.org") == "https://social.example.org/@asel")
        #expect(url(.youtube, "UCq3Yx8mZrT0bN2vKcL5aPwE") == "https://www.youtube.com/channel/UCq3Yx8mZrT0bN2vKcL5aPwE")
        #expect(url(.rss, "https://example.org/feed.xml") == "https://example.org/feed.xml")
    }
}

extension SnippetHighlightTests {
    @Test func wordsOfOnePhraseShareOneHighlight() {
        let text = "Голосуйте за нас"
        #expect(Snippet.highlighted(text, ranges: [0..<9, 10..<12], context: 40) == "[Голосуйте за] нас")
    }
}

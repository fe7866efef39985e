import CampaignWatchCore
import Foundation
import Testing

@Suite struct MastodonStatusParserTests {
    private func statuses(_ options: PlatformOptions = PlatformOptions(), response: PlatformHTTPResponse? = nil) throws -> PlatformPage {
        try MastodonStatusParser.parse(
            PlatformFixtures.bytes("mastodon/handmade_statuses.json"),
            context: PlatformContext(account: "@aday@mastodon.example.kz", response: response, options: options))
    }

    private func post(_ page: PlatformPage, _ number: String) throws -> Post {
        try #require(page.posts.first { $0.id == "https://mastodon.example.kz/@aday/\(number)" }, "no status \(number)")
    }

    // MARK: The real status

    @Test func readsTheRealEditedStatus() throws {
        for file in ["mastodon/status_edited_with_media.json", "mastodon/statuses_real_item.json"] {
            let page = try MastodonStatusParser.parse(PlatformFixtures.bytes(file))
            let post = try #require(page.posts.first)
            #expect(page.posts.count == 1)
            #expect(post.id == "https://mastodon.design/@wgivensiv/111175608994522310")
            #expect(post.url == "https://mastodon.design/@wgivensiv/111175608994522310")
            #expect(post.text == """
                Making some refinements to the business/activity screens this week; they needed a hierarchy overhaul.

                Aside from removing the logo (which I’m doing everywhere) and making some icon tweaks, I removed the breadcrumbs, and moved the hero image to the top.

                The category tag and review rating now have the same level of visual importance, and the Add button is better placed.
                """)
            #expect(post.author == "Will Givens (@wgivensiv)")
            #expect(post.publishedAt == PlatformFixtures.date("2023-10-04T07:39:26.540Z"))
            #expect(post.edited == true)
            #expect(post.editedAt == PlatformFixtures.date("2023-10-04T21:03:02.507Z"))
            #expect(post.updatedAt == post.editedAt)
            #expect(post.media == ["https://cdn.masto.host/mastodondesign/media_attachments/files/111/178/768/501/903/566/original/30851ca1e3b0fb5c.png"])
            #expect(post.tags.isEmpty)
            let raw = String(decoding: try #require(post.raw), as: UTF8.self)
            #expect(raw.hasPrefix("{\n    \"id\": \"111175608994522310\""))
            #expect(raw.hasSuffix("\"poll\": null\n}"))
        }
        let array = try MastodonStatusParser.parse(PlatformFixtures.bytes("mastodon/statuses_real_item.json"))
        #expect(array.next == .mastodonMaxID("111175608994522310"))
        let single = try MastodonStatusParser.parse(PlatformFixtures.bytes("mastodon/status_edited_with_media.json"))
        #expect(single.next == nil)
    }

    @Test func theRealStatusIsASelfThreadReply() throws {
        let bytes = try PlatformFixtures.bytes("mastodon/statuses_real_item.json")
        let own = try MastodonStatusParser.parse(bytes, context: PlatformContext(options: PlatformOptions(replies: .ownThreads)))
        #expect(own.posts.count == 1)
        let none = try MastodonStatusParser.parse(bytes, context: PlatformContext(options: PlatformOptions(replies: .none)))
        #expect(none.posts.isEmpty)
        #expect(none.skipped.map(\.reason) == [.reply])
    }

    // MARK: A whole statuses array

    @Test func readsContentWarningLinksTagsAndDescriptions() throws {
        let post = try post(try statuses(), "112345678901234505")
        #expect(post.text == """
            Сайлау үгіті

            Құрметті сайлаушылар! @aiman бізбен бірге.

            Бағдарлама: https://saylau.example.kz/bagdarlama/2024/tolyq-matin
            Дауыс беріңіздер!

            #сайлау #Almaty

            Плакат: Голосуйте 20 октября
            """)
        #expect(post.tags == ["сайлау", "almaty"])
        #expect(post.edited == true)
        #expect(post.editedAt == PlatformFixtures.date("2024-10-11T09:15:30.250Z"))
        #expect(post.media == ["https://files.mastodon.example.kz/media_attachments/files/113/000/original/113000000000000001.png"])
        #expect(post.author == "Айбек Сейітов (@aday)")
        #expect(post.publishedAt == PlatformFixtures.date("2024-10-11T08:00:00.000Z"))
    }

    @Test func readsPollOptionsAndLeavesThePreviewCardOut() throws {
        let page = try statuses()
        #expect(try post(page, "112345678901234504").text == "Қай кездесуге келесіз?\n\nАлматы\nАстана")
        let withCard = try post(page, "112345678901234501")
        #expect(withCard.text == "1/2 Бүгін Алматыда кездесу: https://aday.example.kz/kezdesu")
        #expect(!withCard.text.contains("CARD"))
        #expect(withCard.media == ["https://cdn.other.example/videos/kezdesu.mp4"])
        #expect(withCard.edited == false)
    }

    @Test func skipsReblogsAndPagesFromTheLastID() throws {
        let page = try statuses()
        #expect(page.posts.count == 5)
        #expect(page.itemCount == 6)
        #expect(page.skipped.map(\.reason) == [.repost])
        #expect(page.next == .mastodonMaxID("112345678901234500"))
        #expect(page.accountName == "Айбек Сейітов")
    }

    @Test func pagesFromTheLinkHeaderWhenThereIsOne() throws {
        let link = "<https://mastodon.example.kz/api/v1/accounts/109876543210987654/statuses?exclude_reblogs=true&max_id=112345678901234499>; rel=\"next\", "
            + "<https://mastodon.example.kz/api/v1/accounts/109876543210987654/statuses?min_id=112345678901234505>; rel=\"prev\""
        let page = try statuses(response: PlatformHTTPResponse(status: 200, headers: ["Link": link]))
        #expect(page.next == .mastodonMaxID("112345678901234499"))
    }

    @Test func replyOptions() throws {
        let own = try statuses(PlatformOptions(replies: .ownThreads))
        #expect(own.posts.contains { $0.id.hasSuffix("112345678901234502") })
        #expect(!own.posts.contains { $0.id.hasSuffix("112345678901234503") })
        let none = try statuses(PlatformOptions(replies: .none))
        #expect(none.posts.count == 3)
        #expect(none.skipped.filter { $0.reason == .reply }.count == 2)
    }

    @Test func keepsReblogsWhenAsked() throws {
        let page = try statuses(PlatformOptions(includeReposts: true))
        #expect(page.posts.count == 6)
        let reblog = try #require(page.posts.last)
        #expect(reblog.id == "https://mastodon.example.kz/users/aday/statuses/112345678901234500/activity")
        #expect(reblog.text == "Кандидаттар тізімі жарияланды.")
        #expect(reblog.forwardedFrom == "Журналист (@journalist@other.example) (https://other.example/@journalist/112345000000000009)")
        #expect(reblog.author == "Айбек Сейітов (@aday)")
    }

    // MARK: Account lookup

    @Test func readsTheAccountLookup() throws {
        let account = try MastodonAccountLookup.parse(PlatformFixtures.bytes("mastodon/handmade_lookup.json"))
        #expect(account.id == "109876543210987654")
        #expect(account.username == "aday")
        #expect(account.displayName == "Айбек Сейітов")
        #expect(account.movedTo == nil)
        let statusesInstead = try #require(throws: PlatformParseError.self) {
            try MastodonStatusParser.parse(PlatformFixtures.bytes("mastodon/handmade_lookup.json"))
        }
        #expect(statusesInstead.kind == .layoutChanged)
        #expect(statusesInstead.message.contains("lookup"))
    }

    @Test func aSuspendedOrMovedAccount() throws {
        let suspended = try #require(throws: PlatformParseError.self) {
            try MastodonAccountLookup.parse(Array(#"{"id":"1","username":"x","acct":"x","suspended":true}"#.utf8))
        }
        #expect(suspended.kind == .accountNotFound)
        let moved = try MastodonAccountLookup.parse(Array(#"{"id":"1","username":"x","acct":"x","moved":{"id":"2","username":"y","acct":"y@new.example","url":"https://new.example/@y"}}"#.utf8))
        #expect(moved.movedTo == "https://new.example/@y")
    }

    // MARK: Errors

    @Test func recordNotFoundIsAccountNotFound() throws {
        let bytes = try PlatformFixtures.bytes("mastodon/handmade_record_not_found.json")
        let context = PlatformContext(account: "@nobody@mastodon.example.kz", response: PlatformHTTPResponse(status: 404))
        let error = try #require(throws: PlatformParseError.self) { try MastodonAccountLookup.parse(bytes, context: context) }
        #expect(error.kind == .accountNotFound)
        #expect(error.message.contains("@nobody@mastodon.example.kz"))
        #expect(MastodonRSSFallback.applies(status: 404, body: bytes) == false)
        #expect(MastodonRSSFallback.applies(to: error) == false)
    }

    @Test func aRefusalWithoutTokenFallsBackToRSS() throws {
        let bytes = try PlatformFixtures.bytes("mastodon/handmade_auth_required.json")
        let error = try #require(throws: PlatformParseError.self) {
            try MastodonStatusParser.parse(bytes, context: PlatformContext(response: PlatformHTTPResponse(status: 401)))
        }
        #expect(error.kind == .authenticationRequired)
        #expect(MastodonRSSFallback.applies(to: error))
        #expect(MastodonRSSFallback.applies(status: 401, body: bytes))
        #expect(MastodonRSSFallback.applies(status: 422, body: bytes))
        #expect(MastodonRSSFallback.applies(status: 403, body: Array("<html>Forbidden</html>".utf8)))
        #expect(MastodonRSSFallback.applies(status: 404, body: Array("<html>Not Found</html>".utf8)))
        #expect(MastodonRSSFallback.applies(status: 429, body: Array(#"{"error":"Too many requests"}"#.utf8)) == false)
        #expect(MastodonRSSFallback.applies(status: 503, body: Array("<html>Down</html>".utf8)) == false)
        let fromFile = try #require(throws: PlatformParseError.self) { try MastodonStatusParser.parse(bytes) }
        #expect(fromFile.kind == .authenticationRequired)
    }

    @Test func tooManyRequestsIsARateLimit() throws {
        let bytes = try PlatformFixtures.bytes("mastodon/handmade_rate_limited.json")
        let received = PlatformFixtures.date("2024-10-11T08:00:00Z")
        let response = PlatformHTTPResponse(status: 429, headers: ["X-RateLimit-Reset": "2024-10-11T08:05:00.000Z"], receivedAt: received)
        let error = try #require(throws: PlatformParseError.self) {
            try MastodonStatusParser.parse(bytes, context: PlatformContext(response: response))
        }
        #expect(error.kind == .rateLimited(retryAfter: 300))
        let bodyOnly = try #require(throws: PlatformParseError.self) { try MastodonStatusParser.parse(bytes) }
        #expect(bodyOnly.isRateLimit)
    }

    @Test func malformedJSONSaysWhere() throws {
        let error = try #require(throws: PlatformParseError.self) {
            try MastodonStatusParser.parse(PlatformFixtures.bytes("mastodon/handmade_malformed_statuses.json"))
        }
        #expect(error.kind == .malformedDocument)
        let position = try #require(error.jsonError)
        #expect(position.line == 3)
        #expect(position.column == 45)
        #expect(error.message.contains("line 3, column 45"))
        #expect(error.message.contains("expected ',' or '}'"))
    }

    @Test func anEmptyArrayIsNoError() throws {
        let page = try MastodonStatusParser.parse(PlatformFixtures.bytes("mastodon/handmade_empty_statuses.json"))
        #expect(page.posts.isEmpty)
        #expect(page.empty == .noPosts)
        #expect(page.next == nil)
    }

    @Test func anErrorPageThatIsNotJSON() throws {
        let error = try #require(throws: PlatformParseError.self) {
            try MastodonStatusParser.parse(Array("<html><body>Bad gateway</body></html>".utf8),
                                           context: PlatformContext(response: PlatformHTTPResponse(status: 502)))
        }
        #expect(error.kind == .platformError(status: 502))
        #expect(error.message.contains("Bad gateway"))
    }
}

import CampaignWatchCore
import Foundation
import Testing

@Suite struct TelegramPreviewParserTests {
    private func parse(_ name: String, context: PlatformContext = PlatformContext(account: "aday_demo_kz")) throws -> PlatformPage {
        try TelegramPreviewParser.parse(PlatformFixtures.bytes("telegram/" + name), context: context)
    }

    private func post(_ page: PlatformPage, _ id: String) throws -> Post {
        try #require(page.posts.first { $0.id == id }, "no post \(id) in \(page.posts.map(\.id))")
    }

    // MARK: Real message blocks (tchan, 2023)

    @Test func readsAMultilineTextMessage() throws {
        let page = try parse("tchan_msg62_text_multiline.html", context: PlatformContext(account: "tchantest"))
        #expect(page.posts.count == 1)
        let post = try #require(page.posts.first)
        #expect(post.id == "tchantest/62")
        #expect(post.url == "https://t.me/tchantest/62")
        #expect(post.title == nil)
        #expect(post.text == "Bigger\ntext\nmessage\nnumber\n34")
        #expect(post.author == "tchan's test channel 👍")
        #expect(post.publishedAt == PlatformFixtures.date("2023-02-24T08:01:26Z"))
        #expect(post.edited == false)
        #expect(post.media.isEmpty)
        #expect(post.forwardedFrom == nil)
    }

    @Test func readsThe2023EditedMark() throws {
        let post = try #require(try parse("tchan_msg24_edited_link.html").posts.first)
        #expect(post.id == "tchantest/24")
        #expect(post.edited == true)
        #expect(post.editedAt == nil)
        #expect(post.text == "This is a message with a link\n\nhttps://brasil.io/")
        #expect(post.publishedAt == PlatformFixtures.date("2023-02-24T07:48:02Z"))
    }

    @Test func readsTheSignerBesideTheChannel() throws {
        let post = try #require(try parse("tchan_msg79_signed_author.html").posts.first)
        #expect(post.author == "tchan's test channel 👍 (Álvaro Justen)")
        #expect(post.text == "Signed and not edited")
        #expect(post.edited == false)
    }

    @Test func readsWhereAForwardCameFrom() throws {
        let post = try #require(try parse("tchan_msg89_forwarded.html").posts.first)
        #expect(post.forwardedFrom == "Some user (https://t.me/some_user)")
        #expect(post.text == ";)")
        #expect(post.author == "tchan's test channel 👍")
    }

    @Test func leavesTheLinkPreviewOutOfTextAndMedia() throws {
        let post = try #require(try parse("tchan_msg94_link_preview_image.html").posts.first)
        #expect(post.text == "https://agenciabrasil.ebc.com.br/justica/noticia/2022-08/operacao-guardioes-do-bioma-apreende-239-toneladas-de-minerio")
        #expect(post.media.isEmpty)
        #expect(!post.text.contains("Agência Brasil"))
    }

    @Test func keepsTheMessageBlockAsServed() throws {
        let bytes = try PlatformFixtures.bytes("telegram/tchan_msg62_text_multiline.html")
        let post = try #require(try TelegramPreviewParser.parse(bytes).posts.first)
        let raw = try #require(post.raw)
        let text = String(decoding: raw, as: UTF8.self)
        #expect(text.hasPrefix("<div class=\"tgme_widget_message text_not_supported_wrap js-widget_message\" data-post=\"tchantest/62\""))
        #expect(text.hasSuffix("</div>"))
        #expect(text.contains("tgme_widget_message_footer"))
        #expect(!text.contains("js-widget_message_wrap"))
        #expect(bytes.containsRun(raw))
        let withoutRaw = try TelegramPreviewParser.parse(bytes, context: PlatformContext(options: PlatformOptions(keepRaw: false)))
        #expect(withoutRaw.posts.first?.raw == nil)
    }

    @Test func fallsBackToLibxml2sSerialisationWhenTheBlockCannotBeCut() throws {
        // The block is never closed, so its bytes as served have no end to cut at.
        let html = #"<div class="tgme_widget_message js-widget_message" data-post="c/7"><div class="tgme_widget_message_text js-message_text">Сәлем</div>"#
        let post = try #require(try TelegramPreviewParser.parse(Array(html.utf8)).posts.first)
        #expect(post.text == "Сәлем")
        let raw = String(decoding: try #require(post.raw), as: UTF8.self)
        #expect(raw.hasPrefix("<div class=\"tgme_widget_message js-widget_message\" data-post=\"c/7\">"))
        #expect(raw.hasSuffix("</div></div>"))
    }

    // MARK: Real full page (pretty-printed)

    @Test func readsThePrettyPrintedPageWithItsBeforeLink() throws {
        let bytes = try PlatformFixtures.bytes("telegram/dext_channel_page_prettified_excerpt.html")
        let page = try TelegramPreviewParser.parse(bytes, context: PlatformContext(account: "DEXTNewPairsBot"))
        #expect(page.posts.map(\.id) == ["DEXTNewPairsBot/208649", "DEXTNewPairsBot/208652"])
        #expect(page.next == .telegramBefore("208634"))
        #expect(page.accountName == "DEXT Live New Pairs Bot [Ethereum Blockchain]")
        let first = try post(page, "DEXTNewPairsBot/208649")
        #expect(first.text == """
            New pair at Uniswap v2

            YUMMY (YUMMY/WETH)

            Initial Liquidity: $3,027

            Token contract:
            0xb86fe55c407d4c07968e999879f78caeb0be53a8

            DEXTools:
            https://www.dextools.io/app/ether/pair-explorer/0x181cb8501164405bf07b1716334e5295285ed90d
            """)
        #expect(first.publishedAt == PlatformFixtures.date("2023-11-09T17:35:20Z"))
        #expect(first.author == "DEXT Live New Pairs Bot [Ethereum Blockchain]")
        #expect(first.media.isEmpty)
        let raw = String(decoding: try #require(first.raw), as: UTF8.self)
        #expect(raw.hasPrefix("<div\n"))
        #expect(raw.contains("data-post=\"DEXTNewPairsBot/208649\""))
        #expect(!raw.contains("208652"))
        #expect(page.oldestItemTime == PlatformFixtures.date("2023-11-09T17:35:20Z"))
    }

    // MARK: Hand-made full page

    @Test func readsEveryKindOfMessageOfAFullPage() throws {
        let page = try parse("handmade_kz_channel_page.html")
        #expect(page.posts.map(\.id) == [1201, 1202, 1204, 1205, 1206, 1207, 1208, 1210, 1211, 1212].map { "aday_demo_kz/\($0)" })
        #expect(page.skipped == [PlatformPage.Skipped(id: "aday_demo_kz/1209", reason: .serviceMessage, detail: "Channel photo updated")])
        #expect(page.itemCount == 11)
        #expect(page.next == .telegramBefore("1201"))
        #expect(page.accountName == "Айбек Сейітов | Кандидат")
        #expect(page.oldestItemTime == PlatformFixtures.date("2023-02-10T05:12:44Z"))
        for post in page.posts {
            #expect(post.url == "https://t.me/" + post.id)
            let raw = String(decoding: try #require(post.raw), as: UTF8.self)
            #expect(raw.hasPrefix("<div class=\"tgme_widget_message text_not_supported_wrap js-widget_message\" data-post=\"\(post.id)\""))
        }
    }

    @Test func readsKazakhTextWithEmojiAndHashtagsUnderAPhoto() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1201")
        #expect(post.text == "Құрметті сайлаушылар!\n\nБүгін сағат 18:00-де Алматыда кездесу өтеді 🇰🇿\nКеліңіздер, біз бірге жеңеміз! #сайлау2023 #Алматы")
        #expect(post.tags == ["сайлау2023", "Алматы"])
        #expect(post.media == ["https://cdn4.telesco.pe/file/Ph1201aydemoKzPhotoAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.jpg"])
        #expect(post.author == "Айбек Сейітов | Кандидат")
        #expect(post.publishedAt == PlatformFixtures.date("2023-02-10T05:12:44Z"))
    }

    @Test func takesTheDateLinkTimeNotTheVideoDuration() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1202")
        #expect(post.publishedAt == PlatformFixtures.date("2023-02-11T09:30:00Z"))
        #expect(post.media == [
            "https://cdn4.telesco.pe/file/Ph1202aAlbumFirstPhotoBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB.jpg",
            "https://cdn4.telesco.pe/file/Vd1203c0ffee.mp4?token=Q2FtcGFpZ25WaWRlbw",
        ])
        #expect(post.text == "Встреча с избирателями в Алматы. Спасибо всем, кто пришёл!\nГолосуйте за нас 19 марта.")
    }

    @Test func readsADocumentsNameAndCaption() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1204")
        #expect(post.text == "Сайлауалды_бағдарлама.pdf\n\nБағдарламамен танысыңыз.")
        #expect(post.media == ["https://t.me/aday_demo_kz/1204?single"])
    }

    @Test func readsAForwardWithItsOriginalSigner() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1205")
        #expect(post.forwardedFrom == "Сайлау жаңалықтары, Дана Омар (https://t.me/saylau_news_kz/777)")
        #expect(post.text == "ОСК тіркеуді аяқтады: 12 кандидат.")
    }

    @Test func readsBothEditMarkups() throws {
        let page = try parse("handmade_kz_channel_page.html")
        let old = try post(page, "aday_demo_kz/1206")
        #expect(old.edited == true)
        #expect(old.editedAt == nil)
        #expect(old.author == "Айбек Сейітов | Кандидат (Әлия Нұрова)")
        let new = try post(page, "aday_demo_kz/1207")
        #expect(new.edited == true)
        #expect(new.editedAt == PlatformFixtures.date("2023-02-15T12:30:00Z"))
        #expect(new.publishedAt == PlatformFixtures.date("2023-02-15T10:00:00Z"))
        #expect(page.posts.filter(\.edited).map(\.id) == ["aday_demo_kz/1206", "aday_demo_kz/1207"])
    }

    @Test func readsAPollWithoutItsRunningPercentages() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1208")
        #expect(post.text == "Қай кездесуге келесіз?\nАлматы\nАстана")
    }

    @Test func keepsTheQuotedReplyAndPreviewOutOfAReply() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1210")
        #expect(post.text == "Толығырақ сайтта: aday.example.kz/kezdesu")
        #expect(post.media.isEmpty)
        #expect(post.author == "Айбек Сейітов | Кандидат")
    }

    @Test func readsEmojiFromTheImageNameAndFlattensSpoilers() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1211")
        #expect(post.text == "Дебаттың толық жазбасы 🎥 🔥 жасырын мәтін")
        #expect(post.media == ["https://cdn4.telesco.pe/file/Th1211BigVideoThumbFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF.jpg"])
        #expect(!post.text.contains("Media is too big"))
    }

    @Test func readsAVoiceNote() throws {
        let post = try post(try parse("handmade_kz_channel_page.html"), "aday_demo_kz/1212")
        #expect(post.media == ["https://cdn4.telesco.pe/file/Vc1212voice.ogg?token=Vm9pY2U"])
        #expect(post.text == "Сайлаушыларға үндеу")
    }

    @Test func keepsServiceMessagesWhenAsked() throws {
        let page = try parse("handmade_kz_channel_page.html",
                             context: PlatformContext(account: "aday_demo_kz", options: PlatformOptions(includeServiceMessages: true)))
        #expect(page.posts.count == 11)
        #expect(page.skipped.isEmpty)
        let service = try post(page, "aday_demo_kz/1209")
        #expect(service.text == "Channel photo updated")
        #expect(service.media == ["https://cdn4.telesco.pe/file/Sv1209NewChannelPhotoDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDDD.jpg"])
    }

    @Test func readsTheOlderPageAndOnlyItsBeforeLink() throws {
        let page = try parse("handmade_kz_channel_page_before_1201.html")
        #expect(page.posts.map(\.id) == ["aday_demo_kz/1199", "aday_demo_kz/1200"])
        #expect(page.next == .telegramBefore("1199"))
    }

    // MARK: Pages without posts

    @Test func anEmptyChannelIsNoError() throws {
        let page = try parse("handmade_empty_channel.html")
        #expect(page.posts.isEmpty)
        #expect(page.empty == .noPosts)
        #expect(page.accountName == "Айбек Сейітов | Кандидат")
        #expect(page.next == nil)
    }

    @Test func marksTheNoPostsFoundBlock() throws {
        let page = try parse("handmade_no_posts_found.html")
        #expect(page.posts.isEmpty)
        #expect(page.empty == .noPostsFoundMarker)
    }

    @Test func theContactPageMeansNoPublicPreview() throws {
        let error = try #require(throws: PlatformParseError.self) {
            try parse("handmade_contact_page_no_preview.html", context: PlatformContext(account: "aday_private_kz"))
        }
        #expect(error.kind == .noPublicPreview)
        #expect(error.platform == .telegram)
        #expect(error.message.contains("Айбек Сейітов (жеке)"))
        #expect(error.message.contains("https://t.me/aday_private_kz"))
    }

    @Test func aRedirectAwayFromThePreviewMeansNoPublicPreview() throws {
        let context = PlatformContext(
            account: "aday_private_kz", requestURL: "https://t.me/s/aday_private_kz",
            response: PlatformHTTPResponse(status: 200, finalURL: "https://t.me/aday_private_kz"))
        let error = try #require(throws: PlatformParseError.self) {
            try parse("handmade_kz_channel_page.html", context: context)
        }
        #expect(error.kind == .noPublicPreview)
        #expect(error.message.contains("redirected"))
    }

    @Test func messagesWithoutDataPostMeanTheLayoutChanged() throws {
        let error = try #require(throws: PlatformParseError.self) { try parse("handmade_layout_changed.html") }
        #expect(error.kind == .layoutChanged)
        #expect(error.message.hasPrefix("layout changed: "))
        #expect(error.message.contains("data-post"))
    }

    @Test func aPageThatIsNotTelegramMeansTheLayoutChanged() throws {
        let error = try #require(throws: PlatformParseError.self) { try parse("handmade_not_telegram.html") }
        #expect(error.kind == .layoutChanged)
        #expect(error.message.contains("no message history"))
    }

    @Test func anEmptyBodyIsMalformed() throws {
        let error = try #require(throws: PlatformParseError.self) { try TelegramPreviewParser.parse([]) }
        #expect(error.kind == .malformedDocument)
        #expect(error.message.contains("empty"))
    }

    @Test func aThrottledAnswerIsARateLimit() throws {
        let context = PlatformContext(account: "aday_demo_kz", response: PlatformHTTPResponse(status: 429, headers: ["Retry-After": "120"]))
        let error = try #require(throws: PlatformParseError.self) { try parse("handmade_kz_channel_page.html", context: context) }
        #expect(error.kind == .rateLimited(retryAfter: 120))
        #expect(error.isRateLimit)
    }

    @Test func oneUnreadableBlockDoesNotLoseThePage() throws {
        var html = try PlatformFixtures.text("telegram/handmade_kz_channel_page.html")
        html = html.replacingOccurrences(of: "data-post=\"aday_demo_kz/1208\"", with: "data-post=\"not a post id\"")
        let page = try TelegramPreviewParser.parse(Array(html.utf8), context: PlatformContext(account: "aday_demo_kz"))
        #expect(page.posts.count == 9)
        #expect(page.skipped.contains { $0.reason == .unreadable && $0.id == "not a post id" })
    }
}

@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging

/// A real pipeline on real parts: a loopback HTTP server, an SQLite file and a spool directory
/// in a temporary directory, the example 2023 Kazakh calendar, and a few rules.
final class PipelineHarness: @unchecked Sendable {
    let directory: TemporaryDirectory
    let server: LoopbackHTTPServer
    var configuration: Configuration
    let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }

    static let almaty = TimeZone(identifier: "Asia/Almaty")!

    static func local(_ text: String) -> Date {
        try! WallClockTime.parse(text).resolve(in: almaty)
    }

    static let election = Election(id: "kz-mazhilis-2023", name: "Mazhilis early elections 2023", timeZone: almaty, periods: [
        ElectionPeriod(kind: .preCampaign, from: local("2023-01-19T00:00"), to: local("2023-02-18T18:00")),
        ElectionPeriod(kind: .campaign, from: local("2023-02-18T18:00"), to: local("2023-03-18T00:00")),
        ElectionPeriod(kind: .silence, from: local("2023-03-18T00:00"), to: local("2023-03-19T00:00")),
    ])

    static let rules = [
        RuleDefinition(id: "call-to-vote-ru", description: "Call to vote, Russian", query: "голосуй* OR проголосуй*", severity: .high,
                       tags: ["call-to-vote"]),
        RuleDefinition(id: "support-en", description: "Support request", query: "support NEAR/3 (us OR me)", severity: .medium),
    ]

    /// One RSS account whose feed, `/feed.xml`, serves `items` and can be changed between rounds.
    static func servingFeed(_ items: [(id: String, text: String, date: String)]) throws -> (PipelineHarness, ServedDocument) {
        let document = ServedDocument(TestFeed.rss(items))
        let harness = try PipelineHarness(accounts: [])
        harness.server.route("/feed.xml", document.route)
        harness.configuration.subjects[0].accounts = [Account(platform: .rss, handle: harness.url("/feed.xml"), url: harness.url("/feed.xml"))]
        return (harness, document)
    }

    init(accounts: [Account]) throws {
        directory = try TemporaryDirectory("campaignwatch-pipeline")
        server = try LoopbackHTTPServer(workers: 1)
        try server.start()
        let subject = Subject(id: "omarova", name: "Asel Omarova", names: ["Омарова"], role: .candidate,
                              elections: ["kz-mazhilis-2023"], accounts: accounts)
        var poll = PollSettings()
        poll.timeout = 10
        configuration = Configuration(stateDir: directory.path + "/state", spool: SpoolSettings(dir: directory.path + "/spool"),
                                      poll: poll, elections: [Self.election], subjects: [subject], rules: Self.rules)
    }

    deinit { server.stop() }

    func url(_ path: String) -> String { server.url(path) }

    func pipeline() throws -> Pipeline {
        var policy = SchedulerPolicy()
        policy.hostSpacing = .none
        return try Pipeline(configuration: configuration, logger: logger, policy: policy)
    }

    /// One `poll --once` round with a fresh pipeline on the same state (as separate runs are).
    func round() async throws -> [AccountPollReport] {
        let pipeline = try pipeline()
        let reports = await pipeline.loop.runRound(try PipelineSnapshot(configuration: configuration), hooks: PollLoop.Hooks())
        await pipeline.shutdown()
        return reports
    }

    /// The alerts in spool/new, read the way a consumer reads them.
    func spooledAlerts() throws -> [Alert] {
        let new = directory.path + "/spool/new"
        return try FileManager.default.contentsOfDirectory(atPath: new).sorted().compactMap { name in
            guard name.hasSuffix(".json") else { return nil }
            return try Alert(json: [UInt8](try Data(contentsOf: URL(fileURLWithPath: new + "/" + name))))
        }
    }

    func store() throws -> StateStore {
        try StateStore(path: Pipeline.databasePath(stateDir: configuration.stateDir))
    }
}

/// RSS 2.0 with the given items (guid, text, RFC 822 date).
enum TestFeed {
    static func rss(_ items: [(id: String, text: String, date: String)]) -> [UInt8] {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Омарова</title>"
            + "<link>https://omarova.example.org/</link>\n"
        for item in items {
            xml += "<item><guid isPermaLink=\"false\">\(item.id)</guid><link>https://omarova.example.org/\(item.id)</link>"
                + "<description>\(item.text)</description><pubDate>\(item.date)</pubDate></item>\n"
        }
        return Array((xml + "</channel></rss>\n").utf8)
    }
}

/// A t.me/s preview page in the markup the preview parser reads, newest post last as t.me
/// serves it, with the "load older" link when there is an older page.
enum TestTelegramPage {
    static func html(channel: String, posts: [(id: Int, text: String, date: String)], before: Int?) -> [UInt8] {
        var html = """
            <!DOCTYPE html><html><head><meta charset="utf-8"><title>\(channel) – Telegram</title></head>
            <body class="widget_frame_base tgme_webpreview"><main class="tgme_main" data-url="/\(channel)"><div class="tgme_container">
            <section class="tgme_channel_history js-message_history">

            """
        if let before {
            html += "<div class=\"tgme_widget_message_centered js-messages_more_wrap\"><a href=\"/s/\(channel)?before=\(before)\" "
                + "class=\"tme_messages_more js-messages_more\" data-before=\"\(before)\"></a></div>\n"
        }
        for post in posts {
            html += """
                <div class="tgme_widget_message_wrap js-widget_message_wrap"><div class="tgme_widget_message js-widget_message" data-post="\(channel)/\(post.id)">
                <div class="tgme_widget_message_bubble">
                <div class="tgme_widget_message_author accent_color"><a class="tgme_widget_message_owner_name" href="https://t.me/\(channel)"><span dir="auto">Омарова</span></a></div>
                <div class="tgme_widget_message_text js-message_text" dir="auto">\(post.text)</div>
                <div class="tgme_widget_message_footer compact js-message_footer"><div class="tgme_widget_message_info short js-message_info">
                <span class="tgme_widget_message_views">10</span><span class="tgme_widget_message_meta"><a class="tgme_widget_message_date" href="https://t.me/\(channel)/\(post.id)"><time datetime="\(post.date)" class="time">10:00</time></a></span>
                </div></div></div></div></div>

                """
        }
        return Array((html + "</section></div></main></body></html>\n").utf8)
    }
}

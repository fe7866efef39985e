import CampaignWatchCore
import Foundation
import Testing

/// The two example calendars and a small watchlist, built as values (the loader has its own tests).
enum JudgeFixtures {
    static let almaty = TimeZone(identifier: "Asia/Almaty")!
    static let bishkek = TimeZone(identifier: "Asia/Bishkek")!

    static func local(_ text: String, _ zone: TimeZone) -> Date {
        try! WallClockTime.parse(text).resolve(in: zone)
    }

    static func utc(_ text: String) -> Date {
        try! WallClockTime.parse(text).resolve(in: TimeZone(identifier: "UTC")!)
    }

    static let kz = Election(id: "kz-mazhilis-2023", name: "Mazhilis early elections 2023", timeZone: almaty, periods: [
        ElectionPeriod(kind: .preCampaign, from: local("2023-01-19T00:00", almaty), to: local("2023-02-18T18:00", almaty)),
        ElectionPeriod(kind: .campaign, from: local("2023-02-18T18:00", almaty), to: local("2023-03-18T00:00", almaty)),
        ElectionPeriod(kind: .silence, from: local("2023-03-18T00:00", almaty), to: local("2023-03-19T00:00", almaty)),
        ElectionPeriod(kind: .voting, from: local("2023-03-19T00:00", almaty), to: local("2023-03-19T20:00", almaty)),
    ])

    /// Selects by tag (`call-to-vote`) and by id (`support-request-en`).
    static let kg = Election(id: "kg-jogorku-kenesh-2025", name: "Jogorku Kenesh early elections 2025", timeZone: bishkek, periods: [
        ElectionPeriod(kind: .preCampaign, from: local("2025-09-30T00:00", bishkek), to: local("2025-11-10T00:00", bishkek)),
        ElectionPeriod(kind: .campaign, from: local("2025-11-10T00:00", bishkek), to: local("2025-11-29T08:00", bishkek)),
        ElectionPeriod(kind: .silence, from: local("2025-11-29T08:00", bishkek), to: local("2025-11-30T08:00", bishkek)),
        ElectionPeriod(kind: .voting, from: local("2025-11-30T08:00", bishkek), to: local("2025-11-30T20:00", bishkek)),
    ], ruleSelectors: ["call-to-vote", "support-request-en"])

    /// An election of 2024 in Almaty, after the zone moved from +06 to +05.
    static let kz2024 = Election(id: "kz-local-2024", name: "Local 2024", timeZone: almaty, periods: [
        ElectionPeriod(kind: .silence, from: local("2024-06-01T00:00", almaty), to: local("2024-06-02T00:00", almaty)),
    ])

    static let rules = [
        RuleDefinition(id: "call-to-vote-ru", description: "Call to vote, Russian", query: "голосуй*", severity: .high, tags: ["call-to-vote"]),
        RuleDefinition(id: "support-request-en", description: "Support request, English", query: "support NEAR/3 us", severity: .high),
        RuleDefinition(id: "party-slogan", description: "Party slogan", query: "\"green steppe\"", severity: .low, tags: ["slogan"]),
    ]

    static let omarovaTelegram = Account(platform: .telegram, handle: "asel_omarova_kz", url: "https://t.me/s/asel_omarova_kz")

    static let omarova = Subject(id: "omarova", name: "Asel Omarova", names: ["Asel Omarova", "Омарова"], role: .candidate,
                                 elections: ["kz-mazhilis-2023"], district: "Almaty, district 3", tags: ["self-nominated"],
                                 accounts: [omarovaTelegram])

    /// Watched in both elections.
    static let temirov = Subject(id: "temirov", name: "Aibek Temirov", role: .proxy,
                                 elections: ["kz-mazhilis-2023", "kg-jogorku-kenesh-2025"],
                                 accounts: [Account(platform: .telegram, handle: "aibek_temirov_blog", url: "https://t.me/s/aibek_temirov_blog")])

    static let configuration = Configuration(stateDir: "/tmp/state", spool: SpoolSettings(dir: "/tmp/spool"),
                                             elections: [kz, kg, kz2024], subjects: [omarova, temirov], rules: rules)

    static let text = "Дорогие друзья! Голосуйте за нас 19 марта. Support us, and we will win. Go, Kazakhstan!"

    /// Matches as the rules engine reports them for `text` (offsets in Unicode scalars).
    static let allMatches = [
        RuleMatch(rule: "call-to-vote-ru", terms: [TermMatch(term: "голосуй*", start: 16, end: 24)]),
        RuleMatch(rule: "support-request-en", terms: [TermMatch(term: "support", start: 43, end: 50), TermMatch(term: "us", start: 51, end: 53)]),
    ]

    static func post(id: String = "asel_omarova_kz/1432", published: Date?, text: String = JudgeFixtures.text,
                     editedAt: Date? = nil) -> Post {
        Post(id: id, url: "https://t.me/\(id)", text: text, author: "Asel Omarova", publishedAt: published,
             edited: editedAt != nil, editedAt: editedAt, raw: Array("<div class=\"tgme_widget_message\">…</div>".utf8))
    }

    static let schema: JSONSchemaValidator = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("schema/alert.schema.json")
        return try! JSONSchemaValidator(contentsOf: url)
    }()

    /// Every alert a test produces goes through here: rendered, parsed back, checked against the schema.
    @discardableResult
    static func checked(_ alert: Alert, sourceLocation: SourceLocation = #_sourceLocation) -> JSONValue {
        let text = alert.json()
        let value: JSONValue
        do {
            value = try JSONValue.parse(text)
        } catch {
            Issue.record("alert JSON does not parse: \(error)\n\(text)", sourceLocation: sourceLocation)
            return .null
        }
        let errors = schema.validate(value)
        #expect(errors.isEmpty, "schema violations: \(errors)\n\(text)", sourceLocation: sourceLocation)
        let compact = try? JSONValue.parse(alert.json(.compact))
        #expect(compact == value, sourceLocation: sourceLocation)
        #expect(!alert.json(.compact).contains("\n"), sourceLocation: sourceLocation)
        return value
    }
}

import Foundation
import Testing

/// `campaignwatch demo` end to end: the bundled sources of config/demo/sites/ served on loopback,
/// polled through the real pipeline, and the spool read back the way a consumer reads it. The
/// expected alerts are the case table of config/demo/README.md, written out here by hand.
@Suite struct DemoTests {
    struct ExpectedAlert: Hashable, CustomStringConvertible {
        var subject: String
        var election: String
        var period: String
        var platform: String
        var post: String
        var localTime: String
        var rules: [String]

        var description: String { "\(subject) \(election) \(period) \(platform) \(post) \(localTime) \(rules)" }
    }

    static let kz = "kz-mazhilis-2023"
    static let kg = "kg-jogorku-kenesh-2025"

    /// Every alert the demo must write: all `violation`s, in prohibited periods.
    static let expected: Set<ExpectedAlert> = [
        // Kazakhstan 2023, pre-campaign (19 January – 18 February 18:00)
        .init(subject: "omarova", election: kz, period: "pre-campaign", platform: "mastodon",
              post: "https://social.example.org/@asel/109749731328065425", localTime: "2023-01-25T18:00:00+06:00",
              rules: ["call-to-vote-ru"]),  // the call is in the image description
        .init(subject: "omarova", election: kz, period: "pre-campaign", platform: "telegram",
              post: "asel_omarova_kz/411", localTime: "2023-01-28T20:02:11+06:00", rules: ["call-to-vote-ru"]),
        .init(subject: "green-steppe", election: kz, period: "pre-campaign", platform: "telegram",
              post: "zhasyl_dala_party/2302", localTime: "2023-02-03T19:00:00+06:00",
              rules: ["call-to-vote-kk"]),  // #ДауысБер #ЖасылДала
        .init(subject: "omarova", election: kz, period: "pre-campaign", platform: "telegram",
              post: "asel_omarova_kz/412", localTime: "2023-02-06T12:30:40+06:00",
              rules: ["call-to-vote-kk"]),  // Kazakh in Latin script
        .init(subject: "green-steppe", election: kz, period: "pre-campaign", platform: "rss",
              post: "https://green-steppe.example.org/news/2023/02/sbor-sredstv.html", localTime: "2023-02-09T16:00:00+06:00",
              rules: ["fundraising-ru"]),  // windows-1251 feed
        .init(subject: "temirov", election: kz, period: "pre-campaign", platform: "telegram",
              post: "aibek_temirov_blog/1040", localTime: "2023-02-12T13:00:00+06:00",
              rules: ["call-to-vote-ru", "support-request-ru"]),
        .init(subject: "green-steppe", election: kz, period: "pre-campaign", platform: "telegram",
              post: "zhasyl_dala_party/2303", localTime: "2023-02-18T17:40:00+06:00",
              rules: ["call-to-vote-ru"]),  // 20 minutes before the campaign opens
        // Kazakhstan 2023, silence (18 March) and voting (19 March until 20:00)
        .init(subject: "omarova", election: kz, period: "silence", platform: "mastodon",
              post: "https://social.example.org/@asel/109947204403214187", localTime: "2023-03-18T09:40:27+06:00",
              rules: ["call-to-vote-kk"]),  // published in the campaign, judged at its edit
        .init(subject: "omarova", election: kz, period: "silence", platform: "telegram",
              post: "asel_omarova_kz/416", localTime: "2023-03-18T10:30:12+06:00",
              rules: ["call-to-vote-ru"]),  // Latin look-alike letters
        .init(subject: "omarova", election: kz, period: "silence", platform: "bluesky",
              post: "at://did:plc:bpy6bpydbfaniic7l2yuot6x/app.bsky.feed.post/3jr6rh5z4dg6y",
              localTime: "2023-03-18T11:20:31+06:00", rules: ["call-to-vote-en"]),  // backdated createdAt, judged by indexedAt
        .init(subject: "nurlan-media", election: kz, period: "silence", platform: "telegram",
              post: "nurlan_media_news/5123", localTime: "2023-03-18T14:00:00+06:00", rules: ["support-request-ru"]),
        .init(subject: "omarova", election: kz, period: "silence", platform: "youtube",
              post: "yt:video:3w5PbjQOBb4", localTime: "2023-03-18T15:00:00+06:00", rules: ["support-request-ru"]),
        .init(subject: "green-steppe", election: kz, period: "voting", platform: "telegram",
              post: "zhasyl_dala_party/2307", localTime: "2023-03-19T19:20:00+06:00",
              rules: ["call-to-vote-ru"]),  // spelled out letter by letter
        // Kyrgyzstan 2025, pre-campaign (30 September – 10 November)
        .init(subject: "kasymov", election: kg, period: "pre-campaign", platform: "telegram",
              post: "bakyt_kasymov_kg/89", localTime: "2025-10-05T12:00:00+06:00", rules: ["call-to-vote-ky"]),
        .init(subject: "kasymov", election: kg, period: "pre-campaign", platform: "bluesky",
              post: "at://did:plc:wlxl5lltjjmrh73ciumnqxtd/app.bsky.feed.post/3m3muonrgmfrf",
              localTime: "2025-10-20T19:00:00+06:00", rules: ["fundraising-en"]),
        .init(subject: "ala-too-union", election: kg, period: "pre-campaign", platform: "mastodon",
              post: "https://mastodon.example.org/@alatoo/115416288460829548", localTime: "2025-10-22T12:00:00+06:00",
              rules: ["outcome-promise-en"]),
        .init(subject: "ala-too-union", election: kg, period: "pre-campaign", platform: "rss",
              post: "tag:ala-too-union.example.org,2025-11-03:/news/2025/11/shailoo-fondu",
              localTime: "2025-11-03T15:00:00+06:00", rules: ["fundraising-ky"]),  // Atom feed
        // Kyrgyzstan 2025, silence (29 November 08:00 – 30 November 08:00) and voting (until 20:00)
        .init(subject: "kasymov", election: kg, period: "silence", platform: "youtube",
              post: "yt:video:vuXghXiGGJo", localTime: "2025-11-29T19:00:00+06:00", rules: ["outcome-promise-ky"]),
        .init(subject: "temirov", election: kg, period: "silence", platform: "telegram",
              post: "aibek_temirov_blog/1044", localTime: "2025-11-29T21:00:00+06:00", rules: ["support-request-ky"]),
        .init(subject: "ala-too-union", election: kg, period: "voting", platform: "telegram",
              post: "alatoo_union/304", localTime: "2025-11-30T11:00:00+06:00",
              rules: ["call-to-vote-ky"]),  // Latin look-alike letters
    ]

    /// Posts that match campaign rules but lie inside an official campaign: legal, never an alert.
    static let campaignPosts: Set<String> = [
        "asel_omarova_kz/414", "asel_omarova_kz/415",
        "at://did:plc:bpy6bpydbfaniic7l2yuot6x/app.bsky.feed.post/3jpjt5uezguyk",
        "yt:video:e-qlPTZp_Ig",
        "zhasyl_dala_party/2304",
        "https://green-steppe.example.org/news/2023/03/programma.html",
        "aibek_temirov_blog/1041", "aibek_temirov_blog/1043",
        "bakyt_kasymov_kg/91",
        "at://did:plc:wlxl5lltjjmrh73ciumnqxtd/app.bsky.feed.post/3m5njdl7xab2f",
        "alatoo_union/303",
        "https://mastodon.example.org/@alatoo/115569170841628815",
        "tag:ala-too-union.example.org,2025-11-21:/news/2025/11/programma",
    ]

    /// Neutral posts (news, greetings, reports of having voted, turnout calls), many inside
    /// prohibited periods, and posts in no period at all: never an alert.
    static let neutralPosts: Set<String> = [
        "asel_omarova_kz/410", "asel_omarova_kz/413", "asel_omarova_kz/417", "asel_omarova_kz/418", "asel_omarova_kz/419",
        "at://did:plc:bpy6bpydbfaniic7l2yuot6x/app.bsky.feed.post/3jnqxh4lodyw2",
        "at://did:plc:bpy6bpydbfaniic7l2yuot6x/app.bsky.feed.post/3joeg7wlmuofm",
        "at://did:plc:bpy6bpydbfaniic7l2yuot6x/app.bsky.feed.post/3jrawyi7pgicf",
        "https://social.example.org/@asel/109829475532800735", "https://social.example.org/@asel/110047946342409193",
        "yt:video:RHVJLH_SMW4",
        "zhasyl_dala_party/2301", "zhasyl_dala_party/2305", "zhasyl_dala_party/2306",
        "https://green-steppe.example.org/news/2023/01/sezd-partii.html",
        "https://green-steppe.example.org/news/2023/03/itogi.html",
        "nurlan_media_news/5120", "nurlan_media_news/5121", "nurlan_media_news/5122", "nurlan_media_news/5124",
        "nurlan_media_news/5125",
        "bakyt_kasymov_kg/88", "bakyt_kasymov_kg/90", "bakyt_kasymov_kg/92", "bakyt_kasymov_kg/93",
        "at://did:plc:wlxl5lltjjmrh73ciumnqxtd/app.bsky.feed.post/3m6rkorphafkv",
        "yt:video:56rJRmwIbeQ", "yt:video:BBOVwjdTvD4",
        "alatoo_union/301", "alatoo_union/302", "alatoo_union/305",
        "https://mastodon.example.org/@alatoo/115631456256013677",
        "tag:ala-too-union.example.org,2025-10-01:/news/2025/10/kurultai",
        "aibek_temirov_blog/1042",
    ]

    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-demo-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Runs the demo from the temporary directory, as a user runs it from anywhere.
    func runDemo() async throws -> CLI.Result {
        let config = CLI.repositoryRoot.appendingPathComponent("config/campaignwatch.yaml").path
        return try await CLI.run(["demo", "--config", config, "--spool", directory.appendingPathComponent("spool").path,
                            "--state", directory.appendingPathComponent("state").path],
                           currentDirectory: directory)
    }

    /// The alerts in spool/new, read as a consumer reads them: every `*.json` file, one object each.
    func spooledAlerts() async throws -> [(name: String, alert: [String: Any])] {
        let new = directory.appendingPathComponent("spool/new")
        return try FileManager.default.contentsOfDirectory(atPath: new.path).sorted()
            .filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .map { name in
                let data = try Data(contentsOf: new.appendingPathComponent(name))
                let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "\(name) is not a JSON object")
                #expect(data.last == UInt8(ascii: "\n"), "\(name) does not end with a newline")
                return (name, object)
            }
    }

    @Test func writesExactlyTheAlertsOfTheCaseTable() async throws {
        let result = try await runDemo()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout.contains("polled 14 account(s)"))
        #expect(result.stdout.contains("14 fetched, 0 not modified, 0 failed"), "\(result.stdout)")
        #expect(result.stdout.contains("20 alert file(s)"))

        let alerts = try await spooledAlerts()
        var found = Set<ExpectedAlert>()
        for (name, alert) in alerts {
            let election = try #require(alert["election"] as? [String: Any])
            let period = try #require(alert["period"] as? [String: Any])
            let subject = try #require(alert["subject"] as? [String: Any])
            let account = try #require(alert["account"] as? [String: Any])
            let post = try #require(alert["post"] as? [String: Any])
            let matches = try #require(alert["matches"] as? [[String: Any]])
            #expect(alert["kind"] as? String == "violation", "\(name)")
            #expect(period["prohibited"] as? Bool == true, "\(name)")
            let postID = try #require(post["id"] as? String)
            #expect(!Self.campaignPosts.contains(postID), "alert \(name) for a post inside the campaign: \(postID)")
            #expect(!Self.neutralPosts.contains(postID), "alert \(name) for a neutral post: \(postID)")
            found.insert(ExpectedAlert(
                subject: subject["id"] as? String ?? "", election: election["id"] as? String ?? "",
                period: period["kind"] as? String ?? "", platform: account["platform"] as? String ?? "", post: postID,
                localTime: post["local_time"] as? String ?? "", rules: matches.compactMap { $0["rule"] as? String }))
        }
        #expect(alerts.count == Self.expected.count)
        let posts = Dictionary(alerts.compactMap { entry -> (String, [String: Any])? in
            guard let post = entry.alert["post"] as? [String: Any], let id = post["id"] as? String else { return nil }
            return (id, post)
        }, uniquingKeysWith: { first, _ in first })
        // Read from windows-1251 bytes; the call in an image description is part of the text.
        #expect((posts["https://green-steppe.example.org/news/2023/02/sbor-sredstv.html"]?["text"] as? String)?
            .contains("пожертвуйте на нашу победу") == true)
        #expect((posts["https://social.example.org/@asel/109749731328065425"]?["text"] as? String)?
            .contains("Плакат: «Голосуйте за Асель Омарову! 19 марта»") == true)
        // Published in the campaign, judged at the edit made on the day of silence.
        let edited = posts["https://social.example.org/@asel/109947204403214187"]
        #expect(edited?["published_at"] as? String == "2023-03-01T09:00:00Z")
        #expect(edited?["edited_at"] as? String == "2023-03-18T03:40:27Z")
        // createdAt backdated into the campaign: the time the network saw the post counts.
        #expect(posts["at://did:plc:bpy6bpydbfaniic7l2yuot6x/app.bsky.feed.post/3jr6rh5z4dg6y"]?["published_at"] as? String
            == "2023-03-18T05:20:31Z")
        for missing in Self.expected.subtracting(found) { Issue.record("missing alert: \(missing)") }
        for extra in found.subtracting(Self.expected) { Issue.record("unexpected alert: \(extra)") }
        #expect(Self.campaignPosts.isDisjoint(with: Self.neutralPosts))
        #expect(Self.expected.count + Self.campaignPosts.count + Self.neutralPosts.count == 67,
                "the case table has 67 posts")
    }

    @Test func everyAlertFileHasTheShapeOfTheSchema() async throws {
        let result = try await runDemo()
        #expect(result.status == 0, "stderr: \(result.stderr)")
        let schemaData = try Data(contentsOf: CLI.repositoryRoot.appendingPathComponent("schema/alert.schema.json"))
        let schema = try #require(try JSONSerialization.jsonObject(with: schemaData) as? [String: Any])
        let alerts = try await spooledAlerts()
        #expect(!alerts.isEmpty)
        let tmp = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("spool/tmp").path)
        #expect(tmp.isEmpty, "left in spool/tmp: \(tmp)")

        for (name, alert) in alerts {
            var problems: [String] = []
            AlertShape.checkKeys(alert, against: schema, at: name, problems: &problems)
            AlertShape.checkValues(alert, name: name, problems: &problems)
            for problem in problems { Issue.record(Comment(rawValue: problem)) }
            let mode = try FileManager.default.attributesOfItem(
                atPath: directory.appendingPathComponent("spool/new/\(name)").path)[.posixPermissions] as? Int
            #expect(mode == 0o640, "\(name) has mode \(String(mode ?? 0, radix: 8))")
        }
    }

    @Test func aSecondRunGivesTheSameAlertIDs() async throws {
        let first = try await runDemo()
        #expect(first.status == 0, "stderr: \(first.stderr)")
        let firstIDs = await Set(try spooledAlerts().compactMap { $0.alert["id"] as? String })
        let second = try await runDemo()
        #expect(second.status == 0, "stderr: \(second.stderr)")
        let secondIDs = await Set(try spooledAlerts().compactMap { $0.alert["id"] as? String })
        #expect(firstIDs.count == Self.expected.count)
        #expect(firstIDs == secondIDs)
    }
}

/// Checks of an alert object against schema/alert.schema.json that a consumer relies on: the
/// members of every object (required ones present, no others: the schema forbids additional
/// properties), and the values of the key fields.
enum AlertShape {
    /// Walks objects and arrays of objects through the schema's `properties`, `required`,
    /// `additionalProperties: false` and `items`, following local `$ref`s.
    static func checkKeys(_ value: Any, against node: [String: Any], root: [String: Any]? = nil, at path: String,
                          problems: inout [String]) {
        let root = root ?? node
        var node = node
        if let ref = node["$ref"] as? String, ref.hasPrefix("#/$defs/"),
           let defs = root["$defs"] as? [String: Any], let target = defs[String(ref.dropFirst(8))] as? [String: Any] {
            node = target
        }
        if let object = value as? [String: Any], let properties = node["properties"] as? [String: Any] {
            for key in node["required"] as? [String] ?? [] where object[key] == nil {
                problems.append("\(path): missing \(key)")
            }
            if node["additionalProperties"] as? Bool == false {
                for key in object.keys where properties[key] == nil { problems.append("\(path): unknown member \(key)") }
            }
            for (key, member) in object {
                if let schema = properties[key] as? [String: Any] {
                    checkKeys(member, against: schema, root: root, at: "\(path).\(key)", problems: &problems)
                }
            }
        } else if let array = value as? [Any], let items = node["items"] as? [String: Any] {
            for (index, element) in array.enumerated() {
                checkKeys(element, against: items, root: root, at: "\(path)[\(index)]", problems: &problems)
            }
        }
    }

    static func checkValues(_ alert: [String: Any], name: String, problems: inout [String]) {
        func expect(_ condition: Bool, _ message: @autoclosure () -> String) {
            if !condition { problems.append("\(name): \(message())") }
        }
        let id = alert["id"] as? String ?? ""
        expect(alert["schema"] as? String == "campaignwatch.alert/1", "schema is \(alert["schema"] ?? "nil")")
        expect(matches(id, "^[0-9a-f]{32}$"), "id \(id)")
        expect(name == id + ".json", "file name is not <id>.json")
        expect(isUTC(alert["created_at"]), "created_at \(alert["created_at"] ?? "nil")")
        expect(alert["previous"] == nil && alert["refers_to"] == nil && alert["deleted_at"] == nil,
               "a violation carries previous, refers_to or deleted_at")

        let election = alert["election"] as? [String: Any] ?? [:]
        let timezone = election["timezone"] as? String
        expect(["Asia/Almaty", "Asia/Bishkek"].contains(timezone ?? ""), "election.timezone \(timezone ?? "nil")")
        let period = alert["period"] as? [String: Any] ?? [:]
        expect(["pre-campaign", "silence", "voting"].contains(period["kind"] as? String ?? ""), "period.kind")
        for bound in ["from", "to"] {
            expect((period[bound] as? String)?.hasSuffix("+06:00") == true, "period.\(bound) \(period[bound] ?? "nil")")
        }
        let subject = alert["subject"] as? [String: Any] ?? [:]
        expect(["candidate", "party", "proxy", "media"].contains(subject["role"] as? String ?? ""), "subject.role")
        let account = alert["account"] as? [String: Any] ?? [:]
        expect(matches(account["url"] as? String ?? "", "^https?://"), "account.url")

        let post = alert["post"] as? [String: Any] ?? [:]
        let text = post["text"] as? String ?? ""
        expect(!text.isEmpty, "post.text is empty")
        expect(matches(post["content_sha256"] as? String ?? "", "^[0-9a-f]{64}$"), "post.content_sha256")
        expect(isUTC(post["published_at"]), "post.published_at \(post["published_at"] ?? "nil")")
        expect(isUTC(post["observed_at"]), "post.observed_at")
        expect(post["edited_at"] is NSNull || isUTC(post["edited_at"]), "post.edited_at")
        expect(post["time_basis"] as? String == "published", "post.time_basis")
        expect((post["local_time"] as? String)?.hasSuffix("+06:00") == true, "post.local_time")

        let scalars = Array(text.unicodeScalars)
        let matchList = alert["matches"] as? [[String: Any]] ?? []
        expect(!matchList.isEmpty, "no matches")
        for match in matchList {
            expect(["low", "medium", "high"].contains(match["severity"] as? String ?? ""), "matches[].severity")
            let terms = match["terms"] as? [[String: Any]] ?? []
            expect(!terms.isEmpty, "\(match["rule"] ?? "") has no terms")
            for term in terms {
                let start = term["start"] as? Int ?? -1, end = term["end"] as? Int ?? -1
                expect(0 <= start && start < end && end <= scalars.count, "term offsets \(start)-\(end) outside the text")
                expect(!(term["snippet"] as? String ?? "").isEmpty, "empty snippet")
            }
        }
        let evidence = alert["evidence"] as? [String: Any] ?? [:]
        expect(evidence["raw_sha256"] is NSNull || matches(evidence["raw_sha256"] as? String ?? "", "^[0-9a-f]{64}$"),
               "evidence.raw_sha256")
    }

    static func matches(_ value: String, _ pattern: String) -> Bool {
        value.range(of: pattern, options: .regularExpression) != nil
    }

    /// RFC 3339 in UTC with `Z`, fractional seconds allowed.
    static func isUTC(_ value: Any?) -> Bool {
        matches(value as? String ?? "", #"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$"#)
    }
}

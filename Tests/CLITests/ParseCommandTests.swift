import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

/// `campaignwatch parse` run as a subprocess.
@Suite struct ParseCommandTests {
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/Fixtures/feeds")

    static func fixture(_ path: String) -> String { fixtures.appendingPathComponent(path).path }

    static func objects(_ stdout: String) async throws -> [[String: Any]] {
        try stdout.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func printsOneObjectPerPost() async throws {
        let result = try await CLI.run(["parse", Self.fixture("rss/rss20-full.xml")])
        #expect(result.status == 0)
        let posts = try await Self.objects(result.stdout)
        #expect(posts.count == 5)
        let first = posts[0]
        #expect(Set(first.keys) == ["id", "url", "title", "text", "author", "published_at", "updated_at", "edited", "tags", "media"])
        #expect(first["id"] as? String == "https://candidate.example.kz/news/2023/01/meeting")
        #expect(first["published_at"] as? String == "2023-01-28T14:02:11Z")
        #expect(first["updated_at"] is NSNull)
        #expect(first["edited"] as? Bool == false)
        #expect(first["tags"] as? [String] == ["Выборы", "Алматы"])
        #expect(result.stderr.isEmpty)
    }

    @Test func readsStandardInputAndHonoursTheOptions() async throws {
        let xml = "<rss><channel><item><title>\u{E2}\u{EF}\u{E5}\u{F0}\u{E5}\u{E4}</title><link>/post</link></item></channel></rss>"
        // Latin-1 code points standing for windows-1251 bytes: "вперед".
        let bytes = Data(xml.unicodeScalars.map { UInt8(truncatingIfNeeded: $0.value) })
        let result = try await CLI.run(["parse", "--content-type", "application/rss+xml; charset=windows-1251",
                                  "--base-url", "https://site.example/feed/", "-"], stdin: bytes)
        #expect(result.status == 0)
        let post = try await #require(try Self.objects(result.stdout).first)
        #expect(post["title"] as? String == "вперед")
        #expect(post["url"] as? String == "https://site.example/post")
    }

    @Test func asForcesTheFormat() async throws {
        let json = Data(#"{"items": [{"id": "a", "content_text": "x"}]}"#.utf8)
        let forced = try await CLI.run(["parse", "--as", "jsonfeed", "-"], stdin: json)
        #expect(forced.status == 0)
        await #expect(try Self.objects(forced.stdout).first?["id"] as? String == "a")
        let wrong = try await CLI.run(["parse", "--as", "atom", "-"], stdin: json)
        #expect(wrong.status == 65)
        let unknown = try await CLI.run(["parse", "--as", "myspace", "-"], stdin: json)
        #expect(unknown.status == 64)
    }

    @Test func recoveredPostsSayso() async throws {
        let result = try await CLI.run(["parse", Self.fixture("broken/missing-closing-tags.xml")])
        #expect(result.status == 0)
        let posts = try await Self.objects(result.stdout)
        #expect(posts.map { $0["recovered"] as? Bool } == [nil, true, true])
        #expect(result.stderr.contains("warning: line"))
    }

    @Test func gzippedFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cw-parse-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let xml = try Data(contentsOf: Self.fixtures.appendingPathComponent("atom/atom10-full.xml"))
        let gzipped = try Gzip.compress(Array(xml))
        let file = directory.appendingPathComponent("feed.atom.gz")
        try Data(gzipped).write(to: file)
        let result = try await CLI.run(["parse", file.path])
        #expect(result.status == 0)
        await #expect(try Self.objects(result.stdout).count == 4)

        let truncated = directory.appendingPathComponent("cut.gz")
        try Data(gzipped.prefix(gzipped.count / 2)).write(to: truncated)
        let cut = try await CLI.run(["parse", truncated.path])
        #expect(cut.status == 65)
        #expect(cut.stdout.isEmpty)
        #expect(cut.stderr.contains("truncated gzip data"))
        #expect(cut.stderr.split(separator: "\n").count == 1)
    }

    @Test(arguments: [
        ("empty", Data(), "empty input"),
        ("garbage", Data("just some words, not a feed\n".utf8), "not a feed"),
        ("html", Data("<!DOCTYPE html><html><head></head><body>Hi</body></html>".utf8), "HTML page"),
        ("invalid utf-8", Data("<?xml version=\"1.0\" encoding=\"UTF-8\"?><rss><channel><item><title>".utf8)
            + Data(repeating: 0xFE, count: 64) + Data("</title></item></channel></rss>".utf8), "unreadable text encoding"),
        ("billion laughs", try! Data(contentsOf: fixtures.appendingPathComponent("hostile/billion-laughs.xml")), "entity expansion refused"),
        ("deep", Data(("<rss>" + String(repeating: "<x>", count: 5000)).utf8), "nesting too deep"),
        ("bad json", Data(#"{"version": "https://jsonfeed.org/version/1.1", "items": [tru]}"#.utf8), "invalid JSON"),
    ])
    func unreadableInputExits65WithOneLine(name: String, input: Data, reason: String) async throws {
        let result = try await CLI.run(["parse", "-"], stdin: input)
        #expect(result.status == 65, "\(name)")
        #expect(result.stdout.isEmpty, "\(name)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(name): \(result.stderr)")
        #expect(result.stderr.contains(reason), "\(name): \(result.stderr)")
    }

    @Test func aMissingFileIsAClearError() async throws {
        let missing = try await CLI.run(["parse", "/nonexistent/feed.xml"])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no such file"))
        #expect(missing.stdout.isEmpty)
    }
}

import CampaignWatch
import Foundation
import Glibc

/// What a daemon under test watches: RSS feeds served by a loopback HTTP server in the test
/// process, and a configuration tree in a temporary directory that the test edits while the
/// daemon runs, the way monitors edit /etc/campaignwatch.
final class DaemonSite: @unchecked Sendable {
    let directory: URL
    let server: LoopbackHTTPServer
    /// A prohibited period around now, so posts of yesterday are violations.
    let periodStart = Date().addingTimeInterval(-30 * 86_400)
    let periodEnd = Date().addingTimeInterval(30 * 86_400)
    static let electionID = "test-2026"

    init() throws {
        directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("campaignwatch-daemon-\(UUID().uuidString.prefix(8))", isDirectory: true)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        server = try LoopbackHTTPServer(workers: 2)
        try server.start()
        try write("elections.d/test.yaml", """
            elections:
              - id: \(Self.electionID)
                name: "Test election"
                timezone: Asia/Almaty
                periods:
                  - { kind: pre-campaign, from: "\(Self.iso(periodStart))", to: "\(Self.iso(periodEnd))" }

            """)
        try write("rules.d/rules.yaml", """
            rules:
              - id: call-to-vote
                description: "Call to vote"
                query: 'голосуй*'
                severity: high

            """)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(at: directory)
    }

    var configPath: String { path("campaignwatch.yaml") }
    var spoolNew: String { path("spool/new") }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    func write(_ name: String, _ text: String) throws {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        // Written beside and renamed into place, as editors save.
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp")
        try Data(text.utf8).write(to: temporary)
        guard rename(temporary.path, url.path) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    }

    func remove(_ name: String) throws { try FileManager.default.removeItem(atPath: path(name)) }

    /// The main file: state and spool inside the directory, the three include directories.
    func writeMain(metrics: Bool = false) throws {
        try write("campaignwatch.yaml", """
            state_dir: state
            spool:
              dir: spool
            include:
              - elections.d/*.yaml
              - rules.d/*.yaml
              - watchlists.d/*.yaml
            log: { level: info }
            \(metrics ? "metrics: { textfile: metrics/campaignwatch.prom }" : "")

            """)
        if metrics { try FileManager.default.createDirectory(atPath: path("metrics"), withIntermediateDirectories: true) }
    }

    /// A watchlist file with one subject and its RSS accounts (paths on the loopback server).
    func writeSubject(_ file: String, id: String, feeds: [String], typo: Bool = false) throws {
        var text = """
            subjects:
              - id: \(id)
                name: "Subject \(id)"
                role: candidate
                elections: [\(Self.electionID)]
                \(typo ? "acounts" : "accounts"):

            """
        for feed in feeds { text += "      - rss: \(server.url(feed))\n" }
        try write("watchlists.d/\(file)", text)
    }

    /// An RSS feed with a call to vote from yesterday and a harmless post.
    func serveFeed(_ path: String, slow: Bool = false) {
        let body = Self.feed(id: path, padding: slow ? 4000 : 0)
        if slow {
            server.route(path, .drip(body, chunkSize: 400, interval: 0.25, contentType: "application/rss+xml"))
        } else {
            server.route(path, .text(String(decoding: body, as: UTF8.self), headers: [HTTPHeader("Content-Type", "application/rss+xml")]))
        }
    }

    static func feed(id: String, padding: Int) -> [UInt8] {
        let date = DateFormatter()
        date.locale = Locale(identifier: "en_US_POSIX")
        date.timeZone = TimeZone(identifier: "UTC")
        date.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let yesterday = date.string(from: Date().addingTimeInterval(-86_400))
        let filler = String(repeating: "Погода хорошая. ", count: padding / 28)
        return Array("""
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Feed \(id)</title><link>https://example.org\(id)</link>
            <item><guid isPermaLink="false">\(id)#vote</guid><link>https://example.org\(id)/vote</link>
            <description>Голосуйте за нас в воскресенье!</description><pubDate>\(yesterday)</pubDate></item>
            <item><guid isPermaLink="false">\(id)#weather</guid><link>https://example.org\(id)/weather</link>
            <description>\(filler)</description><pubDate>\(yesterday)</pubDate></item>
            </channel></rss>

            """.utf8)
    }

    static func iso(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    /// `campaignwatch status --json` parsed.
    func statusJSON(all: Bool = false) async throws -> [String: Any] {
        // By state directory: a test may have broken the configuration on purpose.
        let result = try await CLI.run(["status", "--json", "--state-dir", path("state")] + (all ? ["--all"] : []))
        guard result.status == 0, let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any] else {
            throw StatusError(text: "status failed (\(result.status)): \(result.stderr)\(result.stdout)")
        }
        return object
    }

    func statusAccounts(all: Bool = false) async throws -> [String: [String: Any]] {
        let accounts = try await statusJSON(all: all)["accounts"] as? [[String: Any]] ?? []
        return Dictionary(accounts.map { ($0["url"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    struct StatusError: Error { var text: String }

    func spooledFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: spoolNew))?.filter { $0.hasSuffix(".json") } ?? []
    }
}

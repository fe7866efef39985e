import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation
import Glibc
import Logging

/// `campaignwatch-bench fetch`: the transport alone. N feed URLs on the loopback server, one
/// round with full bodies and one of conditional requests answered 304, per libcurl driver.
/// Client and server share the process, so CPU figures include both sides.
struct FetchBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch",
        abstract: "Fetcher throughput against the loopback server: requests/s, CPU s per 1,000 requests, peak RSS.")

    enum DriverChoice: String, ExpressibleByArgument, CaseIterable {
        case poll, epoll, both
    }

    enum Encoding: String, ExpressibleByArgument {
        case gzip, identity
    }

    @Option(help: "Distinct feed URLs (accounts).")
    var urls = 10_000

    @Option(help: "Transfers in flight (also the connection limit to the one loopback host).")
    var concurrency = 64

    @Option(help: "Items per feed.")
    var items = 20

    @Option(help: "libcurl driver: poll, epoll or both.")
    var driver: DriverChoice = .both

    @Option(help: "How the server sends full bodies: gzip (when accepted) or identity.")
    var encoding: Encoding = .gzip

    @Option(help: "Loopback server worker threads.")
    var serverWorkers = 1

    func run() async throws {
        raiseOpenFileLimit()
        let logger = Logger(label: "campaignwatch.bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let feed = Array(BenchFeed.rss(items: items).utf8)
        let resource = LoopbackResource(
            body: feed, contentType: "application/rss+xml", etag: "\"feed-v1\"",
            lastModified: "Mon, 06 Feb 2023 10:30:00 GMT", codings: encoding == .gzip ? [.gzip] : [])
        let server = try LoopbackHTTPServer(workers: serverWorkers, recordsRequests: false)
        server.route(prefix: "/feed/", .resource(resource))
        try server.start()
        defer { server.stop() }

        print("fetch benchmark: \(urls) URLs, \(items)-item feed (\(feed.count) bytes, \(encoding.rawValue)), "
              + "\(concurrency) in flight, \(serverWorkers) server worker(s); client and server in one process")
        let drivers: [FetcherConfiguration.Driver] = switch driver {
        case .both: [.poll, .epoll]
        case .poll: [.poll]
        case .epoll: [.epoll]
        }
        for driver in drivers {
            var settings = PollSettings()
            settings.concurrency = concurrency
            settings.perHost = concurrency
            var configuration = FetcherConfiguration(poll: settings)
            configuration.driver = driver
            try await HTTPFetcher.withFetcher(configuration: configuration, logger: logger) { fetcher in
                let requests = (0..<urls).map { FetchRequest(url: server.url("/feed/\($0)")) }
                let full = await round(fetcher, requests)
                report(driver: driver, name: "full bodies", full)
                let conditional = zip(requests, full.validators).map { request, validators in
                    var request = request
                    request.validators = validators
                    return request
                }
                let notModified = await round(fetcher, conditional)
                report(driver: driver, name: "304 round", notModified)
            }
        }
        print("peak RSS: \(String(format: "%.1f", Double(peakRSSKilobytes()) / 1024)) MB")
    }

    struct RoundResult {
        var seconds: Double
        var cpuSeconds: Double
        var ok = 0
        var notModified = 0
        var failed = 0
        var firstFailure: String?
        var bytes = 0
        var validators: [HTTPValidators]
    }

    /// Fetches every request with at most `concurrency` in flight.
    func round(_ fetcher: HTTPFetcher, _ requests: [FetchRequest]) async -> RoundResult {
        let cpuBefore = cpuSeconds()
        let clock = ContinuousClock()
        let started = clock.now
        var result = RoundResult(seconds: 0, cpuSeconds: 0, validators: Array(repeating: HTTPValidators(), count: requests.count))
        await withTaskGroup(of: (Int, FetchOutcome).self) { group in
            var next = 0
            func add() {
                let index = next
                next += 1
                group.addTask { (index, await fetcher.fetch(requests[index])) }
            }
            while next < min(concurrency, requests.count) { add() }
            while let (index, outcome) = await group.next() {
                switch outcome.result {
                case .ok: result.ok += 1
                case .notModified: result.notModified += 1
                case .failed(let error):
                    result.failed += 1
                    if result.firstFailure == nil { result.firstFailure = error.description }
                }
                result.bytes += outcome.body.count
                result.validators[index] = outcome.validators
                if next < requests.count { add() }
            }
        }
        let elapsed = clock.now - started
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        result.cpuSeconds = cpuSeconds() - cpuBefore
        return result
    }

    func report(driver: FetcherConfiguration.Driver, name: String, _ result: RoundResult) {
        let total = result.ok + result.notModified + result.failed
        let rate = Double(total) / result.seconds
        let cpuPerThousand = result.cpuSeconds / Double(max(total, 1)) * 1000
        var line = "  \(driver.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0)) \(name.padding(toLength: 11, withPad: " ", startingAt: 0)): "
        line += String(format: "%8.0f requests/s  %6.3f CPU s/1000  %6.2f s wall", rate, cpuPerThousand, result.seconds)
        line += "  (200: \(result.ok), 304: \(result.notModified), failed: \(result.failed)"
        line += ", \(String(format: "%.1f", Double(result.bytes) / 1_048_576)) MiB decoded)"
        print(line)
        if let failure = result.firstFailure { print("    first failure: \(failure)") }
    }
}

/// User + system CPU seconds of the whole process (client and server threads alike).
func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

func peakRSSKilobytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss
}

/// Thousands of loopback connections need more descriptors than the default soft limit.
func raiseOpenFileLimit() {
    var limit = rlimit()
    guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0, limit.rlim_cur < limit.rlim_max else { return }
    limit.rlim_cur = limit.rlim_max
    _ = setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
}

/// A feed the size and shape of a real one (titles, links, HTML descriptions, dates).
enum BenchFeed {
    /// `account` makes each account's feed its own (post ids, links), as real feeds are.
    static func rss(items: Int, account: Int = 0) -> String {
        var xml = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>
            <title>Марат Жыланбаев — Telegram</title><link>https://t.me/s/example</link>
            <description>Public posts</description>

            """
        for index in 0..<items {
            xml += """
                <item><title>Пост \(index): встреча с избирателями в Алматы</title>
                <link>https://t.me/example\(account)/\(1000 + index)</link><guid isPermaLink="false">example\(account)-\(1000 + index)</guid>
                <pubDate>Mon, 06 Feb 2023 \(10 + index % 10):\(10 + index):00 +0000</pubDate>
                <description><![CDATA[<p>Сегодня мы провели встречу с жителями района. Обсудили благоустройство дворов,
                ремонт школ и поддержку малого бизнеса. Спасибо всем, кто пришёл! Пост номер \(index).</p>
                <p><a href="https://example.org/photo/\(index).jpg">фото</a></p>]]></description></item>

                """
        }
        return xml + "</channel></rss>\n"
    }
}

import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging

/// A started loopback server and fetcher for one test, both stopped afterwards.
enum FetchHarness {
    static let logger = Logger(label: "campaignwatch.test", factory: { _ in SwiftLogNoOpLogHandler() })

    static func configuration(_ driver: FetcherConfiguration.Driver) -> FetcherConfiguration {
        var settings = PollSettings()
        settings.timeout = 10
        settings.maxBody = 1 << 20
        settings.userAgent = "campaignwatch-test/1 (+https://example.org/contact)"
        settings.perHost = 8
        settings.concurrency = 64
        var configuration = FetcherConfiguration(poll: settings)
        configuration.driver = driver
        return configuration
    }

    static func run(
        _ driver: FetcherConfiguration.Driver,
        configure: (inout FetcherConfiguration) -> Void = { _ in },
        _ body: (LoopbackHTTPServer, HTTPFetcher) async throws -> Void
    ) async throws {
        let server = try LoopbackHTTPServer()
        try server.start()
        defer { server.stop() }
        var configuration = configuration(driver)
        configure(&configuration)
        try await HTTPFetcher.withFetcher(configuration: configuration, logger: logger) { fetcher in
            try await body(server, fetcher)
        }
    }

    /// A feed-sized, compressible document.
    static func feed(items: Int = 20) -> String {
        var xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Test</title>\n"
        for index in 0..<items {
            xml += "<item><title>Post \(index)</title><link>https://example.org/p/\(index)</link>"
                + "<description>Голосуйте за нас! Item \(index) with enough text to look like a real post body, "
                + "repeated words repeated words repeated words.</description>"
                + "<pubDate>Mon, 06 Feb 2023 10:\(10 + index):00 GMT</pubDate></item>\n"
        }
        return xml + "</channel></rss>\n"
    }
}

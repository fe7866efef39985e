import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite("HTTPFetcher against the loopback server")
struct HTTPFetcherTests {
    typealias H = FetchHarness
    static let drivers = FetcherConfiguration.Driver.allCases

    @Test("200: body, metadata, timings; user agent and Accept sent", arguments: drivers)
    func ok(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            let feed = H.feed()
            server.route("/feed.xml", .resource(LoopbackResource(
                text: feed, contentType: "application/rss+xml", etag: "\"v1\"",
                lastModified: "Mon, 06 Feb 2023 10:30:00 GMT")))
            let outcome = await fetcher.fetch(FetchRequest(url: server.url("/feed.xml"), accept: "application/rss+xml"))
            #expect(outcome.result == .ok)
            #expect(outcome.status == 200)
            #expect(outcome.body == Array(feed.utf8))
            #expect(outcome.contentType == "application/rss+xml")
            #expect(outcome.etag == "\"v1\"")
            #expect(outcome.lastModified == "Mon, 06 Feb 2023 10:30:00 GMT")
            #expect(outcome.validators == HTTPValidators(etag: "\"v1\"", lastModified: "Mon, 06 Feb 2023 10:30:00 GMT"))
            #expect(outcome.effectiveURL == server.url("/feed.xml"))
            #expect(outcome.redirects.isEmpty)
            #expect(outcome.timings.total > 0)
            #expect(outcome.timings.connect > 0)
            #expect(outcome.timings.total >= outcome.timings.connect)
            #expect(outcome.bytesReceived > feed.utf8.count)
            let request = try #require(server.requests(path: "/feed.xml").first?.request)
            #expect(request.header("user-agent") == "campaignwatch-test/1 (+https://example.org/contact)")
            #expect(request.header("accept") == "application/rss+xml")
            #expect(request.header("if-none-match") == nil)
            #expect(request.header("accept-encoding")?.contains("gzip") == true)
        }
    }

    @Test("304 on a remembered ETag: If-None-Match sent, no body, validators kept", arguments: drivers)
    func notModifiedByETag(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route("/e", .resource(LoopbackResource(text: H.feed(), etag: "W/\"abc\"")))
            let first = await fetcher.fetch(FetchRequest(url: server.url("/e")))
            #expect(first.result == .ok)
            let second = await fetcher.fetch(FetchRequest(url: server.url("/e"), validators: first.validators))
            #expect(second.result == .notModified)
            #expect(second.status == 304)
            #expect(second.body.isEmpty)
            #expect(second.validators.etag == "W/\"abc\"")
            #expect(server.requests(path: "/e").last?.request.header("if-none-match") == "W/\"abc\"")
            // A stale ETag gets the full body again.
            let stale = await fetcher.fetch(FetchRequest(url: server.url("/e"), validators: HTTPValidators(etag: "\"old\"")))
            #expect(stale.result == .ok)
            #expect(!stale.body.isEmpty)
        }
    }

    @Test("304 on a remembered Last-Modified: If-Modified-Since sent verbatim", arguments: drivers)
    func notModifiedByDate(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            let modified = "Tue, 07 Feb 2023 08:00:00 GMT"
            server.route("/m", .resource(LoopbackResource(text: "x", lastModified: modified)))
            let first = await fetcher.fetch(FetchRequest(url: server.url("/m")))
            #expect(first.validators == HTTPValidators(lastModified: modified))
            let second = await fetcher.fetch(FetchRequest(url: server.url("/m"), validators: first.validators))
            #expect(second.result == .notModified)
            #expect(second.validators.lastModified == modified)
            #expect(server.requests(path: "/m").last?.request.header("if-modified-since") == modified)
            #expect(server.requests(path: "/m").last?.request.header("if-none-match") == nil)
        }
    }

    @Test("gzip and deflate bodies are decoded", arguments: [LoopbackResource.Coding.gzip, .deflate])
    func contentEncodings(_ coding: LoopbackResource.Coding) async throws {
        try await H.run(.epoll) { server, fetcher in
            let feed = H.feed(items: 50)
            server.route("/z", .resource(LoopbackResource(text: feed, codings: [coding])))
            let outcome = await fetcher.fetch(FetchRequest(url: server.url("/z")))
            #expect(outcome.result == .ok)
            #expect(outcome.body == Array(feed.utf8))
            // What came over the wire was the compressed form.
            #expect(outcome.bytesReceived < feed.utf8.count / 3)
            #expect(server.requests(path: "/z").first?.request.header("accept-encoding")?.contains(coding.rawValue) == true)
        }
    }

    @Test("redirects are followed and reported; the configured URL is kept", arguments: drivers)
    func redirects(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route("/final", .text("here"))
            server.redirectChain(from: "/temp", hops: 3, to: "/final", status: 302)
            let temporary = await fetcher.fetch(FetchRequest(url: server.url("/temp")))
            #expect(temporary.result == .ok)
            #expect(temporary.body == Array("here".utf8))
            #expect(temporary.redirects.map(\.status) == [302, 302, 302])
            #expect(temporary.redirects.first?.from == server.url("/temp"))
            #expect(temporary.redirects.last?.to == server.url("/final"))
            #expect(temporary.effectiveURL == server.url("/final"))
            #expect(temporary.url == server.url("/temp"))
            #expect(temporary.movedPermanentlyTo == nil)

            server.route("/old", .redirect(to: "/new", status: 301))
            server.route("/new", .redirect(to: "/final", status: 308))
            let moved = await fetcher.fetch(FetchRequest(url: server.url("/old")))
            #expect(moved.result == .ok)
            #expect(moved.movedPermanentlyTo == server.url("/final"))
            #expect(moved.url == server.url("/old"))

            server.route("/perm-then-temp", .redirect(to: "/temp", status: 301))
            let mixed = await fetcher.fetch(FetchRequest(url: server.url("/perm-then-temp")))
            #expect(mixed.movedPermanentlyTo == server.url("/temp"))
        }
    }

    @Test("five redirects are followed; a sixth is an error", arguments: drivers)
    func tooManyRedirects(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route("/end", .text("end"))
            server.redirectChain(from: "/five", hops: 5, to: "/end")
            server.redirectChain(from: "/six", hops: 6, to: "/end")
            #expect(await fetcher.fetch(FetchRequest(url: server.url("/five"))).result == .ok)
            let six = await fetcher.fetch(FetchRequest(url: server.url("/six")))
            #expect(six.result == .failed(.tooManyRedirects(limit: 5)))
            #expect(six.error?.description == "more than 5 redirects")
            #expect(six.pollResult(newPosts: 0) == .failure(PollFailure(kind: .tooManyRedirects, message: "more than 5 redirects")))
        }
    }

    @Test("429 and 503 carry Retry-After in both forms to the scheduler", arguments: drivers)
    func retryAfter(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route("/limited", .retryAfter("120"))
            server.route("/down", .retryAfter("Sun, 06 Nov 2044 08:49:37 GMT", status: 503))
            server.route("/gone", .retryAfter("60", status: 404))
            let limited = await fetcher.fetch(FetchRequest(url: server.url("/limited")))
            #expect(limited.result == .failed(.httpStatus(429)))
            #expect(limited.retryAfter == .seconds(120))
            #expect(limited.pollResult(newPosts: 0) == .failure(PollFailure(
                kind: .http, message: "HTTP 429 Too Many Requests", retryAfter: .seconds(120))))
            let down = await fetcher.fetch(FetchRequest(url: server.url("/down")))
            #expect(down.result == .failed(.httpStatus(503)))
            #expect(down.retryAfter == .date(HTTPDate.parse("Sun, 06 Nov 2044 08:49:37 GMT")!))
            let gone = await fetcher.fetch(FetchRequest(url: server.url("/gone")))
            #expect(gone.result == .failed(.httpStatus(404)))
            // Retry-After is honoured on 429/503 only.
            #expect(gone.pollResult(newPosts: 0) == .failure(PollFailure(kind: .http, message: "HTTP 404 Not Found")))
        }
    }

    @Test("a body that drips slower than the timeout is cut off", arguments: drivers)
    func timeout(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver, configure: { $0.timeout = 1 }) { server, fetcher in
            server.route("/slow", .drip(Array(repeating: UInt8(ascii: "a"), count: 100), chunkSize: 10, interval: 0.4))
            let outcome = await fetcher.fetch(FetchRequest(url: server.url("/slow")))
            let elapsed = outcome.timings.total
            guard case .failed(.timeout(let error)) = outcome.result else {
                Issue.record("expected a timeout, got \(outcome.result)")
                return
            }
            #expect(error.message.contains("Operation timed out"))
            #expect(elapsed >= 0.9 && elapsed < 3.5, "cut at the 1 s timeout, long before the 4 s body ends")
            #expect(outcome.pollResult(newPosts: 0) == .failure(PollFailure(kind: .timeout, message: outcome.error!.description)))
        }
    }

    @Test("a slow body within the timeout arrives whole")
    func slowButInTime() async throws {
        try await H.run(.epoll) { server, fetcher in
            let body = Array("0123456789".utf8)
            server.route("/drip", .drip(body, chunkSize: 3, interval: 0.05))
            let outcome = await fetcher.fetch(FetchRequest(url: server.url("/drip")))
            #expect(outcome.result == .ok)
            #expect(outcome.body == body)
        }
    }

    @Test("a huge body stops at max_body", arguments: drivers)
    func huge(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route("/huge", .huge(bytes: 50 << 20))
            let outcome = await fetcher.fetch(FetchRequest(url: server.url("/huge")))
            #expect(outcome.result == .failed(.tooLarge(limit: 1 << 20)))
            #expect(outcome.error?.description == "body larger than 1048576 bytes")
            #expect(outcome.body.isEmpty)
            #expect(outcome.bytesReceived < 4 << 20)
        }
    }

    @Test("a gzip bomb stops at max_body of decoded bytes", arguments: drivers)
    func gzipBomb(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route("/bomb", .gzipBomb(decodedBytes: 64 << 20))
            let outcome = await fetcher.fetch(FetchRequest(url: server.url("/bomb")))
            #expect(outcome.result == .failed(.tooLarge(limit: 1 << 20)))
            #expect(outcome.error?.description == "body larger than 1048576 bytes")
            // Only a sliver of the bomb was read before the cut.
            #expect(outcome.bytesReceived < 100_000)
            #expect(outcome.pollResult(newPosts: 0) == .failure(PollFailure(kind: .tooLarge, message: "body larger than 1048576 bytes")))
        }
    }

    @Test("a body exactly at max_body is accepted")
    func exactlyAtLimit() async throws {
        try await H.run(.epoll, configure: { $0.maxBody = 4096 }) { server, fetcher in
            server.route("/exact", .huge(bytes: 4096))
            server.route("/over", .huge(bytes: 4097))
            #expect(await fetcher.fetch(FetchRequest(url: server.url("/exact"))).body.count == 4096)
            #expect(await fetcher.fetch(FetchRequest(url: server.url("/over"))).result == .failed(.tooLarge(limit: 4096)))
        }
    }

    @Test("a refused connection, an unknown host and a TLS failure are told apart", arguments: drivers)
    func transportErrors(_ driver: FetcherConfiguration.Driver) async throws {
        let closedPort = try LoopbackHTTPServer().port  // bound, never listened on after deinit
        try await H.run(driver, configure: { $0.connectTimeout = 5 }) { server, fetcher in
            let refused = await fetcher.fetch(FetchRequest(url: "http://127.0.0.1:\(closedPort)/x"))
            guard case .failed(.connect(let error)) = refused.result else {
                Issue.record("expected connection refused, got \(refused.result)")
                return
            }
            #expect(error.message.contains("127.0.0.1"))
            #expect(refused.pollResult(newPosts: 0) == .failure(PollFailure(kind: .connect, message: refused.error!.description)))

            let unknown = await fetcher.fetch(FetchRequest(url: "http://campaignwatch-test.invalid/feed"))
            guard case .failed(.dns(let dnsError)) = unknown.result else {
                Issue.record("expected a DNS failure, got \(unknown.result)")
                return
            }
            #expect(dnsError.message.contains("campaignwatch-test.invalid"))

            server.route("/tls", .text("plain"))
            let tls = await fetcher.fetch(FetchRequest(url: "https://127.0.0.1:\(server.port)/tls"))
            guard case .failed(.tls) = tls.result else {
                Issue.record("expected a TLS failure, got \(tls.result)")
                return
            }
            #expect(tls.pollResult(newPosts: 0) == .failure(PollFailure(kind: .tls, message: tls.error!.description)))
        }
    }

    @Test("the configured proxy carries the request")
    func proxy() async throws {
        let proxy = try LoopbackHTTPServer()
        proxy.fallback(.handler { request in
            LoopbackResponse(status: 200, text: "via proxy: \(request.target) host=\(request.header("host") ?? "")")
        })
        try proxy.start()
        defer { proxy.stop() }
        try await H.run(.epoll, configure: { $0.proxy = proxy.baseURL }) { _, fetcher in
            let outcome = await fetcher.fetch(FetchRequest(url: "http://feeds.campaignwatch.test/a.xml"))
            #expect(outcome.result == .ok)
            #expect(String(decoding: outcome.body, as: UTF8.self)
                == "via proxy: http://feeds.campaignwatch.test/a.xml host=feeds.campaignwatch.test")
        }
    }
}

import CampaignWatch
import CampaignWatchCore
import Foundation
import ServiceLifecycle
import Testing

@Suite("HTTPFetcher concurrency, connection reuse, cancellation and shutdown")
struct HTTPFetcherConcurrencyTests {
    typealias H = FetchHarness

    @Test("many concurrent fetches from many tasks all complete correctly",
          arguments: FetcherConfiguration.Driver.allCases)
    func manyConcurrent(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route(prefix: "/feed/", .handler { request in
                LoopbackResponse(status: 200, text: "feed \(request.path.dropFirst(6))")
            })
            let outcomes = await withTaskGroup(of: (Int, FetchOutcome).self) { group in
                for index in 0..<1000 {
                    group.addTask { (index, await fetcher.fetch(FetchRequest(url: server.url("/feed/\(index)")))) }
                }
                var all: [Int: FetchOutcome] = [:]
                for await (index, outcome) in group { all[index] = outcome }
                return all
            }
            #expect(outcomes.count == 1000)
            for (index, outcome) in outcomes {
                #expect(outcome.result == .ok)
                #expect(String(decoding: outcome.body, as: UTF8.self) == "feed \(index)")
            }
            // Connections were reused, never more than the per-host limit (8).
            #expect(server.connectionsAccepted <= 8)
            #expect(server.peakConcurrentRequests <= 8)
        }
    }

    @Test("the per-host connection limit holds against slow answers")
    func perHostLimit() async throws {
        try await H.run(.epoll, configure: { $0.maxHostConnections = 2 }) { server, fetcher in
            server.route("/slow", .drip(Array("abcdef".utf8), chunkSize: 2, interval: 0.05))
            await withTaskGroup(of: Void.self) { group in
                for _ in 0..<8 {
                    group.addTask { #expect(await fetcher.fetch(FetchRequest(url: server.url("/slow"))).result == .ok) }
                }
            }
            #expect(server.peakConcurrentRequests == 2)
            #expect(server.requests(path: "/slow").allSatisfy { $0.concurrentRequests <= 2 })
            #expect(server.connectionsAccepted == 2)
        }
    }

    @Test("sequential fetches reuse one kept-alive connection")
    func keepAlive() async throws {
        try await H.run(.epoll) { server, fetcher in
            server.route("/k", .text("k"))
            for _ in 0..<20 { _ = await fetcher.fetch(FetchRequest(url: server.url("/k"))) }
            #expect(server.connectionsAccepted == 1)
            #expect(Set(server.requests(path: "/k").map(\.request.connectionID)).count == 1)
        }
    }

    @Test("cancelling the task abandons its transfer at once", arguments: FetcherConfiguration.Driver.allCases)
    func cancellation(_ driver: FetcherConfiguration.Driver) async throws {
        try await H.run(driver) { server, fetcher in
            server.route("/forever", .drip(Array(repeating: 0x61, count: 100), chunkSize: 1, interval: 1))
            let started = Date()
            let task = Task { await fetcher.fetch(FetchRequest(url: server.url("/forever"))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            let outcome = await task.value
            #expect(outcome.result == .failed(.cancelled))
            #expect(outcome.pollResult(newPosts: 0) == .cancelled)
            // The body would take 100 s to arrive; ending far sooner proves the transfer was abandoned.
            // (The margin is wide because other suites running in parallel can hold the 2 cores.)
            #expect(Date().timeIntervalSince(started) < 30)
            // The fetcher goes on working.
            server.route("/after", .text("ok"))
            #expect(await fetcher.fetch(FetchRequest(url: server.url("/after"))).result == .ok)
        }
    }

    @Test("shutdown lets quick transfers finish, abandons slow ones after the grace, refuses new work",
          arguments: FetcherConfiguration.Driver.allCases)
    func shutdown(_ driver: FetcherConfiguration.Driver) async throws {
        let server = try LoopbackHTTPServer()
        try server.start()
        defer { server.stop() }
        server.route("/quick", .drip(Array("quick".utf8), chunkSize: 1, interval: 0.05))
        server.route("/slow", .drip(Array(repeating: 0x61, count: 60), chunkSize: 1, interval: 0.5))
        let fetcher = try HTTPFetcher(configuration: H.configuration(driver), logger: H.logger)
        fetcher.start()
        async let quick = fetcher.fetch(FetchRequest(url: server.url("/quick")))
        async let slow1 = fetcher.fetch(FetchRequest(url: server.url("/slow")))
        async let slow2 = fetcher.fetch(FetchRequest(url: server.url("/slow")))
        for _ in 0..<500 where server.requests.count < 3 {  // until all three are in flight
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(server.requests.count == 3)
        let started = Date()
        await fetcher.shutdown(grace: 1)
        let elapsed = Date().timeIntervalSince(started)
        #expect(elapsed >= 0.9 && elapsed < 15, "the grace, not the 30 s the slow bodies need")
        #expect(await quick.result == .ok)
        #expect(await quick.body == Array("quick".utf8))
        #expect(await slow1.result == .failed(.shutDown))
        #expect(await slow2.result == .failed(.shutDown))
        #expect(await slow1.pollResult(newPosts: 0) == .cancelled)
        let late = await fetcher.fetch(FetchRequest(url: server.url("/quick")))
        #expect(late.result == .failed(.shutDown))
    }

    @Test("shutdown with nothing in flight returns at once")
    func idleShutdown() async throws {
        let fetcher = try HTTPFetcher(configuration: H.configuration(.poll), logger: H.logger)
        let started = Date()
        await fetcher.shutdown()
        fetcher.start()  // too late: stays stopped
        #expect(await fetcher.fetch(FetchRequest(url: "http://127.0.0.1:1/")).result == .failed(.shutDown))
        #expect(Date().timeIntervalSince(started) < 10)
    }
}

@Suite("HTTPFetcher as a service")
struct HTTPFetcherServiceTests {
    @Test("runs in a ServiceGroup and stops taking work on graceful shutdown")
    func serviceGroup() async throws {
        let server = try LoopbackHTTPServer()
        server.route("/s", .text("s"))
        try server.start()
        defer { server.stop() }
        let fetcher = try HTTPFetcher(configuration: FetchHarness.configuration(.poll), logger: FetchHarness.logger)
        let group = ServiceGroup(configuration: .init(services: [fetcher], logger: FetchHarness.logger))
        let running = Task { try await group.run() }
        #expect(await fetcher.fetch(FetchRequest(url: server.url("/s"))).result == .ok)
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(await fetcher.fetch(FetchRequest(url: server.url("/s"))).result == .failed(.shutDown))
    }
}

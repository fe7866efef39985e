@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing

/// The daemon in-process, reloads driven through `run(triggers:)` with an AsyncStream instead of
/// SIGHUP and inotify: a good configuration is swapped in (the added account is polled), a broken
/// one is refused and the running one stays; graceful shutdown sends STOPPING=1.
@Suite(.serialized) struct DaemonReloadTests {
    /// `Daemon.run(triggers:)` as the one service of a ServiceGroup, for its graceful shutdown.
    struct DaemonUnderTest: Service {
        let daemon: Daemon
        let triggers: AsyncStream<Daemon.ReloadTrigger>
        func run() async throws { await daemon.run(triggers: triggers) }
    }

    final class NextLoad: Sendable {
        let result: Mutex<ConfigurationLoadResult>
        init(_ result: ConfigurationLoadResult) { self.result = Mutex(result) }
    }

    static func waitUntil(_ timeout: TimeInterval = 30, _ condition: () throws -> Bool) async rethrows -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if try condition() { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    @Test func goodReloadSwapsInBrokenReloadKeepsTheRunningConfiguration() async throws {
        let harness = try PipelineHarness(accounts: [])
        for path in ["/a.xml", "/b.xml"] {
            harness.server.route(path, .text(String(decoding: TestFeed.rss([("\(path)-1", "Голосуйте!", PollPipelineTests.preCampaign)]),
                                                    as: UTF8.self)))
        }
        let a = Account(platform: .rss, handle: harness.url("/a.xml"), url: harness.url("/a.xml"))
        let b = Account(platform: .rss, handle: harness.url("/b.xml"), url: harness.url("/b.xml"))
        harness.configuration.subjects[0].accounts = [a]
        let first = harness.configuration
        var second = first
        second.subjects[0].accounts = [a, b]

        let pipeline = try harness.pipeline()
        let receiver = try NotifyReceiver(abstract: true, directory: harness.directory.path)
        let link = ServiceManagerLink(notifier: try SystemdNotifier(socketPath: receiver.address), watchdog: nil, logger: harness.logger)
        let loads = NextLoad(ConfigurationLoadResult(configuration: second, errors: [], warnings: [], files: []))
        let daemon = Daemon(options: Daemon.Options(configPath: "campaignwatch.yaml"), pipeline: pipeline,
                            snapshot: try PipelineSnapshot(configuration: first),
                            initialLoad: ConfigurationLoadResult(configuration: first, errors: [], warnings: [], files: []),
                            load: { _ in loads.result.withLock { $0 } }, link: link, logger: harness.logger)
        let (triggers, trigger) = AsyncStream.makeStream(of: Daemon.ReloadTrigger.self)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [.init(service: DaemonUnderTest(daemon: daemon, triggers: triggers))], logger: harness.logger))
        let running = Task { try await group.run() }
        var messages: [String] = []
        func received(_ text: String) async -> Bool {
            await Self.waitUntil { messages += receiver.receiveAll(); return messages.contains { $0.contains(text) } }
        }

        #expect(await received("READY=1"))
        #expect(await Self.waitUntil { !harness.server.requests(path: "/a.xml").isEmpty })

        trigger.yield(.signal)
        #expect(await Self.waitUntil { !harness.server.requests(path: "/b.xml").isEmpty }, "the added account was not polled")
        #expect(await received("RELOADING=1"))
        #expect(await Self.waitUntil {
            messages += receiver.receiveAll()
            let reloading = messages.firstIndex { $0.hasPrefix("RELOADING=1") } ?? messages.count
            return messages[reloading...].contains { $0.hasPrefix("READY=1") }
        }, "no READY=1 after RELOADING=1: \(messages)")

        loads.result.withLock {
            $0 = ConfigurationLoadResult(configuration: nil, errors: [
                ConfigDiagnostic(.error, file: "watchlists.d/kz.yaml", line: 6, column: 5, message: "unknown key `acounts`"),
            ], warnings: [], files: [])
        }
        trigger.yield(.files(["watchlists.d/kz.yaml"]))
        #expect(await received("reload rejected (1 error(s))"))
        #expect(link.reloadFailed)
        let store = try harness.store()
        #expect(try store.accounts().map(\.key).sorted() == [a.key, b.key].sorted())

        // Back to a good configuration without b: b is removed, its history kept.
        loads.result.withLock { $0 = ConfigurationLoadResult(configuration: first, errors: [], warnings: [], files: []) }
        trigger.yield(.signal)
        #expect(await Self.waitUntil { (try? store.accounts().map(\.key)) == [a.key] })
        #expect(try store.accounts(includeRemoved: true).first { $0.key == b.key }?.postsSeen == 1)
        // The loop swaps the accounts in, then reports the reload: the flag clears right after.
        #expect(await Self.waitUntil { !link.reloadFailed })

        await group.triggerGracefulShutdown()
        try await running.value
        #expect(await received("STOPPING=1"))
    }
}

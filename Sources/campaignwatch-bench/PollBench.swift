import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging

/// `campaignwatch-bench poll`: the whole polling pipeline. N accounts served from the loopback
/// server (a 20-item feed each), one round with full bodies — fetch, parse, match, store — and
/// one round of conditional requests answered 304. Client and server share the process.
struct PollBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Polling throughput: polls/s, CPU s per 1,000 polls, peak RSS, full-body and 304 rounds.")

    @Option(help: "Accounts (each its own feed URL).")
    var accounts = 10_000

    @Option(help: "Items per feed.")
    var items = 20

    @Option(help: "Polls in flight.")
    var concurrency = 64

    @Flag(help: "Do not archive raw bytes (`evidence.keep_raw: false`): shows what the archive costs.")
    var noArchive = false

    @Option(help: "A rules directory or file to match with (the example rules by default).")
    var rules = "config/rules.d"

    func run() async throws {
        raiseOpenFileLimit()
        let logger = Logger(label: "campaignwatch.bench", factory: { _ in SwiftLogNoOpLogHandler() })
        let ruleDefinitions = try loadRules()
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-pollbench-\(getpid())").path
        defer { try? FileManager.default.removeItem(atPath: work) }

        // Every account's feed differs (its own post ids and words), as real feeds do.
        let server = try LoopbackHTTPServer(workers: 1, recordsRequests: false)
        let items = items
        server.route(prefix: "/feed/", .handler { request in
            let index = Int(request.path.dropFirst("/feed/".count)) ?? 0
            let etag = "\"feed-\(index)-v1\""
            if request.header("if-none-match") == etag { return LoopbackResponse(status: 304, headers: [HTTPHeader("ETag", etag)]) }
            return LoopbackResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/rss+xml"), HTTPHeader("ETag", etag)],
                                    body: .bytes(Array(BenchFeed.rss(items: items, account: index).utf8)))
        })
        try server.start()
        defer { server.stop() }

        var settings = PollSettings()
        settings.concurrency = concurrency
        settings.perHost = concurrency
        let subjects = stride(from: 0, to: accounts, by: 100).map { first in
            Subject(id: "s\(first / 100)", name: "Subject \(first / 100)", names: ["Жыланбаев"], elections: [],
                    accounts: (first..<min(first + 100, accounts)).map { index in
                        let url = server.url("/feed/\(index)")
                        return Account(platform: .rss, handle: url, url: url)
                    })
        }
        var configuration = Configuration(stateDir: work + "/state", spool: SpoolSettings(dir: work + "/spool"), poll: settings,
                                          subjects: subjects, rules: ruleDefinitions)
        if noArchive { configuration.evidence.keepRaw = false }
        var policy = SchedulerPolicy()
        policy.hostSpacing = .none
        let pipeline = try Pipeline(configuration: configuration, logger: logger, policy: policy)
        let snapshot = try PipelineSnapshot(configuration: configuration)

        print("poll benchmark: \(accounts) accounts, \(items)-item feeds, \(concurrency) in flight, "
              + "\(ruleDefinitions.count) rules; fetch + parse + match + store\(noArchive ? " (no raw archive)" : " + archive")"
              + "; client and server in one process")
        for name in ["full bodies", "304 round"] {
            let cpuBefore = cpuSeconds()
            let started = Date()
            let reports = await pipeline.loop.runRound(snapshot, hooks: PollLoop.Hooks())
            let seconds = Date().timeIntervalSince(started)
            let cpu = cpuSeconds() - cpuBefore
            var fetched = 0, notModified = 0, failed = 0, posts = 0
            var firstFailure: String?
            for report in reports {
                posts += report.newPosts
                switch report.outcome {
                case .fetched: fetched += 1
                case .notModified: notModified += 1
                case .failed(let failure):
                    failed += 1
                    firstFailure = firstFailure ?? failure.message
                case .cancelled: break
                }
            }
            print("  \(name.padding(toLength: 11, withPad: " ", startingAt: 0)): "
                + String(format: "%7.0f polls/s  %6.3f CPU s/1000 polls  %6.2f s wall", Double(reports.count) / seconds,
                         cpu / Double(max(reports.count, 1)) * 1000, seconds)
                + "  (fetched \(fetched), not modified \(notModified), failed \(failed), \(posts) new posts stored)")
            if let firstFailure { print("    first failure: \(firstFailure)") }
        }
        // What the evidence record cost: links appended, objects archived (each new version's item
        // and its response) in packs and as loose files, and their size on disk.
        let links = (try? pipeline.store.chainHead()?.seq) ?? 0
        let packed = (try? pipeline.store.packedObjectCount()) ?? 0
        var packs = 0, loose = 0, bytes = 0
        let evidence = EvidenceArchive.directory(stateDir: configuration.stateDir)
        if let walker = FileManager.default.enumerator(atPath: evidence) {
            while let name = walker.nextObject() as? String {
                if name.hasSuffix(".gz") { loose += 1 } else if name.hasSuffix(".pack") { packs += 1 } else { continue }
                bytes += ((try? FileManager.default.attributesOfItem(atPath: evidence + "/" + name)[.size]) as? Int) ?? 0
            }
        }
        print("  evidence: \(links) chain links, \(packed) packed objects in \(packs) pack(s), \(loose) loose objects, "
              + String(format: "%.1f MB", Double(bytes) / 1_048_576))
        await pipeline.shutdown()
        print("  peak RSS: \(String(format: "%.1f", Double(peakRSSKilobytes()) / 1024)) MB")
    }

    private func loadRules() throws -> [RuleDefinition] {
        guard FileManager.default.fileExists(atPath: rules) else {
            print("(no \(rules): matching with one rule)")
            return [RuleDefinition(id: "call-to-vote", query: "голосуй* OR \"отдай* голос*\"")]
        }
        return try RulesFile.files(at: rules).flatMap { try RulesFile.load($0) }
    }
}

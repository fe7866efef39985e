import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation

/// `campaignwatch demo`: the whole pipeline offline. Serves the bundled sources
/// (`config/demo/sites/`) on a loopback port, points the example configuration at them, polls
/// once, writes alerts to `./demo-spool` and prints them.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Runs the pipeline offline on bundled sources, writes alerts to ./demo-spool and prints them.",
        discussion: "Starts afresh each time: ./demo-state and ./demo-spool are emptied first."
    )

    @Option(name: .long, help: "The example configuration (its demo/sites/ directory holds the sources).")
    var config = "config/campaignwatch.yaml"

    @Option(name: .long, help: "Where the alerts go.")
    var spool = "demo-spool"

    @Option(name: .long, help: "Where the state database goes.")
    var state = "demo-state"

    func run() async throws {
        guard FileManager.default.fileExists(atPath: config) else {
            StandardError.print("campaignwatch demo: \(config) not found; run it from the repository root or give --config")
            throw ExitStatus.usage
        }
        var configuration = try ConfigLoading.load(config)
        let sites = ((config as NSString).deletingLastPathComponent as NSString).appendingPathComponent("demo/sites")
        guard FileManager.default.fileExists(atPath: sites) else {
            StandardError.print("campaignwatch demo: no bundled sources at \(sites)")
            throw ExitStatus.failure
        }
        let server = try LoopbackHTTPServer(workers: 1, recordsRequests: false)
        server.fallback(DemoSite(root: sites).route)
        try server.start()
        defer { server.stop() }

        for directory in [state, spool] { try? FileManager.default.removeItem(atPath: directory) }
        configuration = DemoSite.rewrite(configuration, base: server.baseURL)
        configuration.stateDir = state
        configuration.spool.dir = spool
        print("serving the bundled sources of \(sites) at \(server.baseURL)")
        print("polling \(configuration.subjects.reduce(0) { $0 + $1.accounts.count }) account(s) of "
            + "\(configuration.subjects.count) subject(s) with \(configuration.rules.count) rule(s)…")

        let logger = Runtime.logger(configuration)
        var policy = SchedulerPolicy()
        policy.hostSpacing = .none  // our own loopback server: no need to be polite
        let (pipeline, snapshot) = try Runtime.pipeline(configuration, logger: logger, policy: policy)
        let summary = try await PollRound.run(pipeline: pipeline, snapshot: snapshot, subjects: nil, logger: logger)
        await pipeline.shutdown()
        print(summary.text(spoolDirectory: spool), terminator: "")
        try printAlerts(in: spool)
    }

    /// Reads the spool the way a consumer does: the files in new/.
    private func printAlerts(in spool: String) throws {
        let new = (spool as NSString).appendingPathComponent("new")
        let names = try FileManager.default.contentsOfDirectory(atPath: new).sorted()
        var alerts: [Alert] = []
        for name in names where name.hasSuffix(".json") {
            guard let data = FileManager.default.contents(atPath: (new as NSString).appendingPathComponent(name)) else { continue }
            alerts.append(try Alert(json: [UInt8](data)))
        }
        alerts.sort { ($0.post.judgedAt, $0.id) < ($1.post.judgedAt, $1.id) }
        print("")
        for alert in alerts { print(AlertDisplay.text(alert)) }
        let others = names.filter { !$0.hasSuffix(".json") && !$0.hasPrefix(".") }
        if !others.isEmpty { print("\(others.count) alert(s) in another format: see \(new)") }
        print("\(alerts.count + others.count) alert file(s) in \(new)")
    }
}

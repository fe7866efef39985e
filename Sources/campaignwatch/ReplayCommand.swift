import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation

/// `campaignwatch replay [--since TIME] [--until TIME] [--write]`: the archive judged again with
/// the current configuration; what would be raised now that was not, and what no longer would.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Judges every archived post again with the current configuration and shows how the alerts would differ.",
        discussion: """
            Lists the violations that would be raised now and were not before, and those raised before \
            that would not be raised now, with the reason. Posts are judged in the version last seen, at \
            their platform time (else when first seen); --since and --until select posts by that time. \
            A time without an offset is read in the elections' time zone (give an offset when the \
            elections use several). --write stores the new alerts and writes them to the spool, once: \
            a second --write adds nothing. Safe while the daemon runs.
            Exit status: 0 when the replay ran, 1 when the archive cannot be read, 64 wrong usage, \
            78 for an invalid configuration.
            """
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Only posts judged at or after this time (e.g. 2026-03-01 or 2026-03-01T12:00Z).")
    var since: String?

    @Option(name: .long, help: "Only posts judged before this time.")
    var until: String?

    @Flag(name: .long, help: "Store the new alerts and write them to the spool.")
    var write = false

    func run() throws {
        let configuration = try ConfigLoading.load(options.config)
        let window = try (since.map { try Self.instant($0, option: "--since", configuration) },
                          until.map { try Self.instant($0, option: "--until", configuration) })
        if let from = window.0, let to = window.1, from >= to {
            StandardError.print("campaignwatch: --since must be earlier than --until")
            throw ExitStatus.usage
        }
        let snapshot = try Runtime.snapshot(configuration)
        let path = Pipeline.databasePath(stateDir: configuration.stateDir)
        guard FileManager.default.fileExists(atPath: path) else {
            StandardError.print("campaignwatch: no archive at \(path): nothing has been polled with this state_dir yet "
                + "(run `campaignwatch poll --once` or the daemon first)")
            throw ExitStatus.failure
        }
        let progress = CountLine(label: "posts judged", enabled: Runtime.stderrIsTerminal)
        let result: Replay.Result
        let store: StateStore
        do {
            store = try StateStore(path: path)
            result = try Replay.run(snapshot: snapshot, store: store, since: window.0, until: window.1, now: Date(),
                                    progress: progress.show)
        } catch {
            progress.finish()
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        }
        progress.finish()
        print(report(result, configuration: configuration))
        guard write, !result.new.isEmpty else { return }
        do {
            let spooler = try AlertSpooler(settings: configuration.spool,
                                           archive: EvidenceArchive(stateDir: configuration.stateDir, store: store),
                                           logger: Runtime.logger(configuration))
            let flush = try Replay.write(result.new, store: store, spooler: spooler)
            let written = Set(flush.written + flush.alreadyPresent)
            let mine = result.new.filter { written.contains($0.alert.id) }.count
            print("written to \(configuration.spool.dir)/new: \(mine) of \(result.new.count) new alert(s)"
                + (flush.stillPending > 0 ? "; \(flush.stillPending) still pending (\(flush.error ?? "spool error")): "
                    + "the daemon or the next `replay --write` writes them" : ""))
            if flush.stillPending > 0 { throw ExitStatus.failure }
        } catch let error as StoreError {
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        } catch let error as SystemError {
            StandardError.print("campaignwatch: cannot open the spool: \(error)")
            throw ExitStatus.failure
        }
    }

    private func report(_ result: Replay.Result, configuration: Configuration) -> String {
        var window = ""
        if let since { window += " from \(since)" }
        if let until { window += " until \(until)" }
        var lines = ["replayed \(result.postsJudged) archived post(s)\(window) with the current configuration"]
        if result.postsOfUnwatchedAccounts > 0 {
            lines.append("\(result.postsOfUnwatchedAccounts) of them from accounts no longer configured (not judged)")
        }
        lines.append("violations: \(result.new.count) new, \(result.noLonger.count) no longer raised, \(result.unchanged) unchanged")
        if !result.new.isEmpty {
            lines.append("")
            lines.append("would be raised now, not raised before:")
            let sorted = result.new.sorted { ($0.alert.post.judgedAt, $0.alert.id) < ($1.alert.post.judgedAt, $1.alert.id) }
            for (alert, _) in sorted { lines.append("+ " + AlertDisplay.text(alert)) }
            if !write { lines.append("(`replay --write` stores these and writes them to \(configuration.spool.dir))") }
        }
        if !result.noLonger.isEmpty {
            lines.append("")
            lines.append("raised before, would not be raised now:")
            for (archived, reason) in result.noLonger {
                if let alert = try? Alert(json: archived.document) {
                    lines.append("- " + AlertDisplay.text(alert))
                } else {
                    lines.append("- \(archived.kind)  \(archived.electionID)  \(archived.accountKey)  \(archived.postID)  \(archived.id)")
                }
                lines.append("  why: \(reason)")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// An instant from the command line; a wall-clock time is read in the elections' zone.
    static func instant(_ text: String, option: String, _ configuration: Configuration) throws -> Date {
        let time: WallClockTime
        do {
            time = try WallClockTime.parse(text)
        } catch {
            StandardError.print("campaignwatch: \(option): \(error)")
            throw ExitStatus.usage
        }
        if time.offsetSeconds != nil, let date = try? time.resolve(in: TimeZone(identifier: "UTC")!) { return date }
        let zones = Set(configuration.elections.map(\.timeZone.identifier))
        guard zones.count <= 1 else {
            StandardError.print("campaignwatch: \(option) \(text): the elections use several time zones "
                + "(\(zones.sorted().joined(separator: ", "))): give an offset, e.g. \(text)T00:00+06:00 or …Z")
            throw ExitStatus.usage
        }
        let zone = configuration.elections.first?.timeZone ?? TimeZone(identifier: "UTC")!
        do {
            return try time.resolve(in: zone)
        } catch {
            StandardError.print("campaignwatch: \(option): \(error)")
            throw ExitStatus.usage
        }
    }
}

/// `posts judged: 1200/50000` on stderr, rewritten in place; nothing when stderr is not a terminal.
struct CountLine {
    let label: String
    let enabled: Bool

    func show(_ done: Int, _ total: Int) {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\(label): \(done)/\(total)".utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

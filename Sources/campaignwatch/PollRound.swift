import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging
import Synchronization

/// One round of polls with a live progress line on a terminal; shared by `poll --once` and `demo`.
enum PollRound {
    struct Summary {
        var reports: [AccountPollReport]
        var seconds: Double

        func text(spoolDirectory: String) -> String {
            var fetched = 0, notModified = 0, failed: [AccountPollReport] = []
            for report in reports {
                switch report.outcome {
                case .fetched: fetched += 1
                case .notModified: notModified += 1
                case .failed: failed.append(report)
                case .cancelled: break
                }
            }
            let alerts = reports.reduce(0) { $0 + $1.alerts.count }
            let spooled = reports.reduce(0) { $0 + $1.spooled.count }
            var lines = [
                "polled \(reports.count) account(s) in \(String(format: "%.1f", seconds)) s: \(fetched) fetched, "
                    + "\(notModified) not modified, \(failed.count) failed",
                "posts: \(reports.reduce(0) { $0 + $1.newPosts }) new, \(reports.reduce(0) { $0 + $1.changedPosts }) changed",
                "alerts: \(alerts) (\(spooled) written to \(spoolDirectory)/new\(alerts > spooled ? ", \(alerts - spooled) pending" : ""))",
            ]
            if !failed.isEmpty {
                lines.append("failed sources:")
                for report in failed.sorted(by: { $0.key < $1.key }) {
                    if case .failed(let failure) = report.outcome {
                        lines.append("  \(report.key) (\(report.subjectID)) \(report.url): \(failure.message)")
                    }
                }
            }
            return lines.joined(separator: "\n") + "\n"
        }
    }

    static func run(pipeline: Pipeline, snapshot: PipelineSnapshot, subjects: Set<String>?, logger: Logger) async throws -> Summary {
        let total = snapshot.accounts.values.filter { subjects?.contains($0.subject.id) ?? true }.count
        let progress = ProgressLine(total: total, enabled: Runtime.stderrIsTerminal)
        let log = PollReportLog(logger: logger)
        var hooks = PollLoop.Hooks()
        hooks.report = { report in
            progress.clear()
            log.record(report)
            progress.add(report)
        }
        let started = Date()
        let reports = await pipeline.loop.runRound(snapshot, subjects: subjects, hooks: hooks)
        progress.finish()
        return Summary(reports: reports, seconds: Date().timeIntervalSince(started))
    }
}

/// `[ 12/140] 37 new posts, 2 alerts, 1 failed` on stderr, rewritten in place; nothing when
/// stderr is not a terminal.
final class ProgressLine: Sendable {
    private struct Counts { var done = 0, posts = 0, alerts = 0, failed = 0, drawn = false }
    private let counts = Mutex(Counts())
    let total: Int
    let enabled: Bool

    init(total: Int, enabled: Bool) {
        self.total = total
        self.enabled = enabled
    }

    func add(_ report: AccountPollReport) {
        let line = counts.withLock { c -> String in
            c.done += 1
            c.posts += report.newPosts
            c.alerts += report.alerts.count
            if case .failed = report.outcome { c.failed += 1 }
            c.drawn = true
            let width = String(total).count
            let done = String(repeating: " ", count: max(0, width - String(c.done).count)) + String(c.done)
            return "\r[\(done)/\(total)] \(c.posts) new posts, \(c.alerts) alerts, \(c.failed) failed"
        }
        if enabled { FileHandle.standardError.write(Data(line.utf8)) }
    }

    func clear() {
        guard enabled, counts.withLock({ $0.drawn }) else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }

    func finish() {
        guard enabled, counts.withLock({ $0.drawn }) else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

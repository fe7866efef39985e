import CampaignWatchCore
import Foundation
import Logging
import Synchronization

/// Logs what polls did the way an operator reading the journal wants it: a source's failure
/// when it starts and when it recovers (not on every poll), each alert, a permanent redirect
/// once, and notes such as missed pages.
public final class PollReportLog: Sendable {
    let logger: Logger
    private let state = Mutex<[String: Memory]>([:])

    struct Memory {
        var failing: String?
        var redirect: String?
    }

    public init(logger: Logger) {
        self.logger = logger
    }

    public func record(_ report: AccountPollReport) {
        var metadata: Logger.Metadata = ["account": "\(report.key)", "subject": "\(report.subjectID)", "url": "\(report.url)"]
        let change = state.withLock { memories -> (failedNow: String?, recovered: String?, redirect: String?) in
            var memory = memories[report.key] ?? Memory()
            var result: (String?, String?, String?) = (nil, nil, nil)
            switch report.outcome {
            case .failed(let failure):
                if memory.failing == nil { result.0 = failure.message }
                memory.failing = failure.message
            case .fetched, .notModified:
                if let previous = memory.failing { result.1 = previous }
                memory.failing = nil
            case .cancelled:
                break
            }
            if let redirect = report.permanentRedirect, redirect != memory.redirect {
                result.2 = redirect
            }
            memory.redirect = report.permanentRedirect
            memories[report.key] = memory
            return result
        }
        if let failure = change.failedNow {
            if let status = report.status { metadata["status"] = "\(status)" }
            logger.warning("source failing: \(failure)", metadata: metadata)
        }
        if let previous = change.recovered {
            logger.notice("source recovered (was: \(previous))", metadata: metadata)
        }
        if let redirect = change.redirect {
            logger.warning("source moved permanently to \(redirect); the configured URL is kept: update the watchlist",
                           metadata: metadata)
        }
        for note in report.notes { logger.notice("\(note)", metadata: metadata) }
        if report.newPosts > 0 || report.changedPosts > 0 {
            logger.info("\(report.newPosts) new post(s), \(report.changedPosts) changed", metadata: metadata)
        }
        for id in report.alerts {
            var alertMetadata = metadata
            alertMetadata["alert"] = "\(id)"
            logger.notice(report.spooled.contains(id) ? "alert spooled" : "alert recorded, spool pending", metadata: alertMetadata)
        }
        if let spoolError = report.spoolError {
            logger.error("cannot write to the spool, alerts stay pending: \(spoolError)", metadata: metadata)
        }
    }
}

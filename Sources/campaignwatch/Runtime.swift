import CampaignWatch
import CampaignWatchCore
import Foundation
import Glibc
import Logging

/// What the commands that poll share: the logger and the assembled pipeline.
enum Runtime {
    static func logger(_ configuration: Configuration, label: String = "campaignwatch") -> Logger {
        let level = StderrLogHandler.level(configuration.log.level)
        return Logger(label: label) { _ in StderrLogHandler(level: level) }
    }

    /// The pipeline for `configuration`, or a message and exit 1.
    static func pipeline(_ configuration: Configuration, logger: Logger, policy: SchedulerPolicy = SchedulerPolicy())
        throws -> (Pipeline, PipelineSnapshot) {
        let snapshot = try self.snapshot(configuration)
        do {
            return (try Pipeline(configuration: configuration, logger: logger, policy: policy), snapshot)
        } catch {
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        }
    }

    /// The rules compiled for `configuration`, or every compile error and exit 78.
    static func snapshot(_ configuration: Configuration) throws -> PipelineSnapshot {
        do {
            return try PipelineSnapshot(configuration: configuration)
        } catch {
            for problem in error.errors { StandardError.print("\(problem)") }
            throw ExitStatus.configError
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) == 1 }
    static var stdoutIsTerminal: Bool { isatty(1) == 1 }
}

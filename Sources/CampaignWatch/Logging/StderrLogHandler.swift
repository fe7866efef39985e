import CampaignWatchCore
import Foundation
import Glibc
import Logging

/// One line per event on stderr. Under journald (`JOURNAL_STREAM` set) each line starts with its
/// syslog priority as `<N>` and carries no timestamp (the journal adds its own); otherwise it
/// starts with an RFC 3339 timestamp and the level. Metadata follows as `key=value`.
public struct StderrLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let journald: Bool

    public init(level: Logger.Level = .info, journald: Bool = StderrLogHandler.underJournald) {
        logLevel = level
        self.journald = journald
    }

    /// systemd sets JOURNAL_STREAM when stderr is connected to the journal.
    public static var underJournald: Bool {
        ProcessInfo.processInfo.environment["JOURNAL_STREAM"].map { !$0.isEmpty } ?? false
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let level = event.level
        var line = journald
            ? "<\(Self.priority(level))>"
            : "\(Timestamp.utc(Date())) \(level.rawValue) "
        line += "\(event.message)"
        if let error = event.error { line += ": \(error)" }
        let merged = event.metadata.map { metadata.merging($0) { $1 } } ?? metadata
        for key in merged.keys.sorted() {
            line += " \(key)=\(Self.quoted("\(merged[key]!)"))"
        }
        line += "\n"
        // One write(2) per line so that lines from several threads never interleave.
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written <= 0 { if errno == EINTR { continue }; return }
                offset += written
            }
        }
    }

    /// syslog priorities, as journald reads them from the `<N>` prefix.
    static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" || $0.isNewline }) || value.isEmpty
            ? "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
                .replacingOccurrences(of: "\n", with: "\\n") + "\""
            : value
    }

    /// The configuration's `log.level` as swift-log's level.
    public static func level(_ setting: LogSettings.Level) -> Logger.Level {
        switch setting {
        case .trace: .trace
        case .debug: .debug
        case .info: .info
        case .notice: .notice
        case .warning: .warning
        case .error: .error
        }
    }
}

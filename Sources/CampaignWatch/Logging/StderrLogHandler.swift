import CampaignWatchCore
import Foundation
import Glibc
import Logging

/// One line per event on stderr. Under journald (`JOURNAL_STREAM` set) each line starts with its
/// syslog priority as `<N>` and carries no timestamp (the journal adds its own); otherwise it
/// starts with an RFC 3339 timestamp and the level. Metadata follows as `key=value`.
public struct StderrLogHandler: LogHandler {
    private var ownLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    let journald: Bool
    /// When set, the level every copy of this handler follows (a reload changes `log.level`).
    let control: LogLevelControl?

    public init(level: Logger.Level = .info, journald: Bool = StderrLogHandler.underJournald, control: LogLevelControl? = nil) {
        ownLevel = level
        self.journald = journald
        self.control = control
    }

    public var logLevel: Logger.Level {
        get { control?.level ?? ownLevel }
        set { ownLevel = newValue }
    }

    /// systemd sets JOURNAL_STREAM (`device:inode` of the stream) when it connects stderr to the
    /// journal. A child that inherited the variable but writes elsewhere (stderr redirected to a
    /// file) must not prefix its lines, so the value is compared with stderr when it can be read.
    public static var underJournald: Bool {
        journald(stream: ProcessInfo.processInfo.environment["JOURNAL_STREAM"], fd: 2)
    }

    static func journald(stream value: String?, fd: Int32) -> Bool {
        guard let value, !value.isEmpty else { return false }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return true }
        var info = stat()
        guard fstat(fd, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
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

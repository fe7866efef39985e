import CampaignWatchCore
import Foundation
import Glibc
import Logging

/// Moves alerts from the store into the spool, exactly once: an alert is recorded pending with
/// its post, written to the spool (atomically, fsynced), then marked written. Whatever happens in
/// between — a kill, a full disk — the next flush writes what is still pending, and the spool's
/// own check by id keeps a second copy out.
///
/// With an evidence archive, the object an alert names (`evidence.archive`) is given its loose
/// file before the alert is written, so a monitor who reads the alert can open that path.
public struct AlertSpooler: Sendable {
    public let spool: MaildirSpool
    public let format: SpoolSettings.Format
    public let hostname: String
    public let archive: EvidenceArchive?
    let logger: Logger?

    public init(settings: SpoolSettings, hostname: String = AlertSpooler.systemHostname(), archive: EvidenceArchive? = nil,
                logger: Logger? = nil) throws(SystemError) {
        spool = try MaildirSpool(directory: settings.dir)
        format = settings.format
        self.hostname = hostname
        self.archive = archive
        self.logger = logger
    }

    /// The file a consumer reads for `alert`, in the configured format.
    public func file(for alert: Alert) -> (fileExtension: String, contents: [UInt8]) {
        switch format {
        case .json: ("json", alert.jsonBytes())
        case .eml: ("eml", AlertMail.render(alert, hostname: hostname))
        }
    }

    /// Writes `alert` (raised on a post of the account `accountKey`) to the spool.
    public func deliver(_ alert: Alert, accountKey: String) throws(SystemError) -> MaildirSpool.Delivery {
        if let archive, let sha = alert.evidence.rawSHA256 {
            do {
                try archive.publish(sha256: sha, accountKey: accountKey, postID: alert.post.id,
                                    contentSHA256: alert.post.contentSHA256)
            } catch {
                // The alert matters more than the copy: it is written all the same, and
                // `verify` names the object.
                logger?.error("alert \(alert.id): cannot write \(EvidenceArchive.relativePath(sha256: sha)): \(error)")
            }
        }
        let file = file(for: alert)
        return try spool.deliver(id: alert.id, fileExtension: file.fileExtension, contents: file.contents)
    }

    public struct FlushResult: Sendable, Hashable {
        public var written: [String] = []
        /// Already in the spool from before a crash; now marked written.
        public var alreadyPresent: [String] = []
        /// Still pending; the first error says why (a full disk, permissions).
        public var stillPending = 0
        public var error: String?
    }

    /// Writes every pending alert of the store to the spool and marks each written.
    public func flushPending(_ store: StateStore, now: @Sendable () -> Date = Date.init) throws(StoreError) -> FlushResult {
        var result = FlushResult()
        let pending = try store.pendingAlerts(limit: 100_000)
        for (index, row) in pending.enumerated() {
            let alert: Alert
            do {
                alert = try Alert(json: row.document)
            } catch {
                // A stored document that does not read back is a bug, not a reason to stall the rest.
                result.error = result.error ?? "alert \(row.id) in the store is unreadable: \(error)"
                result.stillPending += 1
                continue
            }
            do {
                switch try deliver(alert, accountKey: row.accountKey) {
                case .written: result.written.append(alert.id)
                case .alreadyPresent: result.alreadyPresent.append(alert.id)
                }
            } catch {
                result.error = result.error ?? "\(error)"
                result.stillPending += pending.count - index
                break
            }
            try store.markSpooled(alert.id, at: now())
        }
        return result
    }

    public static func systemHostname() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "localhost" }
        let name = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return name.isEmpty ? "localhost" : name
    }
}

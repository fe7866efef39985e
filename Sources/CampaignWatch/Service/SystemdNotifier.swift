import CLinux
import Foundation
import Glibc

/// systemd's notify protocol without libsystemd: one datagram of `KEY=value` lines per message,
/// sent to the socket named by `NOTIFY_SOCKET` (a path, or `@name` for an abstract socket).
/// Sending never blocks the daemon's work and a failure is only reported, never fatal: the
/// service manager may be gone while we shut down.
public final class SystemdNotifier: Sendable {
    public let socketPath: String
    private let fd: Int32

    /// The notifier for `NOTIFY_SOCKET`, or nil when the daemon does not run under systemd
    /// (`Type=notify`) and there is nobody to tell.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(SystemError) -> SystemdNotifier? {
        guard let path = environment["NOTIFY_SOCKET"], !path.isEmpty else { return nil }
        return try SystemdNotifier(socketPath: path)
    }

    public init(socketPath: String) throws(SystemError) {
        guard socketPath.hasPrefix("/") || socketPath.hasPrefix("@") else {
            throw SystemError("NOTIFY_SOCKET \(socketPath): neither a path nor an abstract socket name", errno: EINVAL)
        }
        self.socketPath = socketPath
        fd = try SystemError.check("socket(AF_UNIX, SOCK_DGRAM)",
                                   socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0))
    }

    deinit { close(fd) }

    /// Sends one message: the fields joined by newlines, as sd_notify(3) does.
    public func send(_ fields: [NotifyField]) throws(SystemError) {
        let text = fields.map(\.line).joined(separator: "\n")
        let bytes = Array(text.utf8)
        let path = Array(socketPath.utf8)
        let sent = path.withUnsafeBufferPointer { pathBuffer in
            bytes.withUnsafeBufferPointer { buffer in
                pathBuffer.withMemoryRebound(to: CChar.self) { name in
                    clinux_send_unix_datagram(fd, name.baseAddress, name.count, buffer.baseAddress, buffer.count)
                }
            }
        }
        try SystemError.check("send to NOTIFY_SOCKET \(socketPath)", sent)
    }
}

/// One line of a notify message.
public struct NotifyField: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(_ key: String, _ value: String) {
        self.key = key
        // A value is one line: a newline would start a field of its own.
        self.value = value.replacingOccurrences(of: "\n", with: " ")
    }

    var line: String { "\(key)=\(value)" }

    public static let ready = NotifyField("READY", "1")
    public static let stopping = NotifyField("STOPPING", "1")
    public static let reloading = NotifyField("RELOADING", "1")
    public static let watchdog = NotifyField("WATCHDOG", "1")
    public static func status(_ text: String) -> NotifyField { NotifyField("STATUS", text) }
    /// CLOCK_MONOTONIC now, which systemd (253+) requires next to RELOADING=1.
    public static func monotonicNow() -> NotifyField { NotifyField("MONOTONIC_USEC", String(MonotonicClock.microseconds())) }
}

enum MonotonicClock {
    static func microseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000 + UInt64(now.tv_nsec) / 1000
    }
}

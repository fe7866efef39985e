import Foundation
import Glibc

/// systemd's software watchdog as the daemon sees it: `WATCHDOG_USEC` says how long systemd
/// waits for a `WATCHDOG=1` before it declares the service hung, `WATCHDOG_PID` which process
/// is meant (a child started by the daemon must not ping in its parent's name).
public struct WatchdogTimer: Sendable, Hashable {
    /// systemd's timeout.
    public var timeout: TimeInterval

    /// Pings go out every half timeout, as sd_watchdog_enabled(3) advises: one late ping
    /// (a busy moment) still arrives in time.
    public var pingInterval: TimeInterval { timeout / 2 }

    public init(timeout: TimeInterval) {
        self.timeout = timeout
    }

    /// The watchdog asked for, or nil when there is none or it is meant for another process.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment,
                                       pid: Int32 = getpid()) -> WatchdogTimer? {
        guard let text = environment["WATCHDOG_USEC"], let usec = UInt64(text), usec > 0 else { return nil }
        if let owner = environment["WATCHDOG_PID"], !owner.isEmpty, Int32(owner) != pid { return nil }
        return WatchdogTimer(timeout: TimeInterval(usec) / 1_000_000)
    }
}

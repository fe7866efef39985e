import CampaignWatchCore
import Foundation
import Logging
import Synchronization

/// Everything the daemon tells systemd: readiness, reloads, stopping, the watchdog pings and the
/// one-line `STATUS=` that `systemctl status` shows. Without `NOTIFY_SOCKET` it does nothing.
public final class ServiceManagerLink: Sendable {
    let notifier: SystemdNotifier?
    public let watchdog: WatchdogTimer?
    let logger: Logger
    private let state = Mutex(State())

    struct State {
        var lastPing: Date = .distantPast
        var lastStatus = ""
        var loop: PollLoopStatus?
        var alertsToday = 0
        var day: Date = .distantPast
        var reloadProblem: String?
        var sendFailed = false
    }

    public init(notifier: SystemdNotifier?, watchdog: WatchdogTimer?, logger: Logger) {
        self.notifier = notifier
        self.watchdog = watchdog
        self.logger = logger
    }

    /// How often the poll loop must beat so that the pings keep their rate.
    public var heartbeatInterval: TimeInterval {
        min(1, watchdog?.pingInterval ?? 1)
    }

    public func ready(status: String) {
        state.withLock { $0.lastStatus = status }
        send([.ready, .status(status)])
    }

    public func reloading(_ reason: String) {
        let status = "reloading the configuration (\(reason))"
        state.withLock { $0.lastStatus = status }
        send([.reloading, .monotonicNow(), .status(status)])
    }

    /// After a reload: accepted (`problem` nil) or rejected with the reason the status shows
    /// until the next good reload.
    public func reloaded(problem: String?) {
        let status = state.withLock { state -> String in
            state.reloadProblem = problem
            state.lastStatus = Self.text(state)
            return state.lastStatus
        }
        send([.ready, .status(status)])
    }

    public func stopping() {
        send([.stopping, .status("stopping: finishing the polls in flight")])
    }

    /// The count of alerts raised today, when the day starts (at start-up, at midnight).
    public func resetAlertsToday(_ count: Int, day: Date) {
        state.withLock {
            $0.alertsToday = count
            $0.day = day
        }
    }

    public func addAlerts(_ count: Int) {
        guard count > 0 else { return }
        state.withLock { $0.alertsToday += count }
    }

    public var currentDay: Date { state.withLock { $0.day } }
    public var loopStatus: PollLoopStatus? { state.withLock { $0.loop } }
    public var reloadFailed: Bool { state.withLock { $0.reloadProblem != nil } }

    /// From the poll loop's heartbeat, so a hung loop stops the pings and systemd restarts it.
    public func heartbeat(_ status: PollLoopStatus, now: Date = Date()) {
        let (ping, text) = state.withLock { state -> (Bool, String?) in
            state.loop = status
            var ping = false
            if let watchdog, now.timeIntervalSince(state.lastPing) >= watchdog.pingInterval - heartbeatInterval / 2 {
                state.lastPing = now
                ping = true
            }
            let text = Self.text(state)
            guard text != state.lastStatus else { return (ping, nil) }
            state.lastStatus = text
            return (ping, text)
        }
        var fields: [NotifyField] = []
        if ping { fields.append(.watchdog) }
        if let text { fields.append(.status(text)) }
        if !fields.isEmpty { send(fields) }
    }

    static func text(_ state: State) -> String {
        var text: String
        if let loop = state.loop {
            text = "polling \(loop.accounts) account(s): \(loop.due) due, \(loop.inFlight) in flight, \(loop.failing) failing, "
                + "\(state.alertsToday) alert(s) today"
        } else {
            text = "starting, \(state.alertsToday) alert(s) today"
        }
        if let problem = state.reloadProblem { text += "; \(problem)" }
        return text
    }

    private func send(_ fields: [NotifyField]) {
        guard let notifier else { return }
        do {
            try notifier.send(fields)
            state.withLock { $0.sendFailed = false }
        } catch {
            // Said once per run of failures: a vanished manager must not flood the log.
            let first = state.withLock { state -> Bool in
                defer { state.sendFailed = true }
                return !state.sendFailed
            }
            if first { logger.warning("cannot notify systemd: \(error)") }
        }
    }
}

extension PollLoopStatus {
    public init(accounts: Int, due: Int, failing: Int, inFlight: Int) {
        self.accounts = accounts
        self.due = due
        self.failing = failing
        self.inFlight = inFlight
    }
}

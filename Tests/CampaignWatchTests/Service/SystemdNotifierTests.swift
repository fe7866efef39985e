@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging
import Testing

@Suite struct SystemdNotifierTests {
    @Test(arguments: [true, false]) func sendsOneDatagramOfFields(abstract: Bool) throws {
        let directory = try TemporaryDirectory()
        let receiver = try NotifyReceiver(abstract: abstract, directory: directory.path)
        let notifier = try #require(try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": receiver.address]))
        try notifier.send([.ready, .status("polling 3 account(s)\nsecond line")])
        #expect(receiver.receiveAll() == ["READY=1\nSTATUS=polling 3 account(s) second line"])
        try notifier.send([.reloading, .monotonicNow()])
        let reload = try #require(receiver.receiveAll().first)
        let lines = reload.split(separator: "\n")
        #expect(lines.first == "RELOADING=1")
        let usec = try #require(lines.last.flatMap { UInt64($0.dropFirst("MONOTONIC_USEC=".count)) })
        #expect(usec > 0 && usec <= MonotonicClock.microseconds())
    }

    @Test func noSocketNoNotifierAndBadNamesRefused() throws {
        #expect(try SystemdNotifier.fromEnvironment([:]) == nil)
        #expect(try SystemdNotifier.fromEnvironment(["NOTIFY_SOCKET": ""]) == nil)
        #expect(throws: SystemError.self) { try SystemdNotifier(socketPath: "relative/notify") }
        // A socket nobody listens on: the send fails with the path in the message.
        let notifier = try SystemdNotifier(socketPath: "/nonexistent/campaignwatch-notify")
        do {
            try notifier.send([.ready])
            Issue.record("sent to a missing socket")
        } catch {
            #expect(error.description.contains("/nonexistent/campaignwatch-notify"))
        }
    }

    @Test func watchdogFromEnvironment() {
        #expect(WatchdogTimer.fromEnvironment(["WATCHDOG_USEC": "30000000"], pid: 7)?.pingInterval == 15)
        #expect(WatchdogTimer.fromEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "7"], pid: 7)?.timeout == 2)
        #expect(WatchdogTimer.fromEnvironment(["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "8"], pid: 7) == nil)
        #expect(WatchdogTimer.fromEnvironment(["WATCHDOG_USEC": "0"], pid: 7) == nil)
        #expect(WatchdogTimer.fromEnvironment(["WATCHDOG_USEC": "soon"], pid: 7) == nil)
        #expect(WatchdogTimer.fromEnvironment([:], pid: 7) == nil)
    }

    static func status(accounts: Int = 3, due: Int = 0, failing: Int = 0) -> PollLoopStatus {
        PollLoopStatus(accounts: accounts, due: due, failing: failing, inFlight: 0)
    }

    /// Pings every half timeout whatever the heartbeat rate; STATUS= only when it changes.
    @Test func heartbeatsBecomePingsAtHalfTheTimeout() throws {
        let directory = try TemporaryDirectory()
        let receiver = try NotifyReceiver(abstract: true, directory: directory.path)
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let link = ServiceManagerLink(notifier: try SystemdNotifier(socketPath: receiver.address),
                                      watchdog: WatchdogTimer(timeout: 30), logger: logger)
        #expect(link.heartbeatInterval == 1)
        let start = Date(timeIntervalSince1970: 1_000_000)
        for second in 0...31 { link.heartbeat(Self.status(), now: start + Double(second)) }
        let messages = receiver.receiveAll()
        #expect(messages.filter { $0.contains("WATCHDOG=1") }.count == 3)  // at 0, 15 and 30 s
        #expect(messages.filter { $0.contains("STATUS=") }.count == 1)

        link.addAlerts(2)
        link.heartbeat(Self.status(failing: 1), now: start + 32)
        #expect(receiver.receiveAll() == ["STATUS=polling 3 account(s): 0 due, 0 in flight, 1 failing, 2 alert(s) today"])

        // A short watchdog: the loop beats every half timeout and every beat pings.
        let fast = ServiceManagerLink(notifier: try SystemdNotifier(socketPath: receiver.address),
                                      watchdog: WatchdogTimer(timeout: 1), logger: logger)
        #expect(fast.heartbeatInterval == 0.5)
        for beat in 0..<6 { fast.heartbeat(Self.status(), now: start + Double(beat) * 0.5) }
        #expect(receiver.receiveAll().filter { $0.contains("WATCHDOG=1") }.count == 6)
    }

    @Test func rejectedReloadStaysInTheStatusUntilAGoodOne() throws {
        let directory = try TemporaryDirectory()
        let receiver = try NotifyReceiver(abstract: false, directory: directory.path)
        let link = ServiceManagerLink(notifier: try SystemdNotifier(socketPath: receiver.address), watchdog: nil,
                                      logger: Logger(label: "test") { _ in SwiftLogNoOpLogHandler() })
        link.heartbeat(Self.status(), now: Date())
        link.reloading("SIGHUP")
        link.reloaded(problem: "configuration reload rejected (2 error(s))")
        let messages = receiver.receiveAll()
        #expect(messages.count == 3)
        #expect(messages[1].hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(messages[2].hasPrefix("READY=1\nSTATUS=polling 3 account(s)"))
        #expect(messages[2].hasSuffix("; configuration reload rejected (2 error(s))"))
        #expect(link.reloadFailed)
        link.reloaded(problem: nil)
        #expect(!link.reloadFailed)
        #expect(receiver.receiveAll().first?.hasSuffix("alert(s) today") == true)
    }

    @Test func journaldPrefixOnlyWhenStderrIsTheJournalStream() throws {
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        defer { close(fds[0]); close(fds[1]) }
        var info = stat()
        fstat(fds[1], &info)
        #expect(StderrLogHandler.journald(stream: "\(info.st_dev):\(info.st_ino)", fd: fds[1]))
        #expect(!StderrLogHandler.journald(stream: "\(info.st_dev):\(info.st_ino + 1)", fd: fds[1]))
        #expect(!StderrLogHandler.journald(stream: nil, fd: fds[1]))
        #expect(StderrLogHandler.journald(stream: "set", fd: fds[1]))
    }
}

import Foundation
import Glibc

/// `campaignwatch run` as a subprocess, the way systemd starts it: environment of our choosing
/// (NOTIFY_SOCKET, WATCHDOG_USEC, JOURNAL_STREAM), stderr collected line by line.
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    private let errors = LockedData()
    private let errorPipe = Pipe()
    private let outputPipe = Pipe()

    init(arguments: [String], environment extra: [String: String], journalStream: Bool = false) throws {
        process.executableURL = CLI.executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM"] { environment[key] = nil }
        environment.merge(extra) { $1 }
        if journalStream {
            // What systemd puts there: device and inode of the stream stderr is connected to.
            var info = stat()
            fstat(errorPipe.fileHandleForWriting.fileDescriptor, &info)
            environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        }
        process.environment = environment
        process.standardError = errorPipe
        process.standardOutput = outputPipe
        process.standardInput = FileHandle.nullDevice
        let errors = errors
        errorPipe.fileHandleForReading.readabilityHandler = { errors.append($0.availableData) }
        outputPipe.fileHandleForReading.readabilityHandler = { _ = $0.availableData }
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }
    var stderr: String { String(decoding: errors.value, as: UTF8.self) }

    func signal(_ number: Int32) { kill(pid, number) }

    /// Waits until stderr contains `text`; false on timeout.
    func waitForLog(_ text: String, timeout: TimeInterval = 20) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if stderr.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// The exit status, or nil when the process is still running after `timeout` (it is killed then).
    func waitForExit(timeout: TimeInterval = 30) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
            return nil
        }
        process.waitUntilExit()
        errorPipe.fileHandleForReading.readabilityHandler = nil
        errors.append(errorPipe.fileHandleForReading.readDataToEndOfFile())
        return process.terminationStatus
    }

    deinit {
        if process.isRunning {
            kill(pid, SIGKILL)
            process.waitUntilExit()
        }
    }
}

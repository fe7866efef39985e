import Foundation
import Glibc

/// `campaignwatch run` started as a subprocess, the way systemd starts it, with its stderr
/// going to a file (a pipe nobody reads could stall it).
final class DaemonProcess: @unchecked Sendable {
    let process = Process()
    let logFile: URL

    init(arguments: [String], environment: [String: String] = [:], logFile: URL, currentDirectory: URL) throws {
        self.logFile = logFile
        process.executableURL = CLI.executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NOTIFY_SOCKET")
        env.removeValue(forKey: "JOURNAL_STREAM")
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.currentDirectoryURL = currentDirectory
        if !FileManager.default.fileExists(atPath: logFile.path) {
            FileManager.default.createFile(atPath: logFile.path, contents: nil)
        }
        let log = try FileHandle(forWritingTo: logFile)
        log.seekToEndOfFile()
        process.standardError = log
        process.standardOutput = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        try log.close()
    }

    var pid: pid_t { process.processIdentifier }

    func signal(_ signal: Int32) { kill(pid, signal) }

    /// Waits for the exit, at most `timeout` seconds; nil when it is still running.
    func wait(timeout: TimeInterval) async -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return process.isRunning ? nil : process.terminationStatus
    }

    var log: String { (try? String(contentsOf: logFile, encoding: .utf8)) ?? "" }

    deinit {
        if process.isRunning { kill(pid, SIGKILL); process.waitUntilExit() }
    }
}

import Foundation
import Glibc

/// What the service tests ask of a running daemon beyond starting and signalling it.
extension DaemonProcess {
    /// The daemon as systemd starts it: the given environment, stderr into `logFile`, and with
    /// `journalStream` the JOURNAL_STREAM systemd sets (device and inode of that stream).
    static func service(arguments: [String], environment: [String: String], in directory: URL,
                        journalStream: Bool = false) throws -> DaemonProcess {
        let logFile = directory.appendingPathComponent("daemon-\(UUID().uuidString.prefix(6)).log")
        FileManager.default.createFile(atPath: logFile.path, contents: nil)
        var environment = environment
        // A watchdog inherited from whatever runs the tests is not the daemon's.
        environment["WATCHDOG_USEC"] = environment["WATCHDOG_USEC"] ?? ""
        if journalStream {
            var info = stat()
            stat(logFile.path, &info)
            environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
        }
        return try DaemonProcess(arguments: arguments, environment: environment, logFile: logFile, currentDirectory: directory)
    }

    var isRunning: Bool { process.isRunning }
    var stderr: String { log }

    /// Waits until the log contains `text`; false on timeout.
    func waitForLog(_ text: String, timeout: TimeInterval = 20) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if log.contains(text) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    func waitForExit(timeout: TimeInterval = 30) async -> Int32? { await wait(timeout: timeout) }
}

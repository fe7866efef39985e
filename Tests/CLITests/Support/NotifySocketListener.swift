import Foundation
import Glibc
import TestSupport

/// The service manager's side of the notify protocol for tests: a Unix datagram socket the
/// daemon under test sends to (a path, or `@name` for an abstract socket), every message kept
/// with the time it arrived.
final class NotifySocketListener: @unchecked Sendable {
    struct Message {
        var fields: [String: String]
        var at: Date
        subscript(key: String) -> String? { fields[key] }
    }

    let address: String
    private let fd: Int32
    private let lock = NSLock()
    private var received: [Message] = []
    private var stopped = false

    /// `abstract`: an abstract socket; otherwise a socket file in `directory`.
    init(abstract: Bool, directory: String) throws {
        address = abstract ? "@campaignwatch-test-\(UUID().uuidString.prefix(12))" : directory + "/notify.sock"
        fd = try bindUnixDatagramSocket(to: address)
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        let thread = Thread { [self] in receive() }
        thread.start()
    }

    deinit { close(fd) }

    func stop() {
        lock.lock()
        stopped = true
        lock.unlock()
    }

    private func receive() {
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            lock.lock()
            let done = stopped
            lock.unlock()
            if done { return }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { continue }
            var fields: [String: String] = [:]
            for line in String(decoding: buffer[0..<count], as: UTF8.self).split(separator: "\n") {
                let parts = line.split(separator: "=", maxSplits: 1)
                fields[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            lock.lock()
            received.append(Message(fields: fields, at: Date()))
            lock.unlock()
        }
    }

    var messages: [Message] {
        lock.lock()
        defer { lock.unlock() }
        return received
    }

    /// Waits until a message after the first `after` satisfies `predicate`; returns it, or nil on timeout.
    func wait(after: Int = 0, timeout: TimeInterval = 30, _ predicate: (Message) -> Bool) async -> Message? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if let found = messages.dropFirst(after).first(where: predicate) { return found }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    /// Index of the first message after `after` with `key`, or nil.
    func index(after: Int = 0, timeout: TimeInterval = 30, where predicate: (Message) -> Bool) async -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let all = messages
            if all.count > after, let index = all[after...].firstIndex(where: predicate) { return index }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }
}

import Foundation
import Glibc
import TestSupport

/// The receiving end of a notify socket, for tests: bound to a path or an abstract name.
final class NotifyReceiver {
    let address: String
    let fd: Int32

    init(abstract: Bool, directory: String) throws {
        address = abstract ? "@campaignwatch-unit-\(UUID().uuidString.prefix(12))" : directory + "/notify"
        fd = try bindUnixDatagramSocket(to: address)
    }

    deinit { close(fd) }

    /// Every datagram waiting, without waiting (a datagram to a Unix socket is queued by the
    /// time its sendto returns; a blocking wait here would hold a thread the daemon under test needs).
    func receiveAll() -> [String] {
        var messages: [String] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            guard count > 0 else { return messages }
            messages.append(String(decoding: buffer[0..<count], as: UTF8.self))
        }
    }
}

import Foundation
import Glibc

/// The receiving end of a notify socket, for tests: bound to a path or an abstract name.
final class NotifyReceiver {
    let address: String
    let fd: Int32

    init(abstract: Bool, directory: String) throws {
        address = abstract ? "@campaignwatch-unit-\(UUID().uuidString.prefix(12))" : directory + "/notify"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let bound = bindUnixSocket(fd, to: address)
        guard fd >= 0, bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
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

/// bind(2) of a Unix datagram socket to a path or, with a leading `@`, an abstract name.
func bindUnixSocket(_ fd: Int32, to address: String) -> Int32 {
    var storage = sockaddr_un()
    storage.sun_family = sa_family_t(AF_UNIX)
    var bytes = Array(address.utf8)
    let abstract = bytes.first == UInt8(ascii: "@")
    if abstract { bytes[0] = 0 }
    let capacity = MemoryLayout.size(ofValue: storage.sun_path)
    guard bytes.count < capacity else { return -1 }
    withUnsafeMutableBytes(of: &storage.sun_path) { raw in
        for (index, byte) in bytes.enumerated() { raw[index] = byte }
    }
    let length = MemoryLayout<sockaddr_un>.offset(of: \sockaddr_un.sun_path)! + bytes.count + (abstract ? 0 : 1)
    return withUnsafePointer(to: &storage) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(length)) }
    }
}

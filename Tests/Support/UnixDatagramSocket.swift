import Foundation
import Glibc

/// A Unix datagram socket bound to a path or, with a leading `@`, an abstract name: the service
/// manager's end of the notify protocol, for the tests that play systemd (in-process and against
/// the daemon run as a subprocess).
package func bindUnixDatagramSocket(to address: String) throws -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    guard bindUnixSocket(fd, to: address) == 0 else {
        let error = POSIXError(.init(rawValue: errno) ?? .EIO)
        close(fd)
        throw error
    }
    return fd
}

/// bind(2) of a Unix datagram socket to a path or, with a leading `@`, an abstract name.
package func bindUnixSocket(_ fd: Int32, to address: String) -> Int32 {
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

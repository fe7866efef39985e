#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a configuration file whole, with the system's reason when it cannot.
enum ConfigFileBytes {
    struct ReadError: Error {
        var message: String
    }

    /// Configuration files are small; anything this large is a wrong path (a log, an archive).
    static let limit = 64 * 1024 * 1024

    static func contents(of path: String) throws(ReadError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw ReadError(message: reason(errno, path: path)) }
        defer { close(fd) }
        var info = stat()
        if fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR {
            throw ReadError(message: "`\(path)` is a directory, not a file")
        }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw ReadError(message: reason(errno, path: path))
            }
            if count == 0 { break }
            bytes += chunk[0..<count]
            if bytes.count > limit { throw ReadError(message: "`\(path)` is larger than 64 MiB: is it the right file?") }
        }
        return bytes
    }

    private static func reason(_ code: Int32, path: String) -> String {
        let text = String(cString: strerror(code))
        switch code {
        case ENOENT: return "cannot read `\(path)`: \(text); check the path"
        case EACCES: return "cannot read `\(path)`: \(text); make it readable by the user campaignwatch runs as"
        default: return "cannot read `\(path)`: \(text)"
        }
    }
}

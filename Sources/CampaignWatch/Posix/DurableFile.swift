import Glibc

/// Writes that survive a crash or a power cut: write to a temporary name, fsync the file,
/// rename into place, fsync the directory. Readers never see a partial file.
public enum DurableFile {
    /// Writes `bytes` to `path` atomically and durably, creating it with `mode`.
    /// `temporaryDirectory` must be on the same file system as `path` (a maildir's `tmp/`).
    public static func write(
        _ bytes: [UInt8], to path: String, mode: mode_t = 0o640, temporaryPath: String
    ) throws(SystemError) {
        let fd = try SystemError.check("create \(temporaryPath)", open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode))
        do {
            try writeAll(fd, bytes, temporaryPath)
            // The umask may have narrowed the mode; the contract says 0640 exactly.
            try SystemError.check("chmod \(temporaryPath)", fchmod(fd, mode))
            try SystemError.check("fsync \(temporaryPath)", fsync(fd))
        } catch {
            close(fd)
            unlink(temporaryPath)
            throw error
        }
        try SystemError.check("close \(temporaryPath)", close(fd))
        do {
            try SystemError.check("rename \(temporaryPath) to \(path)", rename(temporaryPath, path))
        } catch {
            unlink(temporaryPath)
            throw error
        }
        try syncDirectory(containing: path)
    }

    /// fsync of the directory makes a rename in it durable.
    public static func syncDirectory(containing path: String) throws(SystemError) {
        let directory = parentDirectory(of: path)
        let fd = try SystemError.check("open \(directory)", open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC))
        defer { close(fd) }
        try SystemError.check("fsync \(directory)", fsync(fd))
    }

    static func writeAll(_ fd: Int32, _ bytes: [UInt8], _ path: String) throws(SystemError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written == -1 && errno == EINTR { continue }
            try SystemError.check("write \(path)", written)
            offset += written
        }
    }

    static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}

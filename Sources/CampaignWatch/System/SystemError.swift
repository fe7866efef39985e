import Glibc

/// A failed system call, with errno's text and what was being done ("fsync /var/spool/…/new").
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public var errno: Int32
    public var operation: String

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }

    /// True for the errors that go away when an operator frees space or fixes permissions,
    /// as opposed to a bug: the caller keeps the work pending and retries.
    public var isTransient: Bool {
        [ENOSPC, EDQUOT, EACCES, EPERM, EROFS, EIO, ENOENT, EMFILE, ENFILE, EINTR, EAGAIN].contains(errno)
    }

    /// The one place a libc return value becomes a Swift error: -1 means failure, errno says why.
    @discardableResult @inline(__always)
    public static func check<T: BinaryInteger>(_ result: T, _ operation: @autoclosure () -> String) throws(SystemError) -> T {
        if result == -1 { throw SystemError(errno: Glibc.errno, operation: operation()) }
        return result
    }
}

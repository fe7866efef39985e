import Glibc

/// A failed system call, with what was being done ("fsync /var/spool/…/new", "epoll_wait") and
/// `strerror`'s words for errno.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public var operation: String
    public var errno: Int32

    public init(_ operation: String, errno: Int32 = Glibc.errno) {
        self.operation = operation
        self.errno = errno
    }

    public var description: String { "\(operation): \(String(cString: strerror(errno)))" }

    /// True for the errors that go away when an operator frees space or fixes permissions,
    /// as opposed to a bug: the caller keeps the work pending and retries.
    public var isTransient: Bool {
        [ENOSPC, EDQUOT, EACCES, EPERM, EROFS, EIO, ENOENT, EMFILE, ENFILE, EINTR, EAGAIN, EFBIG].contains(errno)
    }

    /// The one place a libc return value becomes a Swift error: -1 means failure, errno says why.
    @discardableResult @inline(__always)
    static func check<T: BinaryInteger>(_ operation: @autoclosure () -> String, _ result: T) throws(SystemError) -> T {
        if result == -1 { throw SystemError(operation()) }
        return result
    }
}

import Glibc

/// A failed system call, with the call's name and `strerror`'s words for errno.
public struct SystemError: Error, Sendable, Hashable, CustomStringConvertible {
    public var call: String
    public var errno: Int32

    public init(_ call: String, errno: Int32 = Glibc.errno) {
        self.call = call
        self.errno = errno
    }

    public var description: String { "\(call): \(String(cString: strerror(errno)))" }

    /// Returns `result` unless it is -1, in which case errno becomes the thrown error.
    @discardableResult
    static func check<T: BinaryInteger>(_ call: String, _ result: T) throws(SystemError) -> T {
        if result == -1 { throw SystemError(call) }
        return result
    }
}

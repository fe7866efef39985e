import CLinux
import Glibc

/// An epoll set plus an eventfd that wakes `wait` from any other thread. Each registration
/// carries a 64-bit token the caller chooses (a socket, an index).
final class Epoll: @unchecked Sendable {
    /// The token the wake-up eventfd reports with.
    static let wakeToken = UInt64.max

    let fd: Int32
    private let wakeFD: Int32
    private var events: [epoll_event]

    init(capacity: Int = 256) throws(SystemError) {
        fd = try SystemError.check("epoll_create1", epoll_create1(Int32(EPOLL_CLOEXEC)))
        do {
            wakeFD = try SystemError.check("eventfd", eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)))
        } catch {
            close(fd)
            throw error
        }
        events = Array(repeating: epoll_event(), count: capacity)
        try add(wakeFD, events: EPOLLIN.rawValue, token: Self.wakeToken)
    }

    deinit {
        close(wakeFD)
        close(fd)
    }

    func add(_ socket: Int32, events: UInt32, token: UInt64) throws(SystemError) {
        var event = clinux_epoll_event(events, token)
        try SystemError.check("epoll_ctl(ADD)", epoll_ctl(fd, EPOLL_CTL_ADD, socket, &event))
    }

    func modify(_ socket: Int32, events: UInt32, token: UInt64) throws(SystemError) {
        var event = clinux_epoll_event(events, token)
        try SystemError.check("epoll_ctl(MOD)", epoll_ctl(fd, EPOLL_CTL_MOD, socket, &event))
    }

    /// Failure is ignored: the socket may already be closed, which removed it anyway.
    func remove(_ socket: Int32) {
        var event = epoll_event()
        _ = epoll_ctl(fd, EPOLL_CTL_DEL, socket, &event)
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body(token, events)` for each
    /// ready registration; wake-ups are drained and reported with `wakeToken`.
    func wait(timeoutMilliseconds: Int, _ body: (UInt64, UInt32) -> Void) throws(SystemError) {
        let count = events.withUnsafeMutableBufferPointer {
            epoll_wait(fd, $0.baseAddress, Int32($0.count), Int32(clamping: timeoutMilliseconds))
        }
        if count < 0 {
            if errno == EINTR { return }
            throw SystemError("epoll_wait")
        }
        for index in 0..<Int(count) {
            let (token, ready) = withUnsafePointer(to: &events[index]) {
                (clinux_epoll_event_data($0), clinux_epoll_event_events($0))
            }
            if token == Self.wakeToken {
                var value: UInt64 = 0
                _ = read(wakeFD, &value, 8)
            }
            body(token, ready)
        }
    }

    /// Callable from any thread.
    func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }
}

import CCurl
import CLinux
import Foundation
import Logging
import Synchronization

/// The one thread that drives libcurl's multi handle. Callers hand transfers over through a
/// locked inbox and a wake-up; the thread adds them to the multi, drives every socket, and
/// resumes each caller when its transfer is done. Everything but the inbox is confined to the
/// thread, which is why the class is `@unchecked Sendable`.
final class TransferLoop: @unchecked Sendable {
    enum Phase: Sendable {
        case idle
        case running
        /// Refusing new work; transfers in flight may finish until the deadline (monotonic ns).
        case draining(deadline: UInt64)
        case stopped
    }

    private struct Inbox {
        var submissions: [Transfer] = []
        var cancellations: [Transfer] = []
        /// A wake-up is already on its way to the thread; no need for another.
        var signalled = false
        var phase: Phase = .idle
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    let configuration: FetcherConfiguration
    private let logger: Logger
    private let inbox = Mutex(Inbox())
    private let multi: CurlMulti
    private let epoll: Epoll?

    // Thread-confined state.
    private var active: [ObjectIdentifier: Transfer] = [:]
    private var pool: [CurlEasy] = []
    private var registeredSockets: Set<Int32> = []
    private var timerDeadline: UInt64?

    init(configuration: FetcherConfiguration, logger: Logger) throws {
        self.configuration = configuration
        self.logger = logger
        multi = try CurlMulti()
        try multi.set(CURLMOPT_MAX_HOST_CONNECTIONS, configuration.maxHostConnections)
        try multi.set(CURLMOPT_MAX_TOTAL_CONNECTIONS, configuration.maxTotalConnections)
        try multi.set(CURLMOPT_MAXCONNECTS, configuration.connectionCacheSize)
        try multi.set(CURLMOPT_PIPELINING, Int(CURLPIPE_MULTIPLEX))
        switch configuration.driver {
        case .poll:
            epoll = nil
        case .epoll:
            epoll = try Epoll()
            let opaque = Unmanaged.passUnretained(self).toOpaque()
            try multi.setSocketCallback(curlSocketCallback)
            try multi.set(CURLMOPT_SOCKETDATA, pointer: opaque)
            try multi.setTimerCallback(curlTimerCallback)
            try multi.set(CURLMOPT_TIMERDATA, pointer: opaque)
        }
    }

    // MARK: - Any thread

    /// Starts the thread once; later calls do nothing.
    func start() {
        let starting = inbox.withLock { inbox -> Bool in
            guard case .idle = inbox.phase else { return false }
            inbox.phase = .running
            return true
        }
        guard starting else { return }
        let thread = Thread { [self] in run() }
        thread.name = "campaignwatch-curl"
        thread.start()
    }

    /// False when the loop no longer takes work.
    func submit(_ transfer: Transfer) -> Bool {
        let (accepted, wake) = inbox.withLock { inbox -> (Bool, Bool) in
            switch inbox.phase {
            case .idle, .running:
                inbox.submissions.append(transfer)
                let wake = !inbox.signalled
                inbox.signalled = true
                return (true, wake)
            case .draining, .stopped:
                return (false, false)
            }
        }
        if wake { wakeThread() }
        return accepted
    }

    func cancel(_ transfer: Transfer) {
        transfer.cancelRequested.store(true, ordering: .releasing)
        let wake = inbox.withLock { inbox -> Bool in
            inbox.cancellations.append(transfer)
            let wake = !inbox.signalled
            inbox.signalled = true
            return wake
        }
        if wake { wakeThread() }
    }

    /// Stops taking work; transfers in flight get `grace` seconds, then are abandoned.
    func beginShutdown(grace: TimeInterval) {
        let deadline = monotonicNow() + UInt64(max(0, grace) * 1e9)
        let refused = inbox.withLock { inbox -> [Transfer] in
            switch inbox.phase {
            case .idle:
                inbox.phase = .stopped
                defer { inbox.submissions.removeAll() }
                return inbox.submissions
            case .running:
                inbox.phase = .draining(deadline: deadline)
            case .draining(let current):
                inbox.phase = .draining(deadline: min(current, deadline))
            case .stopped:
                break
            }
            return []
        }
        for transfer in refused { transfer.finish(Transfer.unattempted(transfer.request, .shutDown)) }
        wakeThread()
    }

    /// Returns once the thread has finished (at once if it never ran).
    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = inbox.withLock { inbox -> Bool in
                if case .stopped = inbox.phase { return true }
                inbox.exitWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    private func wakeThread() {
        if let epoll {
            epoll.wake()
        } else {
            do {
                try multi.wakeup()
            } catch {
                logger.error("cannot wake the transfer loop", metadata: ["error": "\(error)"])
            }
        }
    }

    // MARK: - The loop thread

    private func run() {
        logger.debug("transfer loop started", metadata: ["driver": "\(configuration.driver.rawValue)"])
        while true {
            let (submissions, cancellations, phase) = inbox.withLock { inbox in
                defer {
                    inbox.submissions.removeAll(keepingCapacity: true)
                    inbox.cancellations.removeAll(keepingCapacity: true)
                    inbox.signalled = false
                }
                return (inbox.submissions, inbox.cancellations, inbox.phase)
            }
            for transfer in submissions {
                if transfer.cancelRequested.load(ordering: .acquiring) {
                    transfer.finish(Transfer.unattempted(transfer.request, .cancelled))
                } else if case .running = phase {
                    begin(transfer)
                } else {
                    transfer.finish(Transfer.unattempted(transfer.request, .shutDown))
                }
            }
            for transfer in cancellations where active[ObjectIdentifier(transfer)] != nil {
                abandon(transfer, .cancelled)
            }
            var waitLimit = 1000
            if case .draining(let deadline) = phase {
                let now = monotonicNow()
                if now >= deadline, !active.isEmpty {
                    logger.warning("abandoning transfers still in flight at shutdown", metadata: ["count": "\(active.count)"])
                    for transfer in Array(active.values) { abandon(transfer, .shutDown) }
                }
                if active.isEmpty { break }
                waitLimit = max(1, Int((deadline &- min(now, deadline)) / 1_000_000))
            }
            do {
                try drive(waitLimit: waitLimit)
            } catch {
                logger.error("libcurl multi failure", metadata: ["error": "\(error)"])
                for transfer in Array(active.values) { abandon(transfer, .transfer(error)) }
            }
        }
        pool.removeAll()
        let waiters = inbox.withLock { inbox in
            inbox.phase = .stopped
            defer { inbox.exitWaiters.removeAll() }
            return inbox.exitWaiters
        }
        logger.debug("transfer loop stopped")
        for waiter in waiters { waiter.resume() }
    }

    private func drive(waitLimit: Int) throws(CurlError) {
        if let epoll {
            var timeout = waitLimit
            if let deadline = timerDeadline {
                let now = monotonicNow()
                timeout = deadline <= now ? 0 : min(timeout, Int((deadline - now + 999_999) / 1_000_000))
            }
            var failure: CurlError?
            do {
                try epoll.wait(timeoutMilliseconds: timeout) { token, events in
                    guard token != Epoll.wakeToken, failure == nil else { return }
                    var mask: Int32 = 0
                    if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue) != 0 { mask |= CURL_CSELECT_IN }
                    if events & EPOLLOUT.rawValue != 0 { mask |= CURL_CSELECT_OUT }
                    if events & EPOLLERR.rawValue != 0 { mask |= CURL_CSELECT_ERR }
                    do throws(CurlError) {
                        try multi.socketAction(curl_socket_t(truncatingIfNeeded: token), events: mask)
                    } catch {
                        failure = error
                    }
                }
            } catch {
                logger.error("epoll failure", metadata: ["error": "\(error)"])
            }
            if let failure { throw failure }
            if let deadline = timerDeadline, deadline <= monotonicNow() {
                timerDeadline = nil
                try multi.socketAction(CURL_SOCKET_TIMEOUT, events: 0)
            }
            multi.finished(complete)
        } else {
            try multi.perform()
            multi.finished(complete)
            try multi.poll(timeoutMilliseconds: waitLimit)
            try multi.perform()
            multi.finished(complete)
        }
    }

    private func begin(_ transfer: Transfer) {
        do throws(CurlError) {
            let easy: CurlEasy
            if let pooled = pool.popLast() { easy = pooled } else { easy = try makeEasy() }
            transfer.easy = easy
            easy.clearError()
            let opaque = Unmanaged.passUnretained(transfer).toOpaque()
            try easy.set(CURLOPT_URL, transfer.request.url)
            try easy.set(CURLOPT_HTTPHEADER, headers: transfer.headerList)
            try easy.set(CURLOPT_PRIVATE, pointer: opaque)
            try easy.set(CURLOPT_WRITEDATA, pointer: opaque)
            try easy.set(CURLOPT_HEADERDATA, pointer: opaque)
            try multi.add(easy)
            active[ObjectIdentifier(transfer)] = transfer
        } catch {
            transfer.easy = nil
            transfer.finish(Transfer.unattempted(transfer.request, .transfer(error)))
        }
    }

    private func complete(_ handle: UnsafeMutableRawPointer, _ code: CURLcode) {
        var opaque: UnsafeMutableRawPointer?
        do {
            try CurlError.check(ccurl_easy_getinfo_pointer(handle, CURLINFO_PRIVATE, &opaque))
        } catch {
            logger.error("finished transfer without its state", metadata: ["error": "\(error)"])
            _ = curl_multi_remove_handle(multi.handle, handle)
            return
        }
        guard let opaque else { return }
        let transfer = Unmanaged<Transfer>.fromOpaque(opaque).takeUnretainedValue()
        let outcome = transfer.outcome(code: code, maxRedirects: configuration.maxRedirects)
        release(transfer)
        transfer.finish(outcome)
    }

    private func abandon(_ transfer: Transfer, _ error: FetchError) {
        release(transfer)
        transfer.finish(Transfer.unattempted(transfer.request, error))
    }

    /// Takes the transfer out of the multi and keeps its handle for the next one.
    private func release(_ transfer: Transfer) {
        active[ObjectIdentifier(transfer)] = nil
        guard let easy = transfer.easy else { return }
        transfer.easy = nil
        do {
            try multi.remove(easy)
            if transfer.headerList != nil { try easy.set(CURLOPT_HTTPHEADER, headers: nil) }
            if pool.count < configuration.handlePoolSize { pool.append(easy) }
        } catch {
            logger.error("cannot release a transfer's handle", metadata: ["error": "\(error)"])
        }
    }

    /// A handle with every option that is the same for all transfers.
    private func makeEasy() throws(CurlError) -> CurlEasy {
        let easy = try CurlEasy()
        let c = configuration
        try easy.set(CURLOPT_NOSIGNAL, true)
        try easy.set(CURLOPT_WRITEFUNCTION, callback: transferBodyCallback)
        try easy.set(CURLOPT_HEADERFUNCTION, callback: transferHeaderCallback)
        try easy.set(CURLOPT_FOLLOWLOCATION, true)
        try easy.set(CURLOPT_MAXREDIRS, c.maxRedirects)
        try easy.set(CURLOPT_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try easy.set(CURLOPT_ACCEPT_ENCODING, "")  // every encoding this libcurl decodes
        try easy.set(CURLOPT_USERAGENT, c.userAgent)
        try easy.set(CURLOPT_CONNECTTIMEOUT_MS, Int(c.connectTimeout * 1000))
        try easy.set(CURLOPT_TIMEOUT_MS, Int(c.timeout * 1000))
        try easy.set(CURLOPT_PROXY, c.proxy ?? "")
        try easy.set(CURLOPT_SUPPRESS_CONNECT_HEADERS, true)
        try easy.set(CURLOPT_HTTP_VERSION, c.http2 ? Int(CURL_HTTP_VERSION_2TLS) : Int(CURL_HTTP_VERSION_1_1))
        try easy.set(CURLOPT_PIPEWAIT, true)
        try easy.set(CURLOPT_SSL_VERIFYPEER, true)
        try easy.set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundle = c.caBundle { try easy.set(CURLOPT_CAINFO, caBundle) }
        return easy
    }

    // MARK: - socket_action callbacks (loop thread, from inside curl)

    fileprivate func watch(_ socket: curl_socket_t, _ what: Int32) {
        guard let epoll else { return }
        if what == CURL_POLL_REMOVE {
            epoll.remove(socket)
            registeredSockets.remove(socket)
            return
        }
        var events: UInt32 = 0
        if what & CURL_POLL_IN != 0 { events |= EPOLLIN.rawValue }
        if what & CURL_POLL_OUT != 0 { events |= EPOLLOUT.rawValue }
        // A descriptor number can come back for a new socket after the old one was closed
        // (closing also leaves the epoll set), so each operation falls back to the other.
        do {
            if registeredSockets.contains(socket) {
                do {
                    try epoll.modify(socket, events: events, token: UInt64(socket))
                } catch where error.errno == ENOENT {
                    try epoll.add(socket, events: events, token: UInt64(socket))
                }
            } else {
                do {
                    try epoll.add(socket, events: events, token: UInt64(socket))
                } catch where error.errno == EEXIST {
                    try epoll.modify(socket, events: events, token: UInt64(socket))
                }
                registeredSockets.insert(socket)
            }
        } catch {
            logger.error("cannot watch a curl socket", metadata: ["error": "\(error)"])
        }
    }

    fileprivate func setTimer(milliseconds: Int) {
        timerDeadline = milliseconds < 0 ? nil : monotonicNow() + UInt64(milliseconds) * 1_000_000
    }
}

private let curlSocketCallback: ccurl_socket_callback = { _, socket, what, userp, _ in
    Unmanaged<TransferLoop>.fromOpaque(userp!).takeUnretainedValue().watch(socket, what)
    return 0
}

private let curlTimerCallback: ccurl_timer_callback = { _, milliseconds, userp in
    Unmanaged<TransferLoop>.fromOpaque(userp!).takeUnretainedValue().setTimer(milliseconds: milliseconds)
    return 0
}

/// Monotonic nanoseconds (CLOCK_MONOTONIC): deadlines must not jump with the wall clock.
func monotonicNow() -> UInt64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return UInt64(spec.tv_sec) * 1_000_000_000 + UInt64(spec.tv_nsec)
}

import CLinux
import Foundation
import Glibc
import Synchronization

/// A small, real HTTP/1.1 server on 127.0.0.1 for the tests, `campaignwatch demo` and the
/// benchmarks: keep-alive, pipelining, several epoll worker threads sharing one listening
/// socket, routes as values, and a request log to assert what clients sent.
///
/// ```swift
/// let server = try LoopbackHTTPServer()
/// server.route("/feed.xml", .resource(LoopbackResource(text: rss, etag: "\"v1\"", codings: [.gzip])))
/// try server.start()
/// defer { server.stop() }
/// fetch(server.url("/feed.xml"))
/// ```
public final class LoopbackHTTPServer: Sendable {
    private struct Routes {
        var exact: [String: LoopbackRoute] = [:]
        /// Longest prefix first.
        var prefixes: [(prefix: String, route: LoopbackRoute)] = []
        var fallback: LoopbackRoute?
    }

    private struct Lifecycle {
        var workers: [LoopbackWorker] = []
        var threads: [Thread] = []
        var started = false
        var stopped = false
    }

    /// The port the kernel chose.
    public let port: Int
    public let recordsRequests: Bool
    private let listener: Int32
    private let workerCount: Int
    private let routes = Mutex(Routes())
    private let log = Mutex([LoopbackRequestRecord]())
    private let lifecycle = Mutex(Lifecycle())
    private let active = Atomic<Int>(0)
    private let peak = Atomic<Int>(0)
    private let served = Atomic<Int>(0)
    private let connections = Atomic<Int>(0)
    let nextConnectionID = Atomic<Int>(1)

    /// Binds 127.0.0.1 on an ephemeral port; `start()` begins serving.
    public init(workers: Int = 2, recordsRequests: Bool = true) throws {
        workerCount = max(1, workers)
        self.recordsRequests = recordsRequests
        let socket = try SystemError.check("socket", Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0))
        do {
            var one: Int32 = 1
            try SystemError.check("setsockopt(SO_REUSEADDR)",
                                  setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size)))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = 0
            address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
            _ = try withUnsafePointer(to: &address) { pointer throws(SystemError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw throws(SystemError) in
                    try SystemError.check("bind", bind(socket, raw, socklen_t(MemoryLayout<sockaddr_in>.size)))
                }
            }
            try SystemError.check("listen", listen(socket, 4096))
            var bound = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = try withUnsafeMutablePointer(to: &bound) { pointer throws(SystemError) in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw throws(SystemError) in
                    try SystemError.check("getsockname", getsockname(socket, raw, &length))
                }
            }
            port = Int(UInt16(bigEndian: bound.sin_port))
            try setNonBlocking(socket)
        } catch {
            close(socket)
            throw error
        }
        listener = socket
    }

    deinit {
        stop()
        close(listener)
    }

    // MARK: - Routes

    /// Answers requests for exactly `path` (the query is not part of the match).
    public func route(_ path: String, _ route: LoopbackRoute) {
        routes.withLock { $0.exact[path] = route }
    }

    /// Answers requests whose path starts with `prefix` and has no exact route.
    public func route(prefix: String, _ route: LoopbackRoute) {
        routes.withLock { routes in
            routes.prefixes.removeAll { $0.prefix == prefix }
            routes.prefixes.append((prefix, route))
            routes.prefixes.sort { $0.prefix.count > $1.prefix.count }
        }
    }

    /// Answers every request no other route takes (default: 404).
    public func fallback(_ route: LoopbackRoute) {
        routes.withLock { $0.fallback = route }
    }

    /// Registers a chain `path → path/1 → … → target`: `hops` redirects in all.
    public func redirectChain(from path: String, hops: Int, to target: String, status: Int = 302) {
        var current = path
        for hop in 1...max(1, hops) {
            let next = hop == hops ? target : "\(path)/\(hop)"
            route(current, .redirect(to: next, status: status))
            current = next
        }
    }

    public func url(_ path: String) -> String {
        "http://127.0.0.1:\(port)\(path.hasPrefix("/") ? path : "/" + path)"
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    // MARK: - Observing

    /// Every request so far (when `recordsRequests`), in arrival order.
    public var requests: [LoopbackRequestRecord] { log.withLock { $0 } }

    public func requests(path: String) -> [LoopbackRequestRecord] {
        log.withLock { $0.filter { $0.request.path == path } }
    }

    public func clearRequests() {
        log.withLock { $0.removeAll() }
    }

    /// The most requests ever being answered at once since start (or `resetPeak`).
    public var peakConcurrentRequests: Int { peak.load(ordering: .relaxed) }
    public func resetPeak() { peak.store(active.load(ordering: .relaxed), ordering: .relaxed) }
    public var requestsServed: Int { served.load(ordering: .relaxed) }
    public var connectionsAccepted: Int { connections.load(ordering: .relaxed) }

    // MARK: - Lifecycle

    public func start() throws {
        try lifecycle.withLock { state throws in
            guard !state.started else { return }
            state.started = true
            for index in 0..<workerCount {
                let worker = try LoopbackWorker(server: self, listener: listener)
                let thread = Thread { worker.run() }
                thread.name = "loopback-http-\(index)"
                state.workers.append(worker)
                state.threads.append(thread)
            }
            for thread in state.threads { thread.start() }
        }
    }

    /// Stops every worker and closes every connection; returns when they are gone.
    public func stop() {
        let workers = lifecycle.withLock { state -> [LoopbackWorker] in
            guard state.started, !state.stopped else { return [] }
            state.stopped = true
            return state.workers
        }
        for worker in workers { worker.requestStop() }
        for worker in workers { worker.waitUntilStopped() }
    }

    // MARK: - Called by workers

    func respond(to request: LoopbackRequest) -> LoopbackResponse {
        let route: LoopbackRoute? = routes.withLock { routes in
            if let exact = routes.exact[request.path] { return exact }
            for entry in routes.prefixes where request.path.hasPrefix(entry.prefix) { return entry.route }
            return routes.fallback
        }
        return route?.respond(request) ?? .notFound
    }

    func requestStarted(_ request: LoopbackRequest) {
        let now = active.add(1, ordering: .relaxed).newValue
        var seen = peak.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = peak.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
        if recordsRequests {
            let record = LoopbackRequestRecord(request: request, concurrentRequests: now, receivedAt: Date())
            log.withLock { $0.append(record) }
        }
    }

    func requestFinished() {
        active.subtract(1, ordering: .relaxed)
        served.add(1, ordering: .relaxed)
    }

    func requestAbandoned() {
        active.subtract(1, ordering: .relaxed)
    }

    func connectionAccepted() {
        connections.add(1, ordering: .relaxed)
    }
}

func setNonBlocking(_ socket: Int32) throws(SystemError) {
    let flags = try SystemError.check("fcntl(F_GETFL)", fcntl(socket, F_GETFL))
    try SystemError.check("fcntl(F_SETFL)", fcntl(socket, F_SETFL, flags | O_NONBLOCK))
}

import CLinux
import Dispatch
import Glibc
import Synchronization

/// One thread of the loopback server: its own epoll set, the connections it accepted from the
/// shared listening socket (EPOLLEXCLUSIVE wakes one worker per arrival), and their
/// non-blocking reads and writes. Confined to its thread but for `requestStop`.
final class LoopbackWorker: @unchecked Sendable {
    private static let listenToken = UInt64.max - 1
    private static let maxHeadBytes = 64 * 1024

    private final class Connection {
        enum Stream {
            /// `chunk` repeated until `remaining` bytes are out.
            case repeating([UInt8], remaining: Int)
            case drip([UInt8], offset: Int, chunkSize: Int, interval: UInt64, nextAt: UInt64)
        }

        let fd: Int32
        let id: Int
        var input: [UInt8] = []
        var inputStart = 0
        var output: [UInt8] = []
        var outputStart = 0
        var stream: Stream?
        var responding = false
        var closeAfterResponse = false
        var watchingWrites = false

        init(fd: Int32, id: Int) {
            self.fd = fd
            self.id = id
        }

        var dripDeadline: UInt64? {
            if case .drip(_, _, _, _, let nextAt)? = stream { nextAt } else { nil }
        }
    }

    private enum FlushResult { case completed, pending, closed }

    private unowned let server: LoopbackHTTPServer
    private let listener: Int32
    private let epoll: Epoll
    private let stopping = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)
    private var connections: [UInt64: Connection] = [:]
    private var dripping: Set<UInt64> = []
    private var readBuffer = [UInt8](repeating: 0, count: 64 * 1024)

    init(server: LoopbackHTTPServer, listener: Int32) throws(SystemError) {
        self.server = server
        self.listener = listener
        epoll = try Epoll(capacity: 512)
        try epoll.add(listener, events: EPOLLIN.rawValue | EPOLLEXCLUSIVE.rawValue, token: Self.listenToken)
    }

    func requestStop() {
        stopping.store(true, ordering: .releasing)
        epoll.wake()
    }

    func waitUntilStopped() {
        finished.wait()
    }

    func run() {
        while !stopping.load(ordering: .acquiring) {
            var timeout = -1
            if !dripping.isEmpty {
                let now = monotonicNow()
                let next = dripping.compactMap { connections[$0]?.dripDeadline }.min() ?? now
                timeout = next <= now ? 0 : Int((next - now + 999_999) / 1_000_000)
            }
            do {
                try epoll.wait(timeoutMilliseconds: timeout) { token, events in
                    switch token {
                    case Epoll.wakeToken: return
                    case Self.listenToken: acceptAll()
                    default:
                        guard let connection = connections[token] else { return }
                        if events & EPOLLIN.rawValue != 0 || events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
                            read(connection)
                        } else if events & EPOLLOUT.rawValue != 0 {
                            process(connection)
                        }
                    }
                }
            } catch {
                break
            }
            if !dripping.isEmpty {
                let now = monotonicNow()
                for token in dripping {
                    guard let connection = connections[token], let deadline = connection.dripDeadline else {
                        dripping.remove(token)
                        continue
                    }
                    if deadline <= now {
                        dripping.remove(token)
                        process(connection)
                    }
                }
            }
        }
        epoll.remove(listener)
        for connection in Array(connections.values) { close(connection) }
        finished.signal()
    }

    // MARK: - Sockets

    private func acceptAll() {
        while true {
            let fd = Glibc.accept(listener, nil, nil)
            guard fd >= 0 else { return }  // EAGAIN: another worker took it, or none left
            var one: Int32 = 1
            _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
            do {
                try setNonBlocking(fd)
                try epoll.add(fd, events: EPOLLIN.rawValue, token: UInt64(fd))
            } catch {
                Glibc.close(fd)
                continue
            }
            let id = server.nextConnectionID.add(1, ordering: .relaxed).oldValue
            connections[UInt64(fd)] = Connection(fd: fd, id: id)
            server.connectionAccepted()
        }
    }

    private func read(_ connection: Connection) {
        while true {
            let count = readBuffer.withUnsafeMutableBytes { Glibc.read(connection.fd, $0.baseAddress, $0.count) }
            if count > 0 {
                connection.input.append(contentsOf: readBuffer[0..<count])
                if connection.input.count - connection.inputStart > 4 * Self.maxHeadBytes + 1_048_576 {
                    close(connection)  // a client that never stops sending is not one of ours
                    return
                }
                if count < readBuffer.count { break }
            } else if count == 0 {
                close(connection)
                return
            } else {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { break }
                close(connection)
                return
            }
        }
        process(connection)
    }

    private func close(_ connection: Connection) {
        guard connections.removeValue(forKey: UInt64(connection.fd)) != nil else { return }
        dripping.remove(UInt64(connection.fd))
        epoll.remove(connection.fd)
        Glibc.close(connection.fd)
        if connection.responding { server.requestAbandoned() }
    }

    // MARK: - Requests and responses

    /// Answers every complete request in the input, one at a time, as far as the socket lets
    /// the answers out.
    private func process(_ connection: Connection) {
        while true {
            if connection.responding {
                switch flush(connection) {
                case .pending, .closed: return
                case .completed: break
                }
                connection.responding = false
                server.requestFinished()
                if connection.closeAfterResponse {
                    close(connection)
                    return
                }
            }
            guard connections[UInt64(connection.fd)] != nil else { return }
            guard let request = nextRequest(connection) else {
                if connection.responding { continue }  // a rejection to send
                return
            }
            answer(request, on: connection)
        }
    }

    private func nextRequest(_ connection: Connection) -> (LoopbackRequest, keepAlive: Bool)? {
        let available = connection.input.count - connection.inputStart
        guard available > 0 else { return nil }
        let parsed = connection.input.withUnsafeBufferPointer { buffer in
            HTTPRequestHead.parse(UnsafeBufferPointer(rebasing: buffer[connection.inputStart...]))
        }
        switch parsed {
        case .incomplete:
            if available > Self.maxHeadBytes { reject(connection, status: 431) }
            return nil
        case .invalid(let status):
            reject(connection, status: status)
            return nil
        case .complete(let head, let consumed):
            let bodyStart = connection.inputStart + consumed - head.contentLength
            let body = head.contentLength == 0 ? [] : Array(connection.input[bodyStart..<(bodyStart + head.contentLength)])
            connection.inputStart += consumed
            if connection.inputStart == connection.input.count {
                connection.input.removeAll(keepingCapacity: true)
                connection.inputStart = 0
            } else if connection.inputStart > 65_536 {
                connection.input.removeFirst(connection.inputStart)
                connection.inputStart = 0
            }
            var request = LoopbackRequest(
                method: head.method, target: head.target, path: head.path, query: head.query, version: head.version,
                headers: head.headers, connectionID: connection.id)
            request.body = body
            return (request, head.keepAlive)
        }
    }

    /// Answers a request the server cannot read, then closes the connection.
    private func reject(_ connection: Connection, status: Int) {
        let request = LoopbackRequest(
            method: "?", target: "?", path: "?", query: nil, version: "HTTP/1.1", headers: [],
            connectionID: connection.id)
        connection.input.removeAll()
        connection.inputStart = 0
        start(LoopbackResponse(status: status, text: "bad request\n"), for: request, keepAlive: false, on: connection)
    }

    private func answer(_ parsed: (LoopbackRequest, keepAlive: Bool), on connection: Connection) {
        let response = server.respond(to: parsed.0)
        start(response, for: parsed.0, keepAlive: parsed.keepAlive, on: connection)
    }

    private func start(_ response: LoopbackResponse, for request: LoopbackRequest, keepAlive: Bool, on connection: Connection) {
        server.requestStarted(request)
        connection.responding = true
        connection.closeAfterResponse = !keepAlive
        let bodyless = request.method == "HEAD" || response.status == 304 || response.status == 204
            || response.status < 200
        var head = "HTTP/1.1 \(response.status) \(HTTPStatusText.reason(response.status) ?? "Status")\r\n"
        for header in response.headers { head += "\(header.name): \(header.value)\r\n" }
        if response.status != 304 && response.status != 204 { head += "Content-Length: \(response.bodyLength)\r\n" }
        if !keepAlive { head += "Connection: close\r\n" }
        head += "\r\n"
        connection.output.append(contentsOf: head.utf8)
        guard !bodyless else { return }
        switch response.body {
        case .bytes(let bytes):
            connection.output.append(contentsOf: bytes)
        case .repeating(let byte, let count):
            connection.stream = .repeating(Array(repeating: byte, count: min(count, 256 * 1024)), remaining: count)
        case .drip(let bytes, let chunkSize, let interval):
            connection.stream = .drip(
                bytes, offset: 0, chunkSize: chunkSize, interval: UInt64(max(0, interval) * 1e9), nextAt: 0)
        }
    }

    /// Writes what is pending; refills from the body stream; reports whether the response is out.
    private func flush(_ connection: Connection) -> FlushResult {
        while true {
            while connection.outputStart < connection.output.count {
                let written = connection.output.withUnsafeBytes { buffer in
                    send(connection.fd, buffer.baseAddress! + connection.outputStart,
                         buffer.count - connection.outputStart, Int32(MSG_NOSIGNAL))
                }
                if written > 0 {
                    connection.outputStart += written
                } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                    watchWrites(connection, true)
                    return .pending
                } else if written < 0, errno == EINTR {
                    continue
                } else {
                    close(connection)
                    return .closed
                }
            }
            connection.output.removeAll(keepingCapacity: true)
            connection.outputStart = 0
            switch connection.stream {
            case nil:
                watchWrites(connection, false)
                return .completed
            case .repeating(let chunk, let remaining)?:
                let count = min(remaining, chunk.count)
                connection.output.append(contentsOf: chunk[0..<count])
                connection.stream = remaining - count > 0 ? .repeating(chunk, remaining: remaining - count) : nil
            case .drip(let bytes, let offset, let chunkSize, let interval, let nextAt)?:
                let now = monotonicNow()
                guard nextAt <= now else {
                    watchWrites(connection, false)
                    dripping.insert(UInt64(connection.fd))
                    return .pending
                }
                let end = min(bytes.count, offset + chunkSize)
                connection.output.append(contentsOf: bytes[offset..<end])
                connection.stream = end < bytes.count
                    ? .drip(bytes, offset: end, chunkSize: chunkSize, interval: interval, nextAt: now + interval)
                    : nil
            }
        }
    }

    private func watchWrites(_ connection: Connection, _ watch: Bool) {
        guard connection.watchingWrites != watch else { return }
        connection.watchingWrites = watch
        let events = EPOLLIN.rawValue | (watch ? EPOLLOUT.rawValue : 0)
        try? epoll.modify(connection.fd, events: events, token: UInt64(connection.fd))
    }
}

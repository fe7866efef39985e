import CampaignWatch
import Foundation
import Glibc
import Testing

@Suite("LoopbackHTTPServer speaks HTTP/1.1 on raw sockets")
struct LoopbackHTTPServerTests {
    /// Sends `raw` on a fresh connection and reads until the server closes it.
    func exchange(_ raw: String, port: Int) throws -> String {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #expect(fd >= 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        #expect(connected == 0)
        _ = raw.withCString { send(fd, $0, strlen($0), 0) }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if count <= 0 { break }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    @Test("pipelined requests are answered in order on one connection; close is honoured")
    func pipelining() throws {
        let server = try LoopbackHTTPServer(workers: 1)
        server.route("/a", .text("A"))
        server.route(prefix: "/q", .handler { request in
            LoopbackResponse(status: 200, text: "before=\(request.queryItem("before") ?? "-")")
        })
        try server.start()
        defer { server.stop() }
        let reply = try exchange(
            "GET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /q?before=42%20x HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /a HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            port: server.port)
        let answers = reply.components(separatedBy: "HTTP/1.1 ").dropFirst()
        #expect(answers.count == 3)
        #expect(reply.hasSuffix("Content-Length: 1\r\nConnection: close\r\n\r\n"))
        #expect(reply.contains("\r\n\r\nAHTTP/1.1 200 OK"))
        #expect(reply.contains("before=42 x"))
        #expect(Set(server.requests.map(\.request.connectionID)).count == 1)
        #expect(server.requestsServed == 3)
    }

    @Test("unknown paths are 404; malformed requests get 400 and a closed connection")
    func errors() throws {
        let server = try LoopbackHTTPServer(workers: 1)
        try server.start()
        defer { server.stop() }
        #expect(try exchange("GET /nothing HTTP/1.1\r\nConnection: close\r\n\r\n", port: server.port)
            .hasPrefix("HTTP/1.1 404 Not Found\r\n"))
        #expect(try exchange("NONSENSE\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
    }

    @Test("a gzip bomb is small on the wire")
    func bombSize() {
        let bomb = Zlib.gzipBomb(decodedBytes: 64 << 20)
        #expect(bomb.count < 128 << 10)
        #expect(bomb.prefix(2) == [0x1F, 0x8B])
    }
}

/// The head of an HTTP/1.x request, parsed from bytes. A body (Content-Length only) is handed to
/// the route as bytes (a test time-stamping authority reads the query POSTed to it).
struct HTTPRequestHead {
    enum Parse {
        /// More bytes needed.
        case incomplete
        /// Answer with this status and close.
        case invalid(Int)
        /// The head, and how many bytes it and its body used.
        case complete(HTTPRequestHead, consumed: Int)
    }

    var method: String
    var target: String
    var path: String
    var query: String?
    var version: String
    var headers: [HTTPHeader]
    var keepAlive: Bool
    var contentLength = 0

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parse {
        let count = bytes.count
        // A request starts with a method token: anything else (a TLS hello, binary junk) is
        // answered at once instead of waiting for a head that will never come.
        for index in 0..<min(count, 16) {
            let byte = bytes[index]
            if byte == 0x20, index > 0 { break }
            guard byte >= UInt8(ascii: "A"), byte <= UInt8(ascii: "Z") else { return .invalid(400) }
        }
        guard count >= 4 else { return .incomplete }
        var headEnd = -1
        var index = 0
        while index + 3 < count {
            if bytes[index + 3] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 1] == 0x0A, bytes[index] == 0x0D {
                headEnd = index
                break
            }
            index += 1
        }
        guard headEnd >= 0 else { return .incomplete }

        var lines: [Range<Int>] = []
        var lineStart = 0
        index = 0
        while index < headEnd {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A {
                lines.append(lineStart..<index)
                lineStart = index + 2
                index += 2
            } else {
                index += 1
            }
        }
        lines.append(lineStart..<headEnd)

        let requestLine = lines[0]
        let parts = bytes[requestLine].split(separator: 0x20, omittingEmptySubsequences: true)
        guard parts.count == 3 else { return .invalid(400) }
        let method = String(decoding: parts[0], as: UTF8.self)
        let target = String(decoding: parts[1], as: UTF8.self)
        let version = String(decoding: parts[2], as: UTF8.self)
        guard version == "HTTP/1.1" || version == "HTTP/1.0" else { return .invalid(505) }

        var headers: [HTTPHeader] = []
        headers.reserveCapacity(lines.count - 1)
        var contentLength = 0
        var connectionHeader: String?
        for line in lines.dropFirst() {
            guard let colon = bytes[line].firstIndex(of: UInt8(ascii: ":")) else { return .invalid(400) }
            let name = String(decoding: bytes[line.lowerBound..<colon].map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 },
                              as: UTF8.self)
            var valueStart = colon + 1
            var valueEnd = line.upperBound
            while valueStart < valueEnd, bytes[valueStart] == 0x20 || bytes[valueStart] == 0x09 { valueStart += 1 }
            while valueEnd > valueStart, bytes[valueEnd - 1] == 0x20 || bytes[valueEnd - 1] == 0x09 { valueEnd -= 1 }
            let value = String(decoding: bytes[valueStart..<valueEnd], as: UTF8.self)
            switch name {
            case "content-length":
                guard let length = Int(value), length >= 0 else { return .invalid(400) }
                contentLength = length
            case "transfer-encoding":
                return .invalid(501)
            case "connection":
                connectionHeader = value.lowercased()
            default:
                break
            }
            headers.append(HTTPHeader(name, value))
        }
        let consumed = headEnd + 4 + contentLength
        guard consumed <= count else { return .incomplete }

        let keepAlive: Bool = if version == "HTTP/1.1" {
            !(connectionHeader?.contains("close") ?? false)
        } else {
            connectionHeader?.contains("keep-alive") ?? false
        }
        var path = target
        var query: String?
        if let mark = target.firstIndex(of: "?") {
            path = String(target[..<mark])
            query = String(target[target.index(after: mark)...])
        }
        let head = HTTPRequestHead(
            method: method, target: target, path: path, query: query, version: version, headers: headers,
            keepAlive: keepAlive, contentLength: contentLength)
        return .complete(head, consumed: consumed)
    }
}

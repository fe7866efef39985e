import Foundation

/// A request as the loopback server parsed it. Header names are lower-cased.
public struct LoopbackRequest: Sendable {
    public var method: String
    /// The request target as sent: path and query.
    public var target: String
    public var path: String
    /// The raw query string, without `?`.
    public var query: String?
    public var version: String
    public var headers: [HTTPHeader]
    /// Which connection carried it (equal IDs: a kept-alive connection was reused).
    public var connectionID: Int
    /// The request body (Content-Length), empty for most requests.
    public var body: [UInt8] = []

    public func header(_ name: String) -> String? {
        let lower = name.lowercased()
        return headers.first { $0.name == lower }?.value
    }

    /// The first value of a query parameter, percent-decoded (`+` as space).
    public func queryItem(_ name: String) -> String? {
        guard let query else { return nil }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first.map(String.init) == name else { continue }
            let raw = parts.count > 1 ? String(parts[1]) : ""
            return raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
        }
        return nil
    }
}

/// An entry of the server's request log.
public struct LoopbackRequestRecord: Sendable {
    public var request: LoopbackRequest
    /// Requests being answered at the moment this one arrived, itself included.
    public var concurrentRequests: Int
    public var receivedAt: Date
}

public struct LoopbackResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// `count` copies of one byte, streamed without being held in memory.
        case repeating(UInt8, count: Int)
        /// The bytes in chunks of `chunkSize`, one every `interval` seconds.
        case drip([UInt8], chunkSize: Int, interval: TimeInterval)
    }

    public var status: Int
    public var headers: [HTTPHeader]
    public var body: Body

    public init(status: Int, headers: [HTTPHeader] = [], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public init(status: Int, headers: [HTTPHeader] = [], text: String) {
        self.init(status: status, headers: headers + [HTTPHeader("Content-Type", "text/plain; charset=utf-8")],
                  body: .bytes(Array(text.utf8)))
    }

    public static let notFound = LoopbackResponse(status: 404, text: "not found\n")

    var bodyLength: Int {
        switch body {
        case .bytes(let bytes): bytes.count
        case .repeating(_, let count): count
        case .drip(let bytes, _, _): bytes.count
        }
    }
}

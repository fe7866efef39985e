import CampaignWatchCore
import Foundation

/// What the loopback server answers on one path: a value wrapping a handler. The factories
/// below cover what tests, the demo and the benchmarks need; `handler` covers the rest
/// (paging by `?before=`, cursors…).
public struct LoopbackRoute: Sendable {
    let respond: @Sendable (LoopbackRequest) -> LoopbackResponse

    public init(_ respond: @escaping @Sendable (LoopbackRequest) -> LoopbackResponse) {
        self.respond = respond
    }

    public static func handler(_ respond: @escaping @Sendable (LoopbackRequest) -> LoopbackResponse) -> LoopbackRoute {
        LoopbackRoute(respond)
    }

    /// A document with validators (304 on a matching If-None-Match or If-Modified-Since) and
    /// compressed variants offered when the client accepts them.
    public static func resource(_ resource: LoopbackResource) -> LoopbackRoute {
        LoopbackRoute { resource.respond(to: $0) }
    }

    public static func text(_ text: String, status: Int = 200, headers: [HTTPHeader] = []) -> LoopbackRoute {
        let response = LoopbackResponse(status: status, headers: headers, text: text)
        return LoopbackRoute { _ in response }
    }

    /// A redirect (301, 302, 303, 307 or 308) to `location` (absolute, or a path on this server).
    public static func redirect(to location: String, status: Int = 302) -> LoopbackRoute {
        let response = LoopbackResponse(status: status, headers: [HTTPHeader("Location", location)], text: "moved\n")
        return LoopbackRoute { _ in response }
    }

    /// 429 (or 503) with a `Retry-After` value as given: seconds or an HTTP date.
    public static func retryAfter(_ value: String, status: Int = 429) -> LoopbackRoute {
        let response = LoopbackResponse(status: status, headers: [HTTPHeader("Retry-After", value)], text: "slow down\n")
        return LoopbackRoute { _ in response }
    }

    /// `body` in `chunkSize` pieces, one every `interval` seconds (a slow server).
    public static func drip(_ body: [UInt8], chunkSize: Int, interval: TimeInterval, contentType: String = "text/plain") -> LoopbackRoute {
        let response = LoopbackResponse(
            status: 200, headers: [HTTPHeader("Content-Type", contentType)],
            body: .drip(body, chunkSize: max(1, chunkSize), interval: interval))
        return LoopbackRoute { _ in response }
    }

    /// `bytes` bytes of `x`, streamed with a Content-Length (a page far larger than any feed).
    public static func huge(bytes: Int) -> LoopbackRoute {
        let response = LoopbackResponse(
            status: 200, headers: [HTTPHeader("Content-Type", "application/xml")],
            body: .repeating(UInt8(ascii: "x"), count: bytes))
        return LoopbackRoute { _ in response }
    }

    /// A small gzip body that inflates to `decodedBytes` zeros, sent whatever the client accepts.
    public static func gzipBomb(decodedBytes: Int) -> LoopbackRoute {
        let response = LoopbackResponse(
            status: 200,
            headers: [HTTPHeader("Content-Type", "application/xml"), HTTPHeader("Content-Encoding", "gzip")],
            body: .bytes(Zlib.gzipBomb(decodedBytes: decodedBytes)))
        return LoopbackRoute { _ in response }
    }
}

/// A static document with its validators and precomputed compressed variants.
public struct LoopbackResource: Sendable {
    public enum Coding: String, Sendable, Hashable {
        case gzip
        case deflate
    }

    public let body: [UInt8]
    public let contentType: String
    public let etag: String?
    public let lastModified: String?
    private let gzipped: [UInt8]?
    private let deflated: [UInt8]?

    /// `codings` are offered in this order of preference when the request's Accept-Encoding
    /// lists them.
    public init(
        body: [UInt8], contentType: String = "application/xml", etag: String? = nil,
        lastModified: String? = nil, codings: [Coding] = []
    ) {
        self.body = body
        self.contentType = contentType
        self.etag = etag
        self.lastModified = lastModified
        gzipped = codings.contains(.gzip) ? Zlib.compress(body, format: .gzip) : nil
        deflated = codings.contains(.deflate) ? Zlib.compress(body, format: .zlib) : nil
        preference = codings
    }

    private let preference: [Coding]

    public init(text: String, contentType: String = "text/plain; charset=utf-8", etag: String? = nil,
                lastModified: String? = nil, codings: [Coding] = []) {
        self.init(body: Array(text.utf8), contentType: contentType, etag: etag, lastModified: lastModified, codings: codings)
    }

    func respond(to request: LoopbackRequest) -> LoopbackResponse {
        var validators: [HTTPHeader] = []
        if let etag { validators.append(HTTPHeader("ETag", etag)) }
        if let lastModified { validators.append(HTTPHeader("Last-Modified", lastModified)) }
        if isNotModified(request) {
            return LoopbackResponse(status: 304, headers: validators)
        }
        var headers = [HTTPHeader("Content-Type", contentType)] + validators
        var payload = body
        if !preference.isEmpty {
            headers.append(HTTPHeader("Vary", "Accept-Encoding"))
            let accepted = Self.acceptedCodings(request.header("accept-encoding"))
            for coding in preference where accepted.contains(coding.rawValue) {
                headers.append(HTTPHeader("Content-Encoding", coding.rawValue))
                payload = (coding == .gzip ? gzipped : deflated) ?? body
                break
            }
        }
        return LoopbackResponse(status: 200, headers: headers, body: .bytes(payload))
    }

    /// RFC 9110 §13.1.2 and §13.1.3: If-None-Match (weak comparison) wins over If-Modified-Since.
    private func isNotModified(_ request: LoopbackRequest) -> Bool {
        if let ifNoneMatch = request.header("if-none-match") {
            guard let etag else { return false }
            let mine = Self.opaque(etag)
            return ifNoneMatch.split(separator: ",").contains { candidate in
                let trimmed = candidate.trimmingCharacters(in: .whitespaces)
                return trimmed == "*" || Self.opaque(trimmed) == mine
            }
        }
        if let ifModifiedSince = request.header("if-modified-since"), let lastModified {
            if ifModifiedSince == lastModified { return true }
            if let since = HTTPDate.parse(ifModifiedSince), let modified = HTTPDate.parse(lastModified) {
                return modified <= since
            }
        }
        return false
    }

    private static func opaque(_ tag: String) -> Substring {
        tag.hasPrefix("W/") ? tag.dropFirst(2) : Substring(tag)
    }

    /// Codings with a non-zero q-value.
    static func acceptedCodings(_ header: String?) -> Set<String> {
        guard let header else { return [] }
        var result: Set<String> = []
        for item in header.split(separator: ",") {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let name = parts.first, !name.isEmpty else { continue }
            let zero = parts.dropFirst().contains { $0.hasPrefix("q=") && (Double($0.dropFirst(2)) ?? 1) == 0 }
            if !zero { result.insert(name) }
        }
        return result
    }
}

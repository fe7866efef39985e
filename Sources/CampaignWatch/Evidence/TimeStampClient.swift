import CCurl
import Foundation

/// POSTs an RFC 3161 time-stamp query (`application/timestamp-query`) with libcurl and returns
/// the reply's body. A blocking easy transfer on its own thread: it happens once an hour.
struct TimeStampClient: Sendable {
    let url: String
    let timeout: TimeInterval
    let userAgent: String
    let proxy: String?

    func post(_ query: [UInt8]) async throws(EvidenceError) -> [UInt8] {
        let result: Result<[UInt8], EvidenceError> = await withCheckedContinuation { continuation in
            Thread { continuation.resume(returning: perform(query)) }.start()
        }
        return try result.get()
    }

    private func perform(_ query: [UInt8]) -> Result<[UInt8], EvidenceError> {
        do {
            let easy = try CurlEasy()
            let reply = TimeStampReply()
            let headers = try CurlHeaderList(["Content-Type: application/timestamp-query", "Accept: application/timestamp-reply"])
            try easy.set(CURLOPT_URL, url)
            try easy.set(CURLOPT_NOSIGNAL, true)
            try easy.set(CURLOPT_TIMEOUT_MS, Int(timeout * 1000))
            try easy.set(CURLOPT_USERAGENT, userAgent)
            if let proxy { try easy.set(CURLOPT_PROXY, proxy) }
            try easy.set(CURLOPT_HTTPHEADER, headers: headers)
            try easy.set(CURLOPT_WRITEFUNCTION, callback: timeStampBodyCallback)
            try easy.set(CURLOPT_WRITEDATA, pointer: Unmanaged.passUnretained(reply).toOpaque())
            // Binary body: its size first, then COPYPOSTFIELDS copies that many bytes.
            try easy.set(CURLOPT_POSTFIELDSIZE, query.count)
            let body = UnsafeMutableRawPointer.allocate(byteCount: max(query.count, 1), alignment: 1)
            defer { body.deallocate() }
            body.copyMemory(from: query, byteCount: query.count)
            try easy.set(CURLOPT_COPYPOSTFIELDS, pointer: body)
            try CurlError.check(curl_easy_perform(easy.handle), detail: easy.errorText)
            let status = try easy.int(CURLINFO_RESPONSE_CODE)
            withExtendedLifetime(headers) {}
            guard !reply.overflow else { return .failure(EvidenceError(message: "\(url): the reply is larger than 1 MiB")) }
            guard status == 200 else { return .failure(EvidenceError(message: "\(url): HTTP status \(status)")) }
            return .success(reply.body)
        } catch {
            return .failure(EvidenceError(message: "\(url): \(error)"))
        }
    }
}

final class TimeStampReply {
    static let limit = 1 << 20
    var body: [UInt8] = []
    var overflow = false
}

private let timeStampBodyCallback: ccurl_data_callback = { data, size, count, userdata in
    let reply = Unmanaged<TimeStampReply>.fromOpaque(userdata!).takeUnretainedValue()
    let length = size * count
    guard reply.body.count + length <= TimeStampReply.limit, let data else {
        reply.overflow = true
        return 0
    }
    data.withMemoryRebound(to: UInt8.self, capacity: length) { reply.body.append(contentsOf: UnsafeBufferPointer(start: $0, count: length)) }
    return length
}

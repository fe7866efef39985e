import CCurl
import CampaignWatchCore
import Synchronization

/// One fetch on its way through the transfer loop. The caller creates it and waits on its
/// continuation; from submission on, only the loop thread touches the mutable parts (the inbox
/// lock hands it over), which is why it is `@unchecked Sendable`.
final class Transfer: @unchecked Sendable {
    let request: FetchRequest
    let maxBody: Int
    /// Built by the caller's thread, so the loop thread only attaches it.
    let headerList: CurlHeaderList?
    let cancelRequested = Atomic<Bool>(false)
    var continuation: CheckedContinuation<FetchOutcome, Never>?

    var easy: CurlEasy?
    private(set) var body: [UInt8] = []
    private(set) var exceededLimit = false
    /// One entry per final (non-1xx) response: its status and the URL it answered.
    private(set) var responses: [(status: Int, url: String)] = []
    private var contentType: String?
    private var etag: String?
    private var lastModified: String?
    private var retryAfter: String?

    init(request: FetchRequest, maxBody: Int) throws(CurlError) {
        self.request = request
        self.maxBody = maxBody
        var lines: [String] = []
        if let accept = request.accept { lines.append("Accept: \(accept)") }
        if let etag = request.validators.etag { lines.append("If-None-Match: \(etag)") }
        if let lastModified = request.validators.lastModified { lines.append("If-Modified-Since: \(lastModified)") }
        for header in request.headers { lines.append("\(header.name): \(header.value)") }
        headerList = lines.isEmpty ? nil : try CurlHeaderList(lines)
    }

    /// Resumes the waiting caller exactly once.
    func finish(_ outcome: FetchOutcome) {
        let waiting = continuation
        continuation = nil
        waiting?.resume(returning: outcome)
    }

    // MARK: - Callbacks (loop thread)

    func receiveBody(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        // Counted on decoded bytes: a compression bomb stops here at max_body.
        guard body.count + count <= maxBody else {
            exceededLimit = true
            return 0
        }
        if body.isEmpty { body.reserveCapacity(min(maxBody, max(count, 16_384))) }
        body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: count))
        return count
    }

    func receiveHeader(_ data: UnsafeMutablePointer<CChar>?, _ count: Int) -> Int {
        guard let data, count > 0 else { return count }
        let line = UnsafeRawBufferPointer(start: data, count: count)
        var end = count
        while end > 0, line[end - 1] == 0x0D || line[end - 1] == 0x0A || line[end - 1] == 0x20 { end -= 1 }
        if end >= 5, line[0] == UInt8(ascii: "H"), line[1] == UInt8(ascii: "T"), line[2] == UInt8(ascii: "T"),
           line[3] == UInt8(ascii: "P"), line[4] == UInt8(ascii: "/") {
            startResponse(statusLine: UnsafeRawBufferPointer(rebasing: line[0..<end]))
            return count
        }
        guard let colon = line[0..<end].firstIndex(of: UInt8(ascii: ":")) else { return count }
        let name = UnsafeRawBufferPointer(rebasing: line[0..<colon])
        var valueStart = colon + 1
        while valueStart < end, line[valueStart] == 0x20 || line[valueStart] == 0x09 { valueStart += 1 }
        let value = { String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<end]), as: UTF8.self) }
        if Self.equalsIgnoringCase(name, "content-type") {
            contentType = value()
        } else if Self.equalsIgnoringCase(name, "etag") {
            etag = value()
        } else if Self.equalsIgnoringCase(name, "last-modified") {
            lastModified = value()
        } else if Self.equalsIgnoringCase(name, "retry-after") {
            retryAfter = value()
        }
        return count
    }

    private func startResponse(statusLine: UnsafeRawBufferPointer) {
        // "HTTP/1.1 301 Moved Permanently", "HTTP/2 200"
        guard let space = statusLine.firstIndex(of: 0x20) else { return }
        var status = 0
        var index = space + 1
        while index < statusLine.count, index < space + 4, statusLine[index] >= 0x30, statusLine[index] <= 0x39 {
            status = status * 10 + Int(statusLine[index] - 0x30)
            index += 1
        }
        guard status >= 200 else { return }  // 1xx is informational: the real answer follows
        let url = (try? easy?.string(CURLINFO_EFFECTIVE_URL)) ?? nil
        responses.append((status, url ?? request.url))
        contentType = nil
        etag = nil
        lastModified = nil
        retryAfter = nil
        body.removeAll(keepingCapacity: true)  // a redirect's own body is not the document
    }

    private static func equalsIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercase: StaticString) -> Bool {
        guard bytes.count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for index in 0..<bytes.count where bytes[index] | 0x20 != expected[index] { return false }
        return true
    }

    // MARK: - Outcome

    /// The verdict once curl reports the transfer done with `code`.
    func outcome(code: CURLcode, maxRedirects: Int) -> FetchOutcome {
        var failure: FetchError?
        if exceededLimit {
            failure = .tooLarge(limit: maxBody)
        } else {
            do {
                try CurlError.check(code, detail: easy?.errorText)
            } catch {
                failure = FetchError.classify(error, maxRedirects: maxRedirects)
            }
        }
        let status = (try? easy?.int(CURLINFO_RESPONSE_CODE)) ?? responses.last?.status ?? 0
        let result: FetchOutcome.Result
        if let failure {
            result = .failed(failure)
        } else if status == 304 {
            result = .notModified
        } else if (200..<300).contains(status) {
            result = .ok
        } else {
            result = .failed(.httpStatus(status))
        }

        var redirects: [FetchRedirect] = []
        if responses.count > 1 {
            for index in 0..<(responses.count - 1) {
                redirects.append(FetchRedirect(
                    status: responses[index].status, from: responses[index].url, to: responses[index + 1].url))
            }
        }
        let effectiveURL = (try? easy?.string(CURLINFO_EFFECTIVE_URL)) ?? nil

        let validators: HTTPValidators
        switch result {
        case .ok: validators = HTTPValidators(etag: etag, lastModified: lastModified)
        case .notModified:
            validators = HTTPValidators(
                etag: etag ?? request.validators.etag, lastModified: lastModified ?? request.validators.lastModified)
        case .failed: validators = request.validators
        }

        var timings = FetchTimings()
        if let easy {
            func seconds(_ info: CURLINFO) -> Double { Double((try? easy.int64(info)) ?? 0) / 1_000_000 }
            timings.total = seconds(CURLINFO_TOTAL_TIME_T)
            timings.nameLookup = seconds(CURLINFO_NAMELOOKUP_TIME_T)
            timings.connect = seconds(CURLINFO_CONNECT_TIME_T)
            timings.tlsConnect = seconds(CURLINFO_APPCONNECT_TIME_T)
            timings.firstByte = seconds(CURLINFO_STARTTRANSFER_TIME_T)
        }
        let bodyBytes = (try? easy?.int64(CURLINFO_SIZE_DOWNLOAD_T)) ?? 0
        let headerBytes = (try? easy?.int(CURLINFO_HEADER_SIZE)) ?? 0

        let keepsBody: Bool = switch result {
        case .ok, .failed(.httpStatus): true
        default: false
        }
        return FetchOutcome(
            result: result, url: request.url, effectiveURL: effectiveURL ?? request.url, status: status,
            redirects: redirects, contentType: contentType, etag: etag, lastModified: lastModified,
            retryAfter: retryAfter.flatMap(RetryAfter.init(headerValue:)), body: keepsBody ? body : [],
            timings: timings, bytesReceived: Int(bodyBytes) + headerBytes, validators: validators)
    }

    /// The outcome of a fetch that never reached curl (refused at shutdown, cancelled early).
    static func unattempted(_ request: FetchRequest, _ error: FetchError) -> FetchOutcome {
        FetchOutcome(
            result: .failed(error), url: request.url, effectiveURL: request.url, status: 0, redirects: [],
            contentType: nil, etag: nil, lastModified: nil, retryAfter: nil, body: [], timings: FetchTimings(),
            bytesReceived: 0, validators: request.validators)
    }
}

/// The C callbacks; `userdata` is the unretained `Transfer` (the loop holds it while in flight).
let transferBodyCallback: ccurl_data_callback = { data, size, count, userdata in
    Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue().receiveBody(data, size * count)
}

let transferHeaderCallback: ccurl_data_callback = { data, size, count, userdata in
    Unmanaged<Transfer>.fromOpaque(userdata!).takeUnretainedValue().receiveHeader(data, size * count)
}

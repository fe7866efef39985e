import CCurl

/// One libcurl easy handle with its error buffer. Every setter and getter goes through
/// `CurlError.check`, so a failure names the option's problem in curl's words. Not thread-safe:
/// it belongs to one transfer loop.
final class CurlEasy {
    let handle: UnsafeMutableRawPointer
    private let errorBuffer: UnsafeMutablePointer<CChar>

    init() throws(CurlError) {
        try CurlGlobal.ensureInitialized()
        guard let handle = curl_easy_init() else {
            throw CurlError(code: .easy(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed")
        }
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
        try set(CURLOPT_ERRORBUFFER, pointer: UnsafeMutableRawPointer(errorBuffer))
    }

    deinit {
        curl_easy_cleanup(handle)
        errorBuffer.deallocate()
    }

    /// What curl wrote into the error buffer for the last transfer, if anything.
    var errorText: String? {
        errorBuffer.pointee == 0 ? nil : String(cString: errorBuffer)
    }

    func clearError() { errorBuffer.pointee = 0 }

    func set(_ option: CURLoption, _ value: Int) throws(CurlError) {
        try CurlError.check(ccurl_easy_setopt_long(handle, option, value), detail: errorText)
    }

    func set(_ option: CURLoption, _ value: Bool) throws(CurlError) {
        try set(option, value ? 1 : 0)
    }

    /// libcurl copies strings it is given (since 7.17), so a temporary C string is enough.
    func set(_ option: CURLoption, _ value: String) throws(CurlError) {
        let code = value.withCString { ccurl_easy_setopt_string(handle, option, $0) }
        try CurlError.check(code, detail: errorText)
    }

    func set(_ option: CURLoption, pointer: UnsafeMutableRawPointer?) throws(CurlError) {
        try CurlError.check(ccurl_easy_setopt_pointer(handle, option, pointer), detail: errorText)
    }

    /// The list must stay alive until the transfer is done: curl keeps the pointer.
    func set(_ option: CURLoption, headers: CurlHeaderList?) throws(CurlError) {
        try CurlError.check(ccurl_easy_setopt_slist(handle, option, headers?.head), detail: errorText)
    }

    func set(_ option: CURLoption, callback: ccurl_data_callback) throws(CurlError) {
        try CurlError.check(ccurl_easy_setopt_data_callback(handle, option, callback), detail: errorText)
    }

    func int(_ info: CURLINFO) throws(CurlError) -> Int {
        var value = 0
        try CurlError.check(ccurl_easy_getinfo_long(handle, info, &value))
        return value
    }

    func int64(_ info: CURLINFO) throws(CurlError) -> Int64 {
        var value: curl_off_t = 0
        try CurlError.check(ccurl_easy_getinfo_off_t(handle, info, &value))
        return Int64(value)
    }

    func string(_ info: CURLINFO) throws(CurlError) -> String? {
        var value: UnsafeMutablePointer<CChar>?
        try CurlError.check(ccurl_easy_getinfo_string(handle, info, &value))
        return value.map { String(cString: $0) }
    }

    func pointer(_ info: CURLINFO) throws(CurlError) -> UnsafeMutableRawPointer? {
        var value: UnsafeMutableRawPointer?
        try CurlError.check(ccurl_easy_getinfo_pointer(handle, info, &value))
        return value
    }
}

/// A `curl_slist` of request headers, freed with its owner.
final class CurlHeaderList {
    private(set) var head: UnsafeMutablePointer<curl_slist>?

    init(_ lines: [String] = []) throws(CurlError) {
        for line in lines { try append(line) }
    }

    func append(_ line: String) throws(CurlError) {
        guard let grown = line.withCString({ curl_slist_append(head, $0) }) else {
            throw CurlError(code: .easy(CURLE_OUT_OF_MEMORY.rawValue), message: "curl_slist_append failed")
        }
        head = grown
    }

    deinit {
        curl_slist_free_all(head)
    }
}

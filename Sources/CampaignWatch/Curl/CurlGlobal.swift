import CCurl

/// `curl_global_init` must run once before any handle exists and before threads use libcurl.
enum CurlGlobal {
    private static let initialization: Result<Void, CurlError> = Result { () throws(CurlError) in
        try CurlError.check(curl_global_init(Int(CURL_GLOBAL_DEFAULT)))
    }

    static func ensureInitialized() throws(CurlError) {
        try initialization.get()
    }
}

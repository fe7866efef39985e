import CCurl

/// `curl_global_init` must run once before any handle exists and before threads use libcurl.
enum CurlGlobal {
    private static let initialization: Result<Void, CurlError> = Result { () throws(CurlError) in
        try CurlError.check(curl_global_init(Int(CURL_GLOBAL_DEFAULT)))
    }

    static func ensureInitialized() throws(CurlError) {
        try initialization.get()
    }

    /// Whether the linked libcurl was built with a feature (`CURL_VERSION_HTTP2`, …).
    static func has(feature: Int32) -> Bool {
        guard let info = curl_version_info(CURLVERSION_NOW) else { return false }
        return info.pointee.features & feature != 0
    }
}

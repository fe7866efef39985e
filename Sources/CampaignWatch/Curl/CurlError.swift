import CCurl

/// A libcurl failure, with curl's own message and, when curl filled one in, the transfer's
/// error buffer (which names the host, the certificate problem, the timeout…).
public struct CurlError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: Sendable, Hashable {
        case easy(UInt32)
        case multi(Int32)
    }

    public var code: Code
    public var message: String

    public var description: String { message }

    /// The one place an easy-interface return code becomes a Swift error.
    @inline(__always)
    public static func check(_ code: CURLcode, detail: String? = nil) throws(CurlError) {
        guard code != CURLE_OK else { return }
        let generic = String(cString: curl_easy_strerror(code))
        let message = detail.flatMap { $0.isEmpty ? nil : $0 } ?? generic
        throw CurlError(code: .easy(code.rawValue), message: message)
    }

    /// The one place a multi-interface return code becomes a Swift error.
    @inline(__always)
    public static func check(_ code: CURLMcode) throws(CurlError) {
        guard code != CURLM_OK else { return }
        throw CurlError(code: .multi(code.rawValue), message: String(cString: curl_multi_strerror(code)))
    }
}

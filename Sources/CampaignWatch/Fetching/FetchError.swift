import CCurl
import CampaignWatchCore

/// Why a fetch produced no usable answer, in words an operator can act on. Transport failures
/// carry curl's own message (with the error-buffer detail: host, certificate, timing).
public enum FetchError: Error, Sendable, Hashable, CustomStringConvertible {
    case dns(CurlError)
    case connect(CurlError)
    case timeout(CurlError)
    case tls(CurlError)
    /// The decoded body went past `max_body` (a huge page or a compression bomb).
    case tooLarge(limit: Int)
    case tooManyRedirects(limit: Int)
    /// The server answered with this 4xx/5xx (or an unfollowable 3xx) status.
    case httpStatus(Int)
    case transfer(CurlError)
    /// The caller's task was cancelled.
    case cancelled
    /// The fetcher was shutting down: the request was refused or abandoned.
    case shutDown

    public var description: String {
        switch self {
        case .dns(let error): "cannot resolve host: \(error.message)"
        case .connect(let error): "cannot connect: \(error.message)"
        case .timeout(let error): "timed out: \(error.message)"
        case .tls(let error): "TLS failure: \(error.message)"
        case .tooLarge(let limit): "body larger than \(limit) bytes"
        case .tooManyRedirects(let limit): "more than \(limit) redirects"
        case .httpStatus(let status): "HTTP \(status)\(HTTPStatusText.reason(status).map { " \($0)" } ?? "")"
        case .transfer(let error): error.message
        case .cancelled: "cancelled"
        case .shutDown: "abandoned: the fetcher is shutting down"
        }
    }

    /// The scheduler's view; nil when the account is not to blame (cancellation, shutdown).
    public var failureKind: PollFailure.Kind? {
        switch self {
        case .dns: .dns
        case .connect: .connect
        case .timeout: .timeout
        case .tls: .tls
        case .tooLarge: .tooLarge
        case .tooManyRedirects: .tooManyRedirects
        case .httpStatus: .http
        case .transfer: .transport
        case .cancelled, .shutDown: nil
        }
    }

    /// Sorts a failed transfer's curl error into the kinds above.
    static func classify(_ error: CurlError, maxRedirects: Int) -> FetchError {
        guard case .easy(let raw) = error.code else { return .transfer(error) }
        switch CURLcode(rawValue: raw) {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns(error)
        case CURLE_COULDNT_CONNECT: return .connect(error)
        case CURLE_OPERATION_TIMEDOUT: return .timeout(error)
        case CURLE_TOO_MANY_REDIRECTS: return .tooManyRedirects(limit: maxRedirects)
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR,
             CURLE_SSL_PINNEDPUBKEYNOTMATCH, CURLE_SSL_INVALIDCERTSTATUS, CURLE_USE_SSL_FAILED,
             CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_CRL_BADFILE, CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CLIENTCERT:
            return .tls(error)
        default: return .transfer(error)
        }
    }
}

enum HTTPStatusText {
    static func reason(_ status: Int) -> String? {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 204: "No Content"
        case 206: "Partial Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 410: "Gone"
        case 413: "Content Too Large"
        case 418: "I'm a teapot"
        case 429: "Too Many Requests"
        case 451: "Unavailable For Legal Reasons"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: nil
        }
    }
}

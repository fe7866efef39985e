import CampaignWatchCore
import Foundation

/// How the fetcher talks to the world. Built from `poll:` for the daemon; tests and benchmarks
/// adjust fields directly.
public struct FetcherConfiguration: Sendable, Hashable {
    public enum Driver: String, Sendable, Hashable, CaseIterable {
        /// `curl_multi_poll` + `curl_multi_wakeup`: curl polls its own sockets.
        case poll
        /// `curl_multi_socket_action` with our epoll set: work proportional to active sockets.
        case epoll
    }

    public var userAgent: String
    /// Any proxy URL libcurl understands; nil means no proxy at all (environment variables such
    /// as `https_proxy` are ignored: the configuration is the one source).
    public var proxy: String?
    /// The whole transfer, redirects included (`poll.timeout`).
    public var timeout: TimeInterval
    /// Establishing one connection: `min(10 s, timeout)`.
    public var connectTimeout: TimeInterval
    /// Decoded body bytes (`poll.max_body`).
    public var maxBody: Int
    public var maxRedirects: Int = 5
    /// Connections open to one host (`poll.per_host`); HTTP/2 multiplexes over fewer.
    public var maxHostConnections: Int
    /// Connections open in total (`poll.concurrency`).
    public var maxTotalConnections: Int
    /// Idle connections kept for reuse.
    public var connectionCacheSize: Int
    /// Offer HTTP/2 on TLS connections (HTTP/1.1 on plain ones).
    public var http2: Bool = true
    /// A CA bundle to trust instead of the system's (tests with their own certificate).
    public var caBundle: String?
    public var driver: Driver = .poll
    /// How long `shutdown` lets transfers in flight finish before abandoning them.
    public var shutdownGrace: TimeInterval = 5
    /// Easy handles kept for reuse between transfers.
    public var handlePoolSize: Int

    public init(poll settings: PollSettings = PollSettings()) {
        userAgent = settings.userAgent
        proxy = settings.proxy
        timeout = settings.timeout
        connectTimeout = min(10, settings.timeout)
        maxBody = settings.maxBody
        maxHostConnections = max(1, settings.perHost)
        maxTotalConnections = max(1, settings.concurrency)
        connectionCacheSize = max(64, 4 * settings.concurrency)
        handlePoolSize = max(8, settings.concurrency)
    }
}

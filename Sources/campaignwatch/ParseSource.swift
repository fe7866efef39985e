import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging

/// The bytes of a `parse` source and what the server said about them.
struct SourceBytes {
    var bytes: [UInt8]
    /// Where the bytes came from: the URL after redirects (relative links resolve against it).
    var url: String?
    /// The URL as given, before redirects (a platform's next page is derived from it).
    var requestURL: String?
    var contentType: String?
    /// The HTTP status, for a fetched source.
    var status: Int?
}

struct SourceError: Error, CustomStringConvertible {
    var description: String
}

/// Reads a file, stdin (`-`) or an http(s) URL. A URL is fetched the way the daemon fetches an
/// account, with the default `poll:` settings; `platform` lets an error answer say more than its
/// status (a deleted account, a rate limit).
func readSource(_ source: String, platform: SocialPlatform?) async throws -> SourceBytes {
    if source == "-" {
        return SourceBytes(bytes: Array(FileHandle.standardInput.readDataToEndOfFile()))
    }
    let lowered = source.lowercased()
    if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
        return try await fetchSource(source, platform: platform)
    }
    guard let data = FileManager.default.contents(atPath: source) else {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: source, isDirectory: &isDirectory) {
            throw SourceError(description: isDirectory.boolValue ? "\(source) is a directory" : "\(source) cannot be read (permissions?)")
        }
        throw SourceError(description: "\(source): no such file")
    }
    return SourceBytes(bytes: Array(data))
}

private func fetchSource(_ url: String, platform: SocialPlatform?) async throws -> SourceBytes {
    let configuration = FetcherConfiguration(poll: PollSettings())
    let logger = Logger(label: "campaignwatch.parse") { _ in StderrLogHandler(level: .warning) }
    // Telegram marks edits in English words: ask for English pages, as the daemon does.
    let request = FetchRequest(url: url, accept: platform == nil ? feedAccept : nil,
                               headers: [HTTPHeader("Accept-Language", "en")])
    let outcome = try await HTTPFetcher.withFetcher(configuration: configuration, logger: logger) { fetcher in
        await fetcher.fetch(request)
    }
    switch outcome.result {
    case .ok:
        return SourceBytes(bytes: outcome.body, url: outcome.effectiveURL, requestURL: url,
                           contentType: outcome.contentType, status: outcome.status)
    case .notModified:
        throw SourceError(description: "\(url): the server answered 304 Not Modified to a request without validators")
    case .failed(let error):
        var message = "\(url): \(error)"
        if case .httpStatus = error, let platform {
            do {
                _ = try PlatformParser.parse(platform, bytes: outcome.body, context: PlatformContext(
                    account: accountInURL(url, platform: platform) ?? "", requestURL: url, response: PlatformHTTPResponse(status: outcome.status, finalURL: outcome.effectiveURL,
                                                                    receivedAt: Date())))
            } catch {
                message += " (\(error))"
            }
        }
        if case .tooLarge = error {
            message += "; save it with another tool and parse the file"
        }
        throw SourceError(description: message)
    }
}

/// The account a platform URL names, for messages: Bluesky's `actor`, YouTube's `channel_id`,
/// the channel of a Telegram preview (`/s/name`).
func accountInURL(_ url: String, platform: SocialPlatform) -> String? {
    guard let components = URLComponents(string: url) else { return nil }
    func query(_ name: String) -> String? {
        components.queryItems?.first(where: { $0.name == name })?.value.flatMap { $0.isEmpty ? nil : $0 }
    }
    switch platform {
    case .bluesky: return query("actor")
    case .youtube: return query("channel_id")
    case .telegram:
        let parts = components.path.split(separator: "/")
        guard parts.count == 2, parts[0] == "s" else { return nil }
        return String(parts[1])
    case .mastodon: return nil
    }
}

private let feedAccept = "application/rss+xml, application/atom+xml, application/feed+json, application/json;q=0.9, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8"

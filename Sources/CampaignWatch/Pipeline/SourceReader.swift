import CampaignWatchCore
import Foundation

/// Reads one account's source: fetches its page (and older pages while a burst of posts
/// continues past the first one), parses it with the parser of its platform, and says plainly
/// what went wrong when it does. It decides nothing about the posts; that is the poller's job.
struct SourceReader: Sendable {
    let fetcher: HTTPFetcher
    let catchUpPolicy: CatchUpPolicy
    let platformOptions: PlatformOptions

    /// Telegram marks edits in English words; ask for English pages.
    static let headers = [HTTPHeader("Accept-Language", "en")]

    struct Read: Sendable {
        enum Result: Sendable {
            case posts([Post])
            case notModified
            case failed(PollFailure)
            /// The fetcher is shutting down or the poll was cancelled: nothing to record.
            case cancelled
        }

        var result: Result
        var status: Int?
        /// The validators of the first page, to send next time.
        var validators = HTTPValidators()
        var permanentRedirect: String?
        var pages = 0
        var bytes = 0
        var fetchSeconds = 0.0
        var platformState: PlatformState
        /// Things an operator should know that did not stop the poll ("page limit reached…").
        var notes: [String] = []
        /// True when the listing was read down to posts already known or to the source's end,
        /// so a post missing from it is really missing from the source.
        var complete = false
        /// The body of the last error answer (a Mastodon refusal says why in it).
        var failureBody: [UInt8] = []
    }

    /// `known` answers, for a page's post ids, which the store already has.
    func read(account: Account, validators: HTTPValidators, state: PlatformState, knownThrough: Date?,
              isFirstPoll: Bool, now: Date, known: ([String]) -> Set<String>) async -> Read {
        var read = Read(result: .failed(PollFailure(kind: .transport, message: "not read")), platformState: state)
        switch account.platform {
        case .rss, .atom, .jsonfeed:
            await readFeed(url: account.url, validators: validators, into: &read)
        case .telegram, .bluesky, .youtube:
            await readPages(SocialPlatform(account.platform)!, account: account, firstURL: account.url,
                            validators: validators, knownThrough: knownThrough, isFirstPoll: isFirstPoll,
                            known: known, into: &read)
        case .mastodon:
            await readMastodon(account: account, validators: validators, knownThrough: knownThrough,
                               isFirstPoll: isFirstPoll, now: now, known: known, into: &read)
        }
        return read
    }

    // MARK: Feeds

    private func readFeed(url: String, validators: HTTPValidators, into read: inout Read) async {
        guard let outcome = await fetch(url, validators: validators, platform: nil, into: &read, first: true) else { return }
        do {
            let feed = try FeedParser.parse(outcome.body, source: FeedSource(url: outcome.effectiveURL, contentType: outcome.contentType),
                                            options: FeedParseOptions(keepRaw: platformOptions.keepRaw))
            read.result = .posts(feed.posts)
            read.complete = true
            if feed.problemCount > 0 {
                read.notes.append("the feed has \(feed.problemCount) problem(s), read past them: \(feed.warnings.first ?? "")")
            }
        } catch {
            read.result = .failed(PollFailure(kind: .parse, message: "\(url): \(error)"))
        }
    }

    // MARK: Platforms with pages

    private func readPages(_ platform: SocialPlatform, account: Account, firstURL: String, validators: HTTPValidators,
                           knownThrough: Date?, isFirstPoll: Bool, known: ([String]) -> Set<String>,
                           into read: inout Read) async {
        var catchUp = CatchUp(policy: catchUpPolicy, knownThrough: knownThrough, isFirstPoll: isFirstPoll)
        var url = firstURL
        var posts: [Post] = []
        var ids = Set<String>()
        var first = true
        while true {
            guard let outcome = await fetch(url, validators: first ? validators : HTTPValidators(), platform: platform,
                                            into: &read, first: first) else {
                if !first, case .failed(let failure) = read.result {
                    // An older page failed: what was read stands; the next poll catches up again.
                    read.notes.append("an older page failed (\(failure.message)); the posts read so far are kept")
                    read.result = .posts(posts)
                }
                return
            }
            let page: PlatformPage
            do {
                page = try PlatformParser.parse(platform, bytes: outcome.body, context: context(account, outcome))
            } catch {
                if first {
                    read.result = .failed(Self.failure(error))
                } else {
                    read.notes.append("an older page did not parse (\(error)); the posts read so far are kept")
                    read.result = .posts(posts)
                }
                return
            }
            first = false
            for post in page.posts where ids.insert(post.id).inserted { posts.append(post) }
            let seen = known(page.posts.map(\.id))
            switch catchUp.receive(page, requestURL: url, isSeen: { seen.contains($0) }) {
            case .fetch(let next, _):
                url = next
            case .done(let reason):
                read.result = .posts(posts)
                switch reason {
                case .reachedSeenPosts, .reachedKnownTime, .noOlderPage, .emptyPage:
                    read.complete = true
                case .pageLimit(let pages):
                    // On a first poll one page is the design: older history is not a burst.
                    if !isFirstPoll {
                        read.notes.append("stopped after \(pages) page(s) without reaching posts seen before: "
                            + "older posts of this burst may have been missed")
                    }
                case .cursorRepeated:
                    read.notes.append("the platform repeated a page cursor; paging stopped")
                }
                return
            }
        }
    }

    // MARK: Mastodon: account lookup, statuses, RSS when the API refuses

    private func readMastodon(account: Account, validators: HTTPValidators, knownThrough: Date?, isFirstPoll: Bool,
                              now: Date, known: ([String]) -> Set<String>, into read: inout Read) async {
        guard let handle = MastodonHandle(account.handle) else {
            read.result = .failed(PollFailure(kind: .parse, message: "not a Mastodon handle: \(account.handle)"))
            return
        }
        let origin = Self.origin(of: account.url) ?? handle.origin
        let rssURL = PlatformURLs.mastodonRSS(handle, origin: origin)
        if let until = read.platformState.mastodonRSSUntil, until > now {
            await readFeed(url: rssURL, validators: validators, into: &read)
            return
        }
        if read.platformState.mastodonAccountID == nil {
            guard let outcome = await fetch(account.url, validators: HTTPValidators(), platform: .mastodon, into: &read,
                                            first: false) else {
                if refusedWithoutToken(read) { await fallBackToRSS(rssURL, now: now, into: &read) }
                return
            }
            do {
                read.platformState.mastodonAccountID = try MastodonAccountLookup.parse(outcome.body, context: context(account, outcome)).id
            } catch {
                if MastodonRSSFallback.applies(to: error) {
                    await fallBackToRSS(rssURL, now: now, into: &read)
                } else {
                    read.result = .failed(Self.failure(error))
                }
                return
            }
        }
        let statusesURL = PlatformURLs.mastodonStatuses(accountID: read.platformState.mastodonAccountID!, handle: handle,
                                                        origin: origin)
        await readPages(.mastodon, account: account, firstURL: statusesURL, validators: validators, knownThrough: knownThrough,
                        isFirstPoll: isFirstPoll, known: known, into: &read)
        if case .failed = read.result, refusedWithoutToken(read) {
            await fallBackToRSS(rssURL, now: now, into: &read)
        }
    }

    private func fallBackToRSS(_ url: String, now: Date, into read: inout Read) async {
        read.notes.append("the Mastodon API refuses requests without a token; reading \(url) instead for a day")
        read.platformState.mastodonRSSUntil = now + 86_400
        await readFeed(url: url, validators: HTTPValidators(), into: &read)
    }

    private func refusedWithoutToken(_ read: Read) -> Bool {
        guard let status = read.status else { return false }
        return MastodonRSSFallback.applies(status: status, body: read.failureBody)
    }

    // MARK: Fetching

    /// Fetches `url`; nil (with `read.result` set) when there is nothing to parse.
    private func fetch(_ url: String, validators: HTTPValidators, platform: SocialPlatform?, into read: inout Read,
                       first: Bool) async -> FetchOutcome? {
        let outcome = await fetcher.fetch(FetchRequest(url: url, validators: validators, headers: Self.headers))
        read.bytes += outcome.bytesReceived
        read.fetchSeconds += outcome.timings.total
        read.status = outcome.status == 0 ? nil : outcome.status
        read.pages += 1
        if first {
            read.validators = outcome.validators
            read.permanentRedirect = outcome.movedPermanentlyTo
        }
        switch outcome.result {
        case .ok:
            return outcome
        case .notModified:
            read.result = .notModified
            return nil
        case .failed(let error):
            read.failureBody = outcome.body
            if case .httpStatus = error, let platform {
                // The platform's own error answer says more than the status (deleted account, rate limit).
                do {
                    _ = try PlatformParser.parse(platform, bytes: outcome.body, context: PlatformContext(
                        requestURL: url, response: PlatformHTTPResponse(status: outcome.status, finalURL: outcome.effectiveURL)))
                } catch {
                    var failure = Self.failure(error)
                    if failure.retryAfter == nil, outcome.status == 429 || outcome.status == 503 {
                        failure.retryAfter = outcome.retryAfter
                    }
                    read.result = .failed(failure)
                    return nil
                }
            }
            if case .failure(let failure) = outcome.pollResult(newPosts: 0) {
                read.result = .failed(failure)
            } else {
                read.result = .cancelled
            }
            return nil
        }
    }

    private func context(_ account: Account, _ outcome: FetchOutcome) -> PlatformContext {
        var headers: [String: String] = [:]
        if let type = outcome.contentType { headers["content-type"] = type }
        return PlatformContext(account: account.handle, requestURL: outcome.url,
                               response: PlatformHTTPResponse(status: outcome.status, headers: headers,
                                                              finalURL: outcome.effectiveURL, receivedAt: Date()),
                               options: platformOptions)
    }

    static func failure(_ error: PlatformParseError) -> PollFailure {
        switch error.kind {
        case .rateLimited(let seconds):
            return PollFailure(kind: .http, message: error.description, retryAfter: seconds.map { .seconds(Int($0.rounded(.up))) })
        case .malformedDocument, .layoutChanged:
            return PollFailure(kind: .parse, message: error.description)
        default:
            return PollFailure(kind: .http, message: error.description)
        }
    }

    /// `https://social.example.org/api/v1/…` → `https://social.example.org` (a base URL with a path,
    /// a mirror or the demo's site, keeps its path).
    static func origin(of url: String) -> String? {
        if let api = url.range(of: "/api/v1/") { return String(url[..<api.lowerBound]) }
        guard let scheme = url.range(of: "://") else { return nil }
        let rest = url[scheme.upperBound...]
        let host = rest.prefix { $0 != "/" && $0 != "?" }
        return host.isEmpty ? nil : String(url[..<scheme.upperBound]) + host
    }
}

import ArgumentParser
import CampaignWatchCore
import Foundation

/// `campaignwatch parse`: one JSON object per post, a line each.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parses a feed or platform page from a file, stdin or a URL and prints one JSON object per post.",
        discussion: """
            The feed format is told from the content unless --as names it; --as telegram, bluesky, \
            mastodon or youtube reads the source as that platform's answer (a channel preview page, \
            an author feed, a statuses answer, a channel feed). Gzip-compressed input is \
            decompressed. A URL is fetched with the daemon's defaults (redirects, compression, \
            20 s timeout, 10 MiB body cap). Problems the parser read past go to stderr as \
            warnings. Exit status: 65 for input that cannot be parsed, 1 for a source that \
            cannot be read or fetched and for a platform's error answer (deleted account, rate \
            limit), 64 for wrong usage.
            """
    )

    @Option(name: .customLong("as"), help: "Read the source as this format or platform: \(ParseFormat.allValueStrings.joined(separator: ", ")).")
    var format: ParseFormat?

    @Option(name: .customLong("base-url"), help: "The address relative links are resolved against (default: the source URL).")
    var baseURL: String?

    @Option(name: .customLong("content-type"), help: "The HTTP Content-Type to assume, e.g. 'application/rss+xml; charset=windows-1251'.")
    var contentType: String?

    @Argument(help: "A file, '-' for standard input, or an http(s) URL.")
    var source: String

    func run() async throws {
        let input: SourceBytes
        do {
            input = try await readSource(source, platform: format?.platform)
        } catch {
            StandardError.print("campaignwatch parse: \(error)")
            throw ExitStatus.failure
        }
        if let platform = format?.platform {
            try parsePlatform(platform, input)
        } else {
            try parseFeed(input)
        }
    }

    private func parseFeed(_ input: SourceBytes) throws {
        let feedSource = FeedSource(url: input.url, contentType: contentType ?? input.contentType, baseURL: baseURL)
        let output = StandardOutput()
        do {
            let feed = try FeedParser.parse(input.bytes, source: feedSource, format: format?.feedFormat) { post in
                output.write(post)
            }
            output.flush()
            for warning in feed.warnings {
                StandardError.print("campaignwatch parse: warning: \(warning)")
            }
            if feed.problemCount > feed.warnings.count {
                StandardError.print("campaignwatch parse: warning: \(feed.problemCount - feed.warnings.count) more problem(s) not shown")
            }
        } catch {
            output.flush()
            StandardError.print("campaignwatch parse: \(source): \(error)")
            throw ExitStatus.dataError
        }
    }

    private func parsePlatform(_ platform: SocialPlatform, _ input: SourceBytes) throws {
        var headers: [String: String] = [:]
        if let type = contentType ?? input.contentType { headers["content-type"] = type }
        let response = input.status.map {
            PlatformHTTPResponse(status: $0, headers: headers, finalURL: input.url, receivedAt: Date())
        }
        let account = (input.requestURL ?? baseURL).flatMap { accountInURL($0, platform: platform) } ?? ""
        let context = PlatformContext(account: account, requestURL: baseURL ?? input.requestURL ?? input.url, response: response,
                                      options: PlatformOptions(keepRaw: false))
        let page: PlatformPage
        do {
            page = try PlatformParser.parse(platform, bytes: input.bytes, context: context)
        } catch {
            StandardError.print("campaignwatch parse: \(source): \(error)")
            throw error.isUnreadableInput ? ExitStatus.dataError : ExitStatus.failure
        }
        let output = StandardOutput()
        for post in page.posts { output.write(post) }
        output.flush()
        for note in PlatformPageNotes.lines(page) {
            StandardError.print("campaignwatch parse: \(note)")
        }
    }
}

/// The formats and platforms `--as` accepts.
enum ParseFormat: String, CaseIterable, ExpressibleByArgument {
    case rss, atom, rdf, jsonfeed, telegram, bluesky, mastodon, youtube

    /// The feed format, for the formats the feed parser reads.
    var feedFormat: FeedFormat? {
        switch self {
        case .rss: .rss
        case .atom: .atom
        case .rdf: .rdf
        case .jsonfeed: .jsonfeed
        case .telegram, .bluesky, .mastodon, .youtube: nil
        }
    }

    /// The platform, for the sources read by a platform parser.
    var platform: SocialPlatform? { SocialPlatform(rawValue: rawValue) }
}

extension PlatformParseError {
    /// Bytes that are not the document they should be, as opposed to a platform's error answer
    /// (an account that is gone, a rate limit), which was read perfectly well.
    var isUnreadableInput: Bool {
        switch kind {
        case .malformedDocument, .layoutChanged: true
        default: false
        }
    }
}

/// What a platform page says beside its posts, for stderr.
enum PlatformPageNotes {
    static func lines(_ page: PlatformPage) -> [String] {
        var lines: [String] = []
        var counts: [(PlatformPage.Skipped.Reason, Int)] = []
        for skipped in page.skipped {
            if let index = counts.firstIndex(where: { $0.0 == skipped.reason }) {
                counts[index].1 += 1
            } else {
                counts.append((skipped.reason, 1))
            }
            if skipped.reason == .unreadable {
                lines.append("warning: item \(skipped.id) could not be read\(skipped.detail.map { ": \($0)" } ?? "")")
            }
        }
        if !counts.isEmpty {
            lines.append("skipped \(page.skipped.count) item(s): " + counts.map { "\($0.1) \($0.0.rawValue)" }.joined(separator: ", "))
        }
        switch page.empty {
        case .noPosts?: lines.append("the account has no posts")
        case .noPostsFoundMarker?: lines.append("the page says \"No posts found\" (Telegram also says so when it throttles a client)")
        case nil: break
        }
        if let next = page.next { lines.append("next (older) page: \(next)") }
        return lines
    }
}

/// Buffered writes of JSON lines to stdout.
final class StandardOutput {
    private var buffer: [UInt8] = []

    init() { buffer.reserveCapacity(1 << 16) }

    func write(_ post: Post) {
        post.appendJSON(to: &buffer)
        buffer.append(0x0A)
        if buffer.count >= 1 << 16 { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

import ArgumentParser
import CampaignWatchCore
import Foundation

/// `campaignwatch parse`: one JSON object per post, a line each.
struct ParseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parses a feed from a file, stdin or a URL and prints one JSON object per post.",
        discussion: """
            The format is told from the content unless --as names it. Gzip-compressed input is \
            decompressed. Problems the parser read past go to stderr as warnings; input that \
            cannot be parsed at all exits with status 65 and a one-line reason.
            """
    )

    @Option(name: .customLong("as"), help: "Read the source as this format: \(ParseFormat.allValueStrings.joined(separator: ", ")).")
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
            input = try readSource(source)
        } catch {
            FileHandle.standardError.write(Data("campaignwatch parse: \(error)\n".utf8))
            throw ExitStatus.failure
        }
        let feedSource = FeedSource(url: input.url, contentType: contentType ?? input.contentType, baseURL: baseURL)
        let output = StandardOutput()
        do {
            let feed = try FeedParser.parse(input.bytes, source: feedSource, format: format?.feedFormat) { post in
                output.write(post)
            }
            output.flush()
            for warning in feed.warnings {
                FileHandle.standardError.write(Data("campaignwatch parse: warning: \(warning)\n".utf8))
            }
            if feed.problemCount > feed.warnings.count {
                FileHandle.standardError.write(Data("campaignwatch parse: warning: \(feed.problemCount - feed.warnings.count) more problem(s) not shown\n".utf8))
            }
        } catch {
            output.flush()
            FileHandle.standardError.write(Data("campaignwatch parse: \(source): \(error)\n".utf8))
            throw ExitStatus.dataError
        }
    }
}

/// The formats `--as` accepts. Platforms other than feeds join this list as their parsers land.
enum ParseFormat: String, CaseIterable, ExpressibleByArgument {
    case rss, atom, rdf, jsonfeed

    var feedFormat: FeedFormat {
        switch self {
        case .rss: .rss
        case .atom: .atom
        case .rdf: .rdf
        case .jsonfeed: .jsonfeed
        }
    }
}

struct SourceBytes {
    var bytes: [UInt8]
    var url: String?
    var contentType: String?
}

struct SourceError: Error, CustomStringConvertible {
    var description: String
}

/// The bytes of a `parse` source. Files and stdin are read here; http(s) URLs need the fetcher,
/// which this command does not have yet.
func readSource(_ source: String) throws -> SourceBytes {
    if source == "-" {
        return SourceBytes(bytes: Array(FileHandle.standardInput.readDataToEndOfFile()))
    }
    let lowered = source.lowercased()
    if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
        throw SourceError(description: "fetching URLs is not available in this build yet; save the feed to a file (or pipe it to '-') and pass --base-url \(source)")
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

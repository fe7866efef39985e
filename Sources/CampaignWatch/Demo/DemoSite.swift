import CampaignWatchCore
import Foundation

/// Serves a tree of captured answers as if it were the web, so the whole pipeline runs offline:
/// `https://t.me/s/channel` is fetched as `http://127.0.0.1:PORT/t.me/s/channel` and answered
/// from `<root>/t.me/s/channel.html`. The tree mirrors the real addresses (docs in
/// config/demo/README.md):
///
/// - a path names a file, with or without its extension (`…/feed.xml`, `…/s/channel` → `channel.html`);
/// - a path that is a directory is told apart by its identifying query value
///   (`…/getAuthorFeed?actor=a.b` → `getAuthorFeed/a.b.json`, `…/lookup?acct=u` → `lookup/u.json`,
///   `…/videos.xml?channel_id=UC…` → `videos.xml/UC….xml`);
/// - an older page adds `--<param>-<value>` (`channel--before-1201.html`, `statuses--max_id-9.json`).
public struct DemoSite: Sendable {
    public let root: String

    static let identifyingParameters = ["actor", "acct", "channel_id", "id"]
    static let pagingParameters = ["before", "cursor", "max_id"]

    public init(root: String) {
        self.root = root
    }

    /// `https://host/path?query` → `base/host/path?query`.
    public static func rewrite(_ url: String, base: String) -> String {
        guard let scheme = url.range(of: "://") else { return url }
        var trimmed = base
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed + "/" + url[scheme.upperBound...]
    }

    /// Every account's URL pointed at the site served at `base`.
    public static func rewrite(_ configuration: Configuration, base: String) -> Configuration {
        var result = configuration
        result.subjects = configuration.subjects.map { subject in
            var subject = subject
            subject.accounts = subject.accounts.map { account in
                var account = account
                account.url = rewrite(account.url, base: base)
                return account
            }
            return subject
        }
        return result
    }

    public var route: LoopbackRoute {
        let site = self
        return .handler { request in site.respond(to: request) }
    }

    func respond(to request: LoopbackRequest) -> LoopbackResponse {
        guard request.method == "GET" || request.method == "HEAD" else { return LoopbackResponse(status: 405, text: "GET only\n") }
        guard let file = file(for: request), let bytes = FileManager.default.contents(atPath: file) else {
            return .notFound
        }
        return LoopbackResponse(status: 200, headers: [HTTPHeader("Content-Type", Self.contentType(of: file))],
                                body: .bytes([UInt8](bytes)))
    }

    /// The file answering `request`, if the tree has one.
    func file(for request: LoopbackRequest) -> String? {
        let path = request.path.removingPercentEncoding ?? request.path
        guard !path.split(separator: "/").contains(".."), path.hasPrefix("/") else { return nil }
        var base = root + path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), isDirectory.boolValue {
            guard let name = Self.identifyingParameters.lazy.compactMap({ request.queryItem($0) }).first,
                  !name.contains("/") else { return nil }
            base += "/" + name
        }
        if let (parameter, value) = Self.pagingParameters.lazy.compactMap({ p in request.queryItem(p).map { (p, $0) } }).first {
            guard !value.contains("/") else { return nil }
            base += "--\(parameter)-\(value)"
        }
        return Self.existing(base)
    }

    /// `base` itself, else `base.<extension>`.
    static func existing(_ base: String) -> String? {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: base, isDirectory: &isDirectory), !isDirectory.boolValue { return base }
        let directory = (base as NSString).deletingLastPathComponent
        let name = (base as NSString).lastPathComponent
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return nil }
        return entries.sorted().first { ($0 as NSString).deletingPathExtension == name }.map { directory + "/" + $0 }
    }

    /// Content types as the real sites send them; XML without a charset so the document's own
    /// declaration decides (a windows-1251 feed must not be announced as UTF-8).
    static func contentType(of file: String) -> String {
        switch (file as NSString).pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "json": "application/json; charset=utf-8"
        case "rss": "application/rss+xml"
        case "atom": "application/atom+xml"
        case "xml", "rdf": "application/xml"
        default: "application/octet-stream"
        }
    }
}

import CampaignWatchCore

/// One GET. The validators are what the previous answer for this account said (its ETag and
/// Last-Modified, verbatim); the fetcher turns them into If-None-Match / If-Modified-Since.
public struct FetchRequest: Sendable, Hashable {
    public var url: String
    public var validators: HTTPValidators
    /// The Accept header, e.g. `application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8`.
    public var accept: String?
    /// Further request headers.
    public var headers: [HTTPHeader]

    public init(url: String, validators: HTTPValidators = HTTPValidators(), accept: String? = nil, headers: [HTTPHeader] = []) {
        self.url = url
        self.validators = validators
        self.accept = accept
        self.headers = headers
    }
}

public struct HTTPHeader: Sendable, Hashable {
    public var name: String
    public var value: String

    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// What makes a request conditional: remembered per account, sent back unchanged.
public struct HTTPValidators: Sendable, Hashable, Codable {
    public var etag: String?
    public var lastModified: String?

    public init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    public var isEmpty: Bool { etag == nil && lastModified == nil }
}

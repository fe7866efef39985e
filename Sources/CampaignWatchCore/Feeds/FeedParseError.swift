/// Why a document could not be read as a feed at all. Each case carries a one-line reason that
/// says what was wrong with the input; `description` is that line.
public enum FeedParseError: Error, Sendable, Equatable, CustomStringConvertible {
    case emptyInput
    /// The bytes are not RSS, RDF, Atom or JSON Feed (an HTML page, plain text, binary…).
    case notAFeed(String)
    /// Compressed input that is truncated, corrupt or would expand past the size limit.
    case compression(String)
    /// Text so far from its declared (or any) encoding that there is nothing left to read.
    case invalidEncoding(String)
    /// The document declares entities that would expand past the limit (billion laughs).
    case entityExpansionRefused(String)
    /// Elements (or JSON values) nested deeper than the limit.
    case nestingTooDeep(Int)
    /// Syntax so broken that no post could be read (for JSON Feed: invalid JSON).
    case malformed(String)

    public var description: String {
        switch self {
        case .emptyInput: "empty input: there is no document to parse"
        case .notAFeed(let reason): "not a feed: \(reason)"
        case .compression(let reason): reason
        case .invalidEncoding(let reason): "unreadable text encoding: \(reason)"
        case .entityExpansionRefused(let reason): "entity expansion refused: \(reason)"
        case .nestingTooDeep(let limit): "nesting too deep: elements nested more than \(limit) levels (refused as hostile)"
        case .malformed(let reason): "malformed document: \(reason)"
        }
    }
}

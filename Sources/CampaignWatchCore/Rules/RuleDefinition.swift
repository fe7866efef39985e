/// A campaign-keyword rule as a monitor wrote it (the `rules:` entries of the configuration).
public struct RuleDefinition: Sendable, Hashable {
    public var id: String
    public var description: String
    /// The query, in the language of the rules contract.
    public var query: String
    public var severity: Severity
    public var tags: [String]

    public init(id: String, description: String = "", query: String, severity: Severity = .medium, tags: [String] = []) {
        self.id = id
        self.description = description
        self.query = query
        self.severity = severity
        self.tags = tags
    }
}

public enum Severity: String, Sendable, Hashable, CaseIterable, Codable {
    case low, medium, high
}

/// One term of a rule found in a text. Offsets count Unicode scalars of the original text,
/// `end` exclusive, so a person can see the words highlighted.
public struct TermMatch: Sendable, Hashable {
    /// The term as the rule wrote it (`голосуй*`, `"отдай* голос*"`, `#vote`, `@names`).
    public var term: String
    public var start: Int
    public var end: Int
    /// Which text of the post the offsets count in (a post's title is matched with its text).
    public var field: TextField

    public init(term: String, start: Int, end: Int, field: TextField = .text) {
        self.term = term
        self.start = start
        self.end = end
        self.field = field
    }
}

/// The texts of a post that rules read.
public enum TextField: String, Sendable, Hashable, Codable {
    case text, title
}

/// A rule that matched a text, with the terms that made it match.
public struct RuleMatch: Sendable, Hashable {
    public var rule: String
    public var terms: [TermMatch]

    public init(rule: String, terms: [TermMatch]) {
        self.rule = rule
        self.terms = terms
    }
}

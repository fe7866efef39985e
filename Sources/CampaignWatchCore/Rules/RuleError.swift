/// A mistake in a rule, with the column of the query where it is (1-based, counting Unicode
/// scalars), so the configuration loader can turn it into `file:line:column`.
public struct RuleError: Error, Sendable, Hashable, CustomStringConvertible {
    public var rule: String
    /// 1-based column within the query; nil when the error is about the rule as a whole.
    public var column: Int?
    public var message: String

    public init(rule: String, column: Int?, message: String) {
        self.rule = rule
        self.column = column
        self.message = message
    }

    /// `rule call-to-vote-ru, column 31: NEAR/ needs a number, found "x"`
    public var description: String {
        if let column { return "rule \(rule), column \(column): \(message)" }
        return "rule \(rule): \(message)"
    }
}

/// Every error of every rule given to `RuleEngine`, in rule order.
public struct RuleCompileErrors: Error, Sendable, Hashable, CustomStringConvertible {
    public var errors: [RuleError]

    public init(_ errors: [RuleError]) {
        self.errors = errors
    }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}

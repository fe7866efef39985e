import CampaignWatchCore
import Foundation

/// Reads the main configuration file and everything it includes, checks all of it, and
/// returns one validated `Configuration`, or every error found (never only the first), each
/// with `file:line:column` and a sentence that says how to fix it.
///
/// ```swift
/// let loader = ConfigurationLoader(queryValidator: { rule in … }, now: Date())
/// let result = loader.load(path: "/etc/campaignwatch/campaignwatch.yaml")
/// let configuration = try result.get()   // throws ConfigurationErrors
/// ```
public struct ConfigurationLoader: Sendable {
    /// A problem a query parser found in a rule's query. `column` counts Unicode scalars of
    /// the query text from 1; nil when the problem is with the query as a whole.
    public struct QueryProblem: Sendable, Hashable {
        public var column: Int?
        public var message: String

        public init(column: Int?, message: String) {
            self.column = column
            self.message = message
        }
    }

    /// Checks one rule's query; the rules engine supplies it. The loader reports each problem
    /// at the query's place in its file.
    public typealias QueryValidator = @Sendable (RuleDefinition) -> [QueryProblem]

    /// Accepts every query: the default until the rules engine's parser is wired in.
    public static let acceptEveryQuery: QueryValidator = { _ in [] }

    /// The rules engine's own parser: every problem of a query at its column.
    public static let ruleQueries: QueryValidator = { rule in
        RuleEngine.errors(in: rule).map { QueryProblem(column: $0.column, message: $0.message) }
    }

    public var queryValidator: QueryValidator
    /// The present, for the warning about periods that are over.
    public var now: Date

    public init(queryValidator: @escaping QueryValidator = ConfigurationLoader.ruleQueries, now: Date = Date()) {
        self.queryValidator = queryValidator
        self.now = now
    }

    /// Loads `path` (relative paths against the current directory) and what it includes.
    public func load(path: String) -> ConfigurationLoadResult {
        let session = LoadSession(queryValidator: queryValidator, now: now)
        return session.run(mainPath: path)
    }
}

/// The outcome of a load: a configuration when there were no errors, and the warnings either way.
public struct ConfigurationLoadResult: Sendable {
    public var configuration: Configuration?
    public var errors: [ConfigDiagnostic]
    public var warnings: [ConfigDiagnostic]
    /// Every file read (absolute paths), also when there were errors, so a reload can watch them.
    public var files: [String]
    /// The directories `include` patterns look in (absolute), so a reload can notice a file
    /// added there as well as a file changed.
    public var includeDirectories: [String] = []

    public func get() throws(ConfigurationErrors) -> Configuration {
        guard let configuration, errors.isEmpty else {
            throw ConfigurationErrors(errors: errors, warnings: warnings)
        }
        return configuration
    }
}

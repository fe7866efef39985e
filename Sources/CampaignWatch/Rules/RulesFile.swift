import CampaignWatchCore
import Foundation

/// Reads a rules file (a YAML document with a top-level `rules:` list, as in the configuration
/// contract) for `campaignwatch match --rules FILE`. The configuration loader reads it, exactly
/// as it reads the rules of an included file, so a rules file that passes here passes in the
/// configuration too, and every mistake (a query's included) is reported the same way, with
/// `file:line:column`.
public enum RulesFile {
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public var file: String
        public var line: Int
        public var column: Int
        public var message: String

        public var description: String { "\(file):\(line):\(column): \(message)" }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var problems: [Problem]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// `path` itself, or the `*.yaml`/`*.yml` files of a directory, sorted.
    public static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    /// The rules of `path`, each checked (query included); throws every problem found.
    public static func load(_ path: String) throws(Failure) -> [RuleDefinition] {
        let bytes: [UInt8]
        do {
            bytes = try ConfigFileBytes.contents(of: path)
        } catch {
            throw Failure(problems: [Problem(file: path, line: 1, column: 1, message: error.message)])
        }
        return try parse(bytes, file: path)
    }

    public static func parse(_ text: String, file: String) throws(Failure) -> [RuleDefinition] {
        try parse(Array(text.utf8), file: file)
    }

    static func parse(_ bytes: [UInt8], file: String) throws(Failure) -> [RuleDefinition] {
        let session = LoadSession(queryValidator: ConfigurationLoader.ruleQueries, now: Date())
        let (rules, errors) = session.readRulesFile(bytes, file: file)
        guard errors.isEmpty else {
            throw Failure(problems: errors.map { Problem(file: $0.file, line: $0.line, column: $0.column, message: $0.message) })
        }
        return rules
    }
}

import CampaignWatchCore
import Foundation
import Yams

/// Reads a rules file (a YAML document with a top-level `rules:` list, as in the configuration
/// contract) for `campaignwatch match --rules FILE`, reporting every mistake with
/// `file:line:column`, including mistakes inside a rule's query.
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

    static let keys: Set<String> = ["id", "description", "query", "severity", "tags"]

    /// `path` itself, or the `*.yaml`/`*.yml` files of a directory, sorted.
    public static func files(at path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return [path] }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { (path as NSString).appendingPathComponent($0) }
    }

    /// The rules of `path`, each checked (query included); throws every problem found.
    public static func load(_ path: String) throws(Failure) -> [RuleDefinition] {
        let text: String
        do {
            text = try String(contentsOfFile: path, encoding: .utf8)
        } catch {
            throw Failure(problems: [Problem(file: path, line: 1, column: 1, message: "cannot read the file: \(error.localizedDescription)")])
        }
        return try parse(text, file: path)
    }

    public static func parse(_ text: String, file: String) throws(Failure) -> [RuleDefinition] {
        var problems: [Problem] = []
        func problem(_ mark: Mark?, _ message: String) {
            problems.append(Problem(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1, message: message))
        }
        let root: Node?
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw Failure(problems: [yamlProblem(error, file: file)])
        } catch {
            throw Failure(problems: [Problem(file: file, line: 1, column: 1, message: "\(error)")])
        }
        guard let mapping = root?.mapping else {
            throw Failure(problems: [Problem(file: file, line: root?.mark?.line ?? 1, column: root?.mark?.column ?? 1,
                                             message: "expected a mapping with a `rules:` list")])
        }
        var rules: [RuleDefinition] = []
        var seen: [String: Mark?] = [:]
        for (key, value) in mapping {
            guard key.string == "rules" else {
                problem(key.mark, "unknown key `\(key.string ?? "?")` in a rules file (only `rules:` is read here)")
                continue
            }
            guard let list = value.sequence else {
                problem(value.mark, "`rules` must be a list of rules")
                continue
            }
            for item in list {
                guard let fields = item.mapping else {
                    problem(item.mark, "a rule must be a mapping with id, query, severity, description, tags")
                    continue
                }
                var id: String?, query: Node?, description = "", severity = Severity.medium, tags: [String] = []
                var valid = true
                for (k, v) in fields {
                    let name = k.string ?? ""
                    switch name {
                    case "id":
                        id = v.string
                        if id?.isEmpty ?? true { problem(v.mark, "`id` must be a non-empty string"); valid = false }
                    case "query":
                        query = v
                        if v.scalar == nil { problem(v.mark, "`query` must be a string"); valid = false }
                    case "description":
                        description = v.string ?? ""
                    case "severity":
                        if let s = v.string.flatMap(Severity.init(rawValue:)) {
                            severity = s
                        } else {
                            problem(v.mark, "`severity` must be low, medium or high, found `\(v.string ?? "?")`"); valid = false
                        }
                    case "tags":
                        if let list = v.sequence, list.allSatisfy({ $0.scalar != nil }) {
                            tags = list.compactMap(\.string)
                        } else {
                            problem(v.mark, "`tags` must be a list of strings"); valid = false
                        }
                    default:
                        let suggestion = keys.first { $0.hasPrefix(String(name.prefix(2))) }.map { " (did you mean `\($0)`?)" } ?? ""
                        problem(k.mark, "unknown key `\(name)` in a rule\(suggestion)")
                        valid = false
                    }
                }
                guard let id else { problem(item.mark, "the rule has no `id`"); continue }
                guard let query, let queryText = query.string else { problem(item.mark, "rule \(id) has no `query`"); continue }
                if let previous = seen[id] {
                    problem(item.mark, "rule id `\(id)` is used twice (first at line \(previous?.line ?? 0))")
                    valid = false
                }
                seen[id] = item.mark
                let rule = RuleDefinition(id: id, description: description, query: queryText, severity: severity, tags: tags)
                for error in RuleEngine.errors(in: rule) {
                    let (line, column) = position(of: error.column, in: query)
                    problems.append(Problem(file: file, line: line, column: column, message: error.description))
                    valid = false
                }
                if valid { rules.append(rule) }
            }
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        return rules
    }

    /// Where column `column` of a query lies in the file: exact for a plain or quoted value on one
    /// line without escapes, the start of the value otherwise.
    static func position(of column: Int?, in node: Node) -> (Int, Int) {
        let mark = node.mark
        let line = mark?.line ?? 1, start = mark?.column ?? 1
        guard let column, let scalar = node.scalar, !scalar.string.contains("\n") else { return (line, start) }
        switch scalar.style {
        case .plain: return (line, start + column - 1)
        case .singleQuoted, .doubleQuoted: return (line, start + column)
        default: return (line, start)
        }
    }

    static func yamlProblem(_ error: YamlError, file: String) -> Problem {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return Problem(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        default:
            return Problem(file: file, line: 1, column: 1, message: "not valid YAML: \(error)")
        }
    }
}

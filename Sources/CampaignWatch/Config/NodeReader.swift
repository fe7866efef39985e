import CampaignWatchCore
import Foundation
import Yams

/// Typed reading of Yams nodes for one file: every mismatch is reported at the node's
/// `file:line:column` and the value is skipped, so that one pass finds every mistake.
struct NodeReader {
    let file: String
    let diagnostics: ConfigDiagnostics

    func location(_ node: Node) -> ConfigLocation { YAMLFile.location(node.mark, file) }

    func error(_ node: Node, _ message: String) { diagnostics.error(location(node), message) }

    /// The key/value pairs of a mapping, after reporting keys that are not `allowed` (with the
    /// nearest allowed key as a suggestion) and keys that are not plain text.
    func members(_ node: Node, of what: String, allowed: [String],
                 misplaced: [String: String] = [:]) -> [(key: Located<String>, value: Node)]? {
        guard case .mapping(let mapping) = node else {
            error(node, "\(what) must be a mapping of `key: value` lines, but this is \(kind(node))")
            return nil
        }
        var result: [(key: Located<String>, value: Node)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                error(keyNode, "a key in \(what) must be plain text")
                continue
            }
            let key = scalar.string
            if !allowed.contains(key) {
                if let reason = misplaced[key] {
                    error(keyNode, reason)
                } else {
                    error(keyNode, "unknown key `\(key)` in \(what)\(NearestName.hint(key, among: allowed)) "
                        + "(known keys: \(allowed.joined(separator: ", ")))")
                }
                continue
            }
            result.append((Located(value: key, location: location(keyNode)), value))
        }
        return result
    }

    /// The items of a list.
    func items(_ node: Node, of what: String) -> [Node]? {
        guard case .sequence(let sequence) = node else {
            if isNull(node) {
                error(node, "\(what) has no entries: add at least one, or remove the key")
            } else if case .scalar = node {
                error(node, "\(what) must be a list: write `[\(node.scalar?.string ?? "")]` or one `- item` per line")
            } else {
                error(node, "\(what) must be a list, but this is \(kind(node))")
            }
            return nil
        }
        return Array(sequence)
    }

    /// A text value; numbers and the like are taken as written (`telegram: 12345` is a name).
    func string(_ node: Node, of what: String) -> String? {
        guard case .scalar(let scalar) = node else {
            error(node, "\(what) must be a single value, but this is \(kind(node))")
            return nil
        }
        if isNull(node) {
            error(node, "\(what) has no value: write one after the colon")
            return nil
        }
        return scalar.string
    }

    func nonEmptyString(_ node: Node, of what: String) -> String? {
        guard let text = string(node, of: what) else { return nil }
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            error(node, "\(what) is empty")
            return nil
        }
        return text
    }

    func stringList(_ node: Node, of what: String) -> [Located<String>]? {
        guard let items = items(node, of: what) else { return nil }
        var values: [Located<String>] = []
        var failed = false
        for item in items {
            if let text = nonEmptyString(item, of: "an entry of \(what)") {
                values.append(Located(value: text, location: location(item)))
            } else {
                failed = true
            }
        }
        return failed ? nil : values
    }

    func bool(_ node: Node, of what: String) -> Bool? {
        guard let text = string(node, of: what) else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "on": return true
        case "false", "False", "FALSE", "no", "No", "off": return false
        default:
            error(node, "\(what) must be `true` or `false`, not `\(text)`")
            return nil
        }
    }

    func integer(_ node: Node, of what: String, minimum: Int) -> Int? {
        guard let text = string(node, of: what) else { return nil }
        guard let value = Int(text) else {
            error(node, "\(what) must be a whole number, not `\(text)`")
            return nil
        }
        guard value >= minimum else {
            error(node, "\(what) must be at least \(minimum), not \(value)")
            return nil
        }
        return value
    }

    /// Reads a value with one of the core's syntaxes, reporting its message at the node.
    func parse<T>(_ node: Node, of what: String, _ parse: (String) throws(ConfigValueError) -> T) -> T? {
        guard let text = string(node, of: what) else { return nil }
        do {
            return try parse(text)
        } catch {
            self.error(node, "\(what): \(error.message)")
            return nil
        }
    }

    func duration(_ node: Node, of what: String) -> TimeInterval? {
        guard let seconds = parse(node, of: what, ConfigValueSyntax.duration) else { return nil }
        guard seconds > 0 else {
            error(node, "\(what) must be longer than 0s")
            return nil
        }
        return seconds
    }

    func enumeration<E: RawRepresentable & CaseIterable>(_ node: Node, of what: String, _: E.Type) -> E? where E.RawValue == String {
        guard let text = string(node, of: what) else { return nil }
        if let value = E(rawValue: text) { return value }
        let names = E.allCases.map(\.rawValue)
        error(node, "`\(text)` is not a valid \(what)\(NearestName.hint(text, among: names)) (one of: \(names.joined(separator: ", ")))")
        return nil
    }

    /// Resolves a path against the directory of this file (already absolute).
    func path(_ node: Node, of what: String, relativeTo directory: String) -> String? {
        guard let text = nonEmptyString(node, of: what) else { return nil }
        return ConfigPaths.resolve(text, against: directory)
    }

    func isNull(_ node: Node) -> Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func kind(_ node: Node) -> String {
        switch node {
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        case .scalar(let scalar): isNull(node) ? "empty" : "the value `\(scalar.string)`"
        }
    }
}

enum ConfigPaths {
    /// `path` made absolute against `directory`, with `.` and `..` resolved lexically.
    static func resolve(_ path: String, against directory: String) -> String {
        let joined = path.hasPrefix("/") ? path : directory + "/" + path
        return URL(fileURLWithPath: joined).standardized.path
    }

    /// `a/b/../c` → `a/c`, without touching the file system; leading `..` of a relative path stay.
    static func lexicallyNormalized(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." { parts.removeLast(); continue }
            if part == "..", absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }

    static func directory(of path: String) -> String {
        let url = URL(fileURLWithPath: path)
        return url.deletingLastPathComponent().standardized.path
    }

    static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return URL(fileURLWithPath: path).standardized.path }
        return resolve(path, against: FileManager.default.currentDirectoryPath)
    }
}

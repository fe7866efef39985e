import CampaignWatchCore
import Foundation
import Yams

/// `rules:` entries. The query is checked by the injected validator once all files are read.
extension LoadSession {
    /// A rules file on its own (`match --rules FILE`): a YAML document with only `rules:`, read
    /// and checked as the configuration reads and checks the rules of an included file.
    func readRulesFile(_ bytes: [UInt8], file: String) -> (rules: [RuleDefinition], errors: [ConfigDiagnostic]) {
        files.append(file)
        if let root = YAMLFile.compose(bytes, file: file, diagnostics: diagnostics) {
            let reader = NodeReader(file: file, diagnostics: diagnostics)
            let misplaced = Dictionary(uniqueKeysWithValues: ["include", "elections", "subjects"].map {
                ($0, "a rules file holds only `rules`; `\($0)` belongs in the configuration")
            })
            if let members = reader.members(root, of: "a rules file", allowed: ["rules"], misplaced: misplaced) {
                for (key, value) in members where key.value == "rules" { readRules(value, reader: reader) }
            }
        }
        checkUnique(rules.map(\.id), kind: "rule")
        checkQueries()
        // In the order of the file, as the loader reports them.
        let errors = diagnostics.errors.enumerated().sorted { ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset) }
        return (rules.map(\.rule), errors.map(\.element))
    }

    func readRules(_ node: Node, reader: NodeReader) {
        guard let items = reader.items(node, of: "`rules`") else { return }
        for item in items {
            if let draft = readRule(item, reader: reader) { rules.append(draft) }
        }
    }

    private func readRule(_ node: Node, reader: NodeReader) -> RuleDraft? {
        guard let members = reader.members(node, of: "a rule", allowed: ["id", "description", "query", "severity", "tags"]) else {
            return nil
        }
        var id: Located<String>?, description = "", query: (String, Node)?, severity = Severity.medium, tags: [String] = []
        var failed = false
        for (key, value) in members {
            switch key.value {
            case "id":
                id = readID(value, reader: reader, of: "rule")
                if let text = value.scalar?.string { writtenRuleNames.insert(text) }
            case "description":
                if let text = reader.string(value, of: "`description`") { description = text } else { failed = true }
            case "query":
                if let text = reader.nonEmptyString(value, of: "`query`") { query = (text, value) } else { failed = true }
            case "severity":
                if let value = reader.enumeration(value, of: "severity", Severity.self) { severity = value } else { failed = true }
            default:
                if let list = reader.stringList(value, of: "`tags`") {
                    tags = list.map(\.value)
                    writtenRuleNames.formUnion(tags)
                } else {
                    failed = true
                }
            }
        }
        let label = id.map { "rule `\($0.value)`" } ?? "this rule"
        for required in ["id", "query"] where !members.contains(where: { $0.key.value == required }) {
            reader.error(node, "\(label) has no `\(required)`: a rule needs an `id` and a `query`")
        }
        guard !failed, let id, let query else { return nil }
        var column: Int?
        if case .scalar(let scalar) = query.1, !query.0.contains("\n"), let mark = scalar.mark {
            switch scalar.style {
            case .plain, .any: column = mark.column
            // One quote precedes the text; escapes would shift later columns, so only without them.
            case .singleQuoted where !query.0.contains("'"): column = mark.column + 1
            case .doubleQuoted where !query.0.contains("\"") && !query.0.contains("\\"): column = mark.column + 1
            default: break
            }
        }
        return RuleDraft(rule: RuleDefinition(id: id.value, description: description, query: query.0, severity: severity, tags: tags),
                         id: id, query: reader.location(query.1), queryColumn: column)
    }
}

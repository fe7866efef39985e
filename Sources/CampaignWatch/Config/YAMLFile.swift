import CampaignWatchCore
import Yams

/// One YAML configuration file composed into Yams nodes, which keep the line and column of
/// every key and value for messages.
enum YAMLFile {
    /// The root node, or nil after reporting why there is none.
    static func compose(_ bytes: [UInt8], file: String, diagnostics: ConfigDiagnostics) -> Node? {
        let start = ConfigLocation(file: file, line: 1, column: 1)
        var bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            let line = invalidUTF8Line(bytes)
            diagnostics.error(ConfigLocation(file: file, line: line, column: 1),
                              "this line is not UTF-8 text: save the file as UTF-8")
            return nil
        }
        do {
            guard let root = try Yams.compose(yaml: text) else {
                diagnostics.error(start, "the file is empty: add settings, elections, subjects or rules, or remove the file")
                return nil
            }
            return root
        } catch let error as YamlError {
            report(error, file: file, diagnostics: diagnostics)
            return nil
        } catch {
            diagnostics.error(start, "cannot read the YAML: \(error)")
            return nil
        }
    }

    private static func report(_ error: YamlError, file: String, diagnostics: ConfigDiagnostics) {
        let advice = " (YAML syntax: check the indentation, and quote values that contain `: ` or ` #`)"
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _):
            let during = context.map { " \($0.text)" } ?? ""
            diagnostics.error(location(mark, file), "YAML syntax error: \(problem)\(during)\(advice)")
        case .composer(_, let problem, let mark, _):
            if problem.contains("another document") {
                diagnostics.error(location(mark, file), "a second YAML document (`---`) in one file: put it in a file of its own")
            } else {
                diagnostics.error(location(mark, file), "YAML error: \(problem)")
            }
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            diagnostics.error(location(context.mark, file),
                              "\(keys) appears more than once in the same mapping (this is the first): keep only one")
        case .reader(let problem, let offset, _, let yaml):
            var line = 1
            if let offset {
                line += yaml.unicodeScalars.prefix(offset).lazy.filter { $0 == "\n" }.count
            }
            diagnostics.error(ConfigLocation(file: file, line: line, column: 1), "cannot read the YAML: \(problem)")
        default:
            diagnostics.error(ConfigLocation(file: file, line: 1, column: 1), "cannot read the YAML: \(error)")
        }
    }

    static func location(_ mark: Mark?, _ file: String) -> ConfigLocation {
        ConfigLocation(file: file, line: mark?.line ?? 1, column: mark?.column ?? 1)
    }

    private static func invalidUTF8Line(_ bytes: [UInt8]) -> Int {
        var line = 1
        var lineStart = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            if String(validating: bytes[lineStart..<index], as: UTF8.self) == nil { return line }
            line += 1
            lineStart = index + 1
        }
        return line
    }
}

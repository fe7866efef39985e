import CampaignWatchCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands one `include` entry, a glob relative to the including file's directory.
///
/// A pattern with wildcards that matches nothing is a warning (a `rules.d/` still empty is a
/// normal state while a configuration is being built); a plain path that does not exist is an
/// error (it names one file, and that file is missing). Matches come in name order; a match that
/// is neither YAML (`.yaml`, `.yml`) nor CSV (`.csv`) is an error, directories are skipped, and
/// hidden files are never matched by `*`.
enum IncludeGlob {
    enum Kind { case yaml, csv }

    struct Match {
        var source: ConfigSource
        var kind: Kind
    }

    static func expand(_ pattern: Located<String>, from includer: ConfigSource, diagnostics: ConfigDiagnostics) -> [Match] {
        let text = pattern.value
        let absolutePattern = text.hasPrefix("/") ? text : includer.directory + "/" + text
        let hasWildcard = text.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" })
        let paths = matchingPaths(absolutePattern)
        if paths.isEmpty {
            if hasWildcard {
                diagnostics.warning(pattern.location, "`\(text)` matches no file (in \(includer.directory)/)")
            } else {
                diagnostics.error(pattern.location, "cannot include `\(text)`: there is no such file in \(includer.directory)/; "
                    + "check the name (paths are relative to the file that includes them)")
            }
            return []
        }
        var matches: [Match] = []
        for path in paths {
            var info = stat()
            if stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { continue }
            let display: String
            if text.hasPrefix("/") {
                display = path
            } else {
                let prefix = includer.directory + "/"
                let relative = path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
                display = ConfigPaths.lexicallyNormalized(path.hasPrefix(prefix) ? includer.displayDirectory + relative : path)
            }
            let source = ConfigSource(display: display, absolute: ConfigPaths.resolve(path, against: includer.directory))
            let lower = path.lowercased()
            if lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") {
                matches.append(Match(source: source, kind: .yaml))
            } else if lower.hasSuffix(".csv") {
                matches.append(Match(source: source, kind: .csv))
            } else {
                diagnostics.error(pattern.location, "`\(text)` matches `\(display)`, which is neither YAML (.yaml, .yml) "
                    + "nor CSV (.csv): narrow the pattern, e.g. `*.yaml`")
            }
        }
        return matches
    }

    /// The deepest directory of a pattern without wildcards (`watchlists.d/*.csv` → its
    /// `watchlists.d`): where a file that would match can appear.
    static func literalDirectory(of text: String, from includer: ConfigSource) -> String {
        let absolute = text.hasPrefix("/") ? text : includer.directory + "/" + text
        var components = absolute.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if !components.isEmpty { components.removeLast() }
        if let wild = components.firstIndex(where: { $0.contains(where: { $0 == "*" || $0 == "?" || $0 == "[" }) }) {
            components.removeSubrange(wild...)
        }
        return ConfigPaths.lexicallyNormalized("/" + components.joined(separator: "/"))
    }

    /// glob(3), sorted by name.
    private static func matchingPaths(_ pattern: String) -> [String] {
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(pattern, 0, nil, &result) == 0 else { return [] }
        var paths: [String] = []
        for index in 0..<Int(result.gl_pathc) {
            if let path = result.gl_pathv[index] { paths.append(String(cString: path)) }
        }
        return paths.sorted()
    }
}

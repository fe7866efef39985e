import CampaignWatchCore
import Foundation
import Yams

/// A configuration file: the name messages use (as the monitor wrote it, relative to the
/// including file's name) and its absolute path.
struct ConfigSource {
    var display: String
    var absolute: String

    var directory: String { ConfigPaths.directory(of: absolute) }

    var displayDirectory: String {
        guard let slash = display.lastIndex(of: "/") else { return "" }
        return String(display[...slash])
    }
}

struct ElectionDraft {
    var election: Election
    var id: Located<String>
    var selectors: [Located<String>]?
}

struct SubjectDraft {
    var subject: Subject
    var id: Located<String>
    var electionRefs: [Located<String>]
    /// Where each account (parallel to `subject.accounts`) was written.
    var accountLocations: [ConfigLocation]
    /// The `url` each account gave (parallel to `subject.accounts`); the others are derived
    /// once the main file's `platforms` are known.
    var accountURLs: [String?]
}

struct RuleDraft {
    var rule: RuleDefinition
    var id: Located<String>
    var query: ConfigLocation
    /// Column of the query's first character when the query is written on one line and its
    /// columns map one-to-one onto the file's (plain or single-quoted without escapes).
    var queryColumn: Int?
}

/// One load: reads files, collects drafts and diagnostics, then checks across files.
final class LoadSession {
    let diagnostics = ConfigDiagnostics()
    let queryValidator: ConfigurationLoader.QueryValidator
    let now: Date

    var files: [String] = []
    var includeDirectories: [String] = []
    /// The names messages use for the files, in the order they were read.
    private var displayOrder: [String] = []
    private var visited: Set<String> = []

    var settings = Configuration(stateDir: "/var/lib/campaignwatch", spool: SpoolSettings(dir: "/var/spool/campaignwatch"))
    var mainFile = ConfigLocation(file: "", line: 1, column: 1)
    var elections: [ElectionDraft] = []
    var subjects: [SubjectDraft] = []
    var rules: [RuleDraft] = []
    /// Ids (and rule tags) written in the configuration, also of entries that had errors, so that
    /// a reference to a broken election is not reported as a reference to an unknown one.
    var writtenElectionIDs: Set<String> = []
    var writtenRuleNames: Set<String> = []
    /// Account poll overrides, checked against the global `poll` once the main file is read.
    var pollOverrides: [(PollOverride, ConfigLocation)] = []
    /// A file could not be read or parsed: its definitions are missing, so references to them
    /// are not reported as unknown (the file's own error says what to fix first).
    var incomplete = false

    init(queryValidator: @escaping ConfigurationLoader.QueryValidator, now: Date) {
        self.queryValidator = queryValidator
        self.now = now
    }

    func run(mainPath: String) -> ConfigurationLoadResult {
        let main = ConfigSource(display: mainPath, absolute: ConfigPaths.absolute(mainPath))
        mainFile = ConfigLocation(file: main.display, line: 1, column: 1)
        readYAML(main, isMain: true, includedBy: nil)
        checkAcrossFiles()

        var configuration: Configuration?
        if diagnostics.errors.isEmpty {
            var result = settings
            result.elections = elections.map(\.election)
            result.subjects = subjects.map { draft in
                var subject = draft.subject
                for index in subject.accounts.indices {
                    let account = subject.accounts[index]
                    subject.accounts[index].url = draft.accountURLs[index] ?? AccountURL.derive(
                        platform: account.platform, handle: account.handle, baseURL: settings.platforms[account.platform]?.baseURL)
                }
                return subject
            }
            result.rules = rules.map(\.rule)
            result.files = files
            configuration = result
        }
        return ConfigurationLoadResult(configuration: configuration, errors: inFileOrder(diagnostics.errors),
                                       warnings: inFileOrder(diagnostics.warnings), files: files,
                                       includeDirectories: includeDirectories)
    }

    /// Diagnostics sorted the way an editor walks them: files in the order they were read, then
    /// by line and column (stable, so two problems at one place keep the order they were found).
    private func inFileOrder(_ list: [ConfigDiagnostic]) -> [ConfigDiagnostic] {
        var rank: [String: Int] = [:]
        for (index, name) in displayOrder.enumerated() where rank[name] == nil { rank[name] = index }
        return list.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            let key1 = (rank[x.file] ?? Int.max, x.line, x.column, a.offset)
            let key2 = (rank[y.file] ?? Int.max, y.line, y.column, b.offset)
            return key1 < key2
        }.map(\.element)
    }

    /// Marks a file as read; false when it was read already (two globs, or a file including
    /// itself through a pattern), in which case it is silently not read again.
    private func enter(_ source: ConfigSource) -> Bool {
        let identity = source.absolute.withCString { pointer -> String in
            guard let resolved = realpath(pointer, nil) else { return source.absolute }
            defer { free(resolved) }
            return String(cString: resolved)
        }
        guard visited.insert(identity).inserted else { return false }
        files.append(source.absolute)
        displayOrder.append(source.display)
        return true
    }

    func readBytes(_ source: ConfigSource, includedBy: ConfigLocation?) -> [UInt8]? {
        do {
            return try ConfigFileBytes.contents(of: source.absolute)
        } catch {
            diagnostics.error(includedBy ?? ConfigLocation(file: source.display, line: 1, column: 1), error.message)
            incomplete = true
            return nil
        }
    }

    func readYAML(_ source: ConfigSource, isMain: Bool, includedBy: ConfigLocation?) {
        guard enter(source), let bytes = readBytes(source, includedBy: includedBy) else { return }
        let reader = NodeReader(file: source.display, diagnostics: diagnostics)
        guard let root = YAMLFile.compose(bytes, file: source.display, diagnostics: diagnostics) else {
            incomplete = true
            return
        }
        let sectionKeys = ["include", "elections", "subjects", "rules"]
        let settingKeys = ["state_dir", "spool", "poll", "platforms", "log", "metrics", "evidence"]
        var misplaced: [String: String] = [:]
        if !isMain {
            for key in settingKeys {
                misplaced[key] = "`\(key)` is a setting of the main file (\(mainFile.file)); an included file holds only "
                    + "`elections`, `subjects`, `rules` and `include`: move it there"
            }
        }
        let what = isMain ? "the main configuration file" : "an included file"
        guard let members = reader.members(root, of: what, allowed: isMain ? settingKeys + sectionKeys : sectionKeys,
                                           misplaced: misplaced) else { return }
        var includes: Node?
        for (key, value) in members {
            switch key.value {
            case "include": includes = value
            case "elections": readElections(value, reader: reader)
            case "subjects": readSubjects(value, reader: reader)
            case "rules": readRules(value, reader: reader)
            default: readSetting(key.value, value, reader: reader, directory: source.directory)
            }
        }
        // Included files come after the file's own definitions, in the order the patterns are listed.
        if let includes { readIncludes(includes, from: source, reader: reader) }
    }

    func readIncludes(_ node: Node, from source: ConfigSource, reader: NodeReader) {
        guard let patterns = reader.stringList(node, of: "`include`") else { return }
        for pattern in patterns {
            let directory = IncludeGlob.literalDirectory(of: pattern.value, from: source)
            if !includeDirectories.contains(directory) { includeDirectories.append(directory) }
            for match in IncludeGlob.expand(pattern, from: source, diagnostics: diagnostics) {
                switch match.kind {
                case .yaml: readYAML(match.source, isMain: false, includedBy: pattern.location)
                case .csv: readCSV(match.source, includedBy: pattern.location)
                }
            }
        }
    }

    func readCSV(_ source: ConfigSource, includedBy: ConfigLocation) {
        guard enter(source), let bytes = readBytes(source, includedBy: includedBy) else { return }
        subjects += CSVWatchlist.read(bytes, file: source.display, diagnostics: diagnostics)
    }
}

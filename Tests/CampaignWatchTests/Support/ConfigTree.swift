import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

/// A configuration written into a fresh directory, file by file, then loaded as the daemon would.
final class ConfigTree: @unchecked Sendable {
    let directory: TemporaryDirectory

    /// The small valid configuration every error test starts from and breaks one piece of.
    static let base: [String: String] = [
        "campaignwatch.yaml": """
            state_dir: state
            spool:
              dir: spool
            include:
              - elections.d/*.yaml
              - rules.d/*.yaml
              - watchlists.d/*.yaml

            """,
        "elections.d/kz.yaml": """
            elections:
              - id: kz-mazhilis-2023
                name: "Mazhilis 2023"
                timezone: Asia/Almaty
                periods:
                  - { kind: pre-campaign, from: "2023-01-19T00:00", to: "2023-02-18T18:00" }
                  - { kind: campaign, from: "2023-02-18T18:00", to: "2023-03-18T00:00" }
                  - { kind: silence, from: "2023-03-18T00:00", to: "2023-03-19T20:00" }
                rules: [call-to-vote, support-en]

            """,
        "rules.d/rules.yaml": """
            rules:
              - id: call-to-vote-ru
                query: 'голосуй*'
                severity: high
                tags: [call-to-vote]
              - id: support-en
                query: support NEAR/3 us

            """,
        "watchlists.d/kz.yaml": """
            subjects:
              - id: omarova
                name: "Asel Omarova"
                elections: [kz-mazhilis-2023]
                accounts:
                  - telegram: asel_omarova_kz

            """,
    ]

    init(_ files: [String: String], replacing: Bool = false) throws {
        directory = try TemporaryDirectory("campaignwatch-config")
        let all = replacing ? files : Self.base.merging(files) { $1 }
        for (name, text) in all {
            try write(name, text)
        }
    }

    func write(_ name: String, _ text: String) throws {
        let url = directory.file(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    func remove(_ name: String) throws { try FileManager.default.removeItem(at: directory.file(name)) }

    func path(_ name: String) -> String { directory.file(name).path }

    /// Before both example elections, so no period-is-over warnings unless a test wants them.
    static let early = ISO8601DateFormatter().date(from: "2022-06-01T00:00:00Z")!

    func load(_ main: String = "campaignwatch.yaml", now: Date = ConfigTree.early,
              validator: @escaping ConfigurationLoader.QueryValidator = ConfigurationLoader.acceptEveryQuery) -> ConfigurationLoadResult {
        ConfigurationLoader(queryValidator: validator, now: now).load(path: path(main))
    }
}

extension ConfigurationLoadResult {
    /// `relative/file:line:column` of each error, paths relative to `tree`.
    func errorPlaces(in tree: ConfigTree) -> [String] {
        errors.map { "\($0.file.replacingOccurrences(of: tree.directory.path + "/", with: "")):\($0.line):\($0.column)" }
    }

    func warningPlaces(in tree: ConfigTree) -> [String] {
        warnings.map { "\($0.file.replacingOccurrences(of: tree.directory.path + "/", with: "")):\($0.line):\($0.column)" }
    }
}

/// Expects exactly one error, at `place` (`file:line:column` relative to the tree), whose message
/// contains each of `phrases`.
func expectOneError(_ result: ConfigurationLoadResult, in tree: ConfigTree, at place: String, saying phrases: String...,
                    sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(result.configuration == nil, sourceLocation: sourceLocation)
    #expect(result.errorPlaces(in: tree) == [place], "\(result.errors.map(\.description))", sourceLocation: sourceLocation)
    for phrase in phrases {
        #expect(result.errors.first?.message.contains(phrase) == true, "\(result.errors.first?.message ?? "no error") lacks \(phrase)",
                sourceLocation: sourceLocation)
    }
}

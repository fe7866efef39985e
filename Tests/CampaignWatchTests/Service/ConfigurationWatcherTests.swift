@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct ConfigurationWatcherTests {
    /// The next batch of changes, or nil after `timeout`.
    static func next(_ watcher: ConfigurationWatcher, timeout: TimeInterval = 3) async -> [String]? {
        await withTaskGroup(of: [String]?.self) { group in
            group.addTask {
                var iterator = watcher.changes.makeAsyncIterator()
                return await iterator.next()
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    @Test func reportsEditsNewFilesAndRemovalsButNotEditorLeftovers() async throws {
        let tree = try ConfigTree([:])
        let loaded = tree.load()
        #expect(loaded.includeDirectories.sorted() == ["elections.d", "rules.d", "watchlists.d"].map { tree.path($0) })
        let watcher = try ConfigurationWatcher(quietPeriod: 0.1)
        #expect(watcher.watch(files: loaded.files, directories: loaded.includeDirectories).isEmpty)
        watcher.start()
        defer { watcher.stop() }

        // An editor's leftovers alone are no change.
        try tree.write("watchlists.d/.kz.yaml.swp", "x")
        try tree.write("watchlists.d/kz.yaml~", "x")
        #expect(await Self.next(watcher, timeout: 0.6) == nil)

        // Several writes in a burst are one batch.
        try tree.write("campaignwatch.yaml", ConfigTree.base["campaignwatch.yaml"]! + "\n")
        try tree.write("rules.d/rules.yaml", ConfigTree.base["rules.d/rules.yaml"]! + "\n")
        #expect(await Self.next(watcher) == [tree.path("campaignwatch.yaml"), tree.path("rules.d/rules.yaml")])

        // A new file in an include directory, and a removed one.
        try tree.write("watchlists.d/more.csv", "subject_id,name\n")
        #expect(await Self.next(watcher) == [tree.path("watchlists.d/more.csv")])
        try tree.remove("elections.d/kz.yaml")
        #expect(await Self.next(watcher) == [tree.path("elections.d/kz.yaml")])
    }

    @Test func includeDirectoryIsTheLiteralPartOfThePattern() throws {
        let tree = try ConfigTree(["campaignwatch.yaml": """
            state_dir: state
            spool: { dir: spool }
            include:
              - lists/*/people.yaml
              - extra.yaml
              - /nonexistent-abs/*.csv

            """, "extra.yaml": "rules: []\n"], replacing: true)
        let loaded = tree.load()
        #expect(loaded.includeDirectories == [tree.path("lists"), tree.directory.path, "/nonexistent-abs"])
        let watcher = try ConfigurationWatcher()
        defer { watcher.stop() }
        let failures = watcher.watch(files: loaded.files, directories: loaded.includeDirectories)
        #expect(failures.count == 2)  // lists/ and /nonexistent-abs do not exist
    }
}

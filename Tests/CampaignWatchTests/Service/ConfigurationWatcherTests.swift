@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct ConfigurationWatcherTests {
    /// Collects the watcher's batches (one iterator for the stream's whole life: cancelling a
    /// wait on an AsyncStream would end it).
    final class Batches: @unchecked Sendable {
        private let lock = NSLock()
        private var batches: [[String]] = []
        private var taken = 0

        init(_ watcher: ConfigurationWatcher) {
            Task { [self] in
                for await batch in watcher.changes { append(batch) }
            }
        }

        private func append(_ batch: [String]) {
            lock.lock()
            batches.append(batch)
            lock.unlock()
        }

        private func take() -> [String]? {
            lock.lock()
            defer { lock.unlock() }
            guard batches.count > taken else { return nil }
            taken += 1
            return batches[taken - 1]
        }

        /// The next batch, or nil after `timeout`.
        func next(timeout: TimeInterval = 15) async -> [String]? {
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                if let batch = take() { return batch }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return nil
        }
    }

    @Test func reportsEditsNewFilesAndRemovalsButNotEditorLeftovers() async throws {
        let tree = try ConfigTree([:])
        let loaded = tree.load()
        #expect(loaded.includeDirectories.sorted() == ["elections.d", "rules.d", "watchlists.d"].map { tree.path($0) })
        let watcher = try ConfigurationWatcher(quietPeriod: 0.4)
        #expect(watcher.watch(files: loaded.files, directories: loaded.includeDirectories).isEmpty)
        watcher.start()
        defer { watcher.stop() }
        let batches = Batches(watcher)

        // An editor's leftovers alone are no change.
        try tree.write("watchlists.d/.kz.yaml.swp", "x")
        try tree.write("watchlists.d/kz.yaml~", "x")
        #expect(await batches.next(timeout: 1.5) == nil)

        // Several writes in a burst are one batch.
        try tree.write("campaignwatch.yaml", ConfigTree.base["campaignwatch.yaml"]! + "\n")
        try tree.write("rules.d/rules.yaml", ConfigTree.base["rules.d/rules.yaml"]! + "\n")
        #expect(await batches.next() == [tree.path("campaignwatch.yaml"), tree.path("rules.d/rules.yaml")])

        // A new file in an include directory, and a removed one.
        try tree.write("watchlists.d/more.csv", "subject_id,name\n")
        #expect(await batches.next() == [tree.path("watchlists.d/more.csv")])
        try tree.remove("elections.d/kz.yaml")
        #expect(await batches.next() == [tree.path("elections.d/kz.yaml")])
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

import CampaignWatch
import CampaignWatchCore
import Foundation

/// Opens the state database and the evidence archive of a configuration, for commands that read
/// what the daemon recorded. A missing database is an error, not a new empty one.
enum StateAccess {
    /// `--state-dir` when given (a copy of a state directory needs no configuration), else the
    /// configuration's `state_dir`.
    static func open(config: String, stateDir: String?) throws -> (StateStore, EvidenceArchive) {
        try open(stateDir: stateDir ?? ConfigLoading.load(config).stateDir)
    }

    static func open(stateDir: String) throws -> (StateStore, EvidenceArchive) {
        let path = Pipeline.databasePath(stateDir: stateDir)
        guard FileManager.default.fileExists(atPath: path) else {
            StandardError.print("campaignwatch: no state database at \(path): nothing has been recorded with this configuration's state_dir")
            throw ExitStatus.failure
        }
        do {
            let store = try StateStore(path: path)
            return (store, EvidenceArchive(stateDir: stateDir, store: store))
        } catch {
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        }
    }
}

import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation
import Glibc

/// `campaignwatch status`: per account last poll, last success, last error, next poll, posts
/// seen and alerts; per election alerts by period. Reads the state database read-only, so it
/// works while the daemon runs and never changes anything.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Shows each account's polling state and the alerts per election and period, from the state database.",
        discussion: """
            Accounts that fail, have gone silent (no new post for --silent-after), are overdue or were never \
            polled are listed first under "needs attention". Works while the daemon runs. Exit status 0, or 1 \
            when the state database cannot be read, 78 for an invalid configuration (give --state-dir to read the \
            database anyway).
            """
    )

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "One JSON object (schema campaignwatch.status/1) for machines.")
    var json = false

    @Option(name: .long, help: "The state directory, instead of the configuration's state_dir.")
    var stateDir: String?

    @Option(name: .long, help: "An account with no new post for this long is flagged silent (30s, 5m, 2h, 1d).")
    var silentAfter: String = "7d"

    @Flag(name: .long, help: "Also list accounts removed from the configuration.")
    var all = false

    func run() async throws {
        let silence: TimeInterval
        do {
            silence = try ConfigValueSyntax.duration(silentAfter)
        } catch {
            StandardError.print("campaignwatch: --silent-after \(silentAfter): \(error.message)")
            throw ExitStatus.usage
        }
        var configuration: Configuration?
        if stateDir == nil {
            do {
                configuration = try ConfigLoading.load(options.config)
            } catch {
                StandardError.print("campaignwatch: to read the state anyway, give its directory: campaignwatch status --state-dir DIR")
                throw error
            }
        }
        let directory = stateDir ?? configuration!.stateDir
        let path = Pipeline.databasePath(stateDir: directory)
        Self.actAsOwner(of: path)
        let status: StoreStatus
        do {
            let reader = try StoreStatusReader(path: path)
            status = try reader.status(includeRemoved: all, since: Calendar.current.startOfDay(for: Date()))
        } catch {
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        }
        let report = StatusReport(status: status, database: path, configuration: configuration, now: Date(), silentAfter: silence)
        print(json ? report.json() : report.text(), terminator: "")
    }

    /// Even a read-only SQLite connection creates the `-wal` and `-shm` files when the daemon is
    /// not running. Made by root, they would lock the daemon's own user out of its database, so
    /// root reads as the database's owner.
    static func actAsOwner(of path: String) {
        guard geteuid() == 0 else { return }
        var info = stat()
        guard stat(path, &info) == 0, info.st_uid != 0 else { return }
        if setegid(info.st_gid) != 0 || seteuid(info.st_uid) != 0 {
            StandardError.print("campaignwatch: cannot act as the owner of \(path): \(String(cString: strerror(errno)))")
        }
    }
}

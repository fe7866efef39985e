import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation

/// `campaignwatch verify`: checks the evidence chain, the archive, the alerts' links and the
/// trusted timestamps; names the first broken link or missing object.
struct VerifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Checks the evidence hash chain and every archived object; names the first broken link or missing object.",
        discussion: "Exit status: 0 when everything holds, 1 when anything is broken or missing (or the state cannot be read), 78 for an invalid configuration."
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Read this state directory instead of the configuration's state_dir (no configuration needed).")
    var stateDir: String?

    func run() async throws {
        let (store, archive) = try StateAccess.open(config: options.config, stateDir: stateDir)
        let report: EvidenceVerifier.Report
        do {
            report = try EvidenceVerifier(store: store, archive: archive).verify { StandardError.print("verify: \($0)") }
        } catch {
            StandardError.print("campaignwatch: \(error)")
            throw ExitStatus.failure
        }
        let counts = "\(report.links) chain link(s), \(report.objects) archived object(s), \(report.alerts) alert(s), "
            + "\(report.timestamps) timestamp(s)"
        if report.holds {
            print("evidence holds: \(counts)")
            return
        }
        if let first = report.firstBrokenLink { print("first broken link: \(first)") }
        for problem in report.problems.prefix(100) { print(problem) }
        if report.problems.count > 100 { print("… and \(report.problems.count - 100) more problem(s)") }
        print("evidence does NOT hold: \(report.problems.count) problem(s) in \(counts)")
        throw ExitStatus.failure
    }
}

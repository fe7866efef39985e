import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation

/// `campaignwatch poll --once [--subject ID]`: one polling round, alerts written as the daemon
/// writes them, a progress line on a terminal and a summary at the end.
struct PollCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll",
        abstract: "Polls every account (or one subject's) once, writing alerts as the daemon would, then exits.",
        discussion: "Exit status: 0 when the round ran (sources that failed are listed), 1 when it could not run, 78 for an invalid configuration."
    )

    @OptionGroup var options: ConfigOption

    @Flag(name: .long, help: "One round, then exit (the only mode; `campaignwatch run` is the daemon).")
    var once = false

    @Option(name: .long, help: "Only this subject's accounts.")
    var subject: String?

    func validate() throws {
        guard once else { throw ValidationError("poll runs one round: give --once (the daemon is `campaignwatch run`)") }
    }

    func run() async throws {
        let configuration = try ConfigLoading.load(options.config)
        if let subject, !configuration.subjects.contains(where: { $0.id == subject }) {
            let known = configuration.subjects.map(\.id).sorted().joined(separator: ", ")
            StandardError.print("campaignwatch: no subject \"\(subject)\" in the configuration (subjects: \(known))")
            throw ExitStatus.usage
        }
        let logger = Runtime.logger(configuration)
        let (pipeline, snapshot) = try Runtime.pipeline(configuration, logger: logger)
        let summary = try await PollRound.run(pipeline: pipeline, snapshot: snapshot,
                                              subjects: subject.map { [$0] }, logger: logger)
        await pipeline.shutdown()
        print(summary.text(spoolDirectory: configuration.spool.dir), terminator: "")
    }
}

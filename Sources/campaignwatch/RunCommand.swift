import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging
import ServiceLifecycle

/// `campaignwatch run`: the daemon, in the foreground. Logs to stderr; SIGTERM or SIGINT stop it
/// cleanly (no new polls, transfers in flight finish within a bound, spool and store flushed).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs the daemon in the foreground (systemd Type=notify); logs to stderr.",
        discussion: "Stops cleanly on SIGTERM or SIGINT. Exit status 78 for an invalid configuration, 1 when the state or the spool cannot be opened."
    )

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let configuration = try ConfigLoading.load(options.config)
        let logger = Runtime.logger(configuration)
        let (pipeline, snapshot) = try Runtime.pipeline(configuration, logger: logger)
        let log = PollReportLog(logger: logger)
        var hooks = PollLoop.Hooks()
        hooks.report = { log.record($0) }
        let (commands, _) = AsyncStream.makeStream(of: PollLoop.Command.self)
        let service = PollingService(pipeline: pipeline, snapshot: snapshot, commands: commands, hooks: hooks)
        let started = "started: \(snapshot.accounts.count) account(s) of \(configuration.subjects.count) subject(s), "
            + "\(configuration.rules.count) rule(s), spool \(configuration.spool.dir)"
        logger.notice("\(started)")
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [ServiceGroupConfiguration.ServiceConfiguration(service: service)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

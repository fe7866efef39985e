import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation
import Logging
import ServiceLifecycle

/// `campaignwatch run`: the daemon, in the foreground, the way systemd runs it (Type=notify).
/// Logs to stderr; SIGHUP or an edit of a configuration file reloads; SIGTERM or SIGINT stop it
/// cleanly (no new polls, transfers in flight finish within a bound, spool and store flushed).
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs the daemon in the foreground (systemd Type=notify); logs to stderr.",
        discussion: """
            Reloads the configuration on SIGHUP and when one of its files changes; an invalid configuration is \
            logged with every file:line:column and the daemon keeps the last good one. Stops cleanly on SIGTERM or \
            SIGINT. Under systemd it sends READY=1, STATUS=, RELOADING=1, STOPPING=1 and the watchdog pings to \
            NOTIFY_SOCKET. Exit status 78 for an invalid configuration, 1 when the state or the spool cannot be opened.
            """
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: "Seconds transfers in flight may take to finish after SIGTERM.")
    var stopGrace: Double = 10

    @Option(name: .long, help: "Seconds between two rewrites of metrics.textfile.")
    var metricsInterval: Double = 15

    @Flag(name: .long, help: "Do not watch the configuration files; reload on SIGHUP only.")
    var noWatch = false

    func validate() throws {
        guard stopGrace >= 0 else { throw ValidationError("--stop-grace must be 0 or more seconds") }
        guard metricsInterval >= 1 else { throw ValidationError("--metrics-interval must be at least 1 second") }
    }

    func run() async throws {
        let loaded = try ConfigLoading.loadResult(options.config)
        let configuration = loaded.configuration!
        let levelControl = LogLevelControl(StderrLogHandler.level(configuration.log.level))
        let logger = Logger(label: "campaignwatch") { _ in StderrLogHandler(control: levelControl) }
        for warning in loaded.warnings { logger.warning("\(warning.description)") }
        let (pipeline, snapshot) = try Runtime.pipeline(configuration, logger: logger)

        let notifier: SystemdNotifier?
        do {
            notifier = try SystemdNotifier.fromEnvironment()
        } catch {
            logger.warning("cannot reach systemd: \(error)")
            notifier = nil
        }
        let link = ServiceManagerLink(notifier: notifier, watchdog: WatchdogTimer.fromEnvironment(), logger: logger)
        var daemonOptions = Daemon.Options(configPath: options.config)
        daemonOptions.stopGrace = stopGrace
        daemonOptions.metricsInterval = metricsInterval
        daemonOptions.watchFiles = !noWatch
        let daemon = Daemon(options: daemonOptions, pipeline: pipeline, snapshot: snapshot, initialLoad: loaded,
                            load: { ConfigLoading.loader().load(path: $0) }, link: link, levelControl: levelControl, logger: logger)

        var started = "started: \(snapshot.accounts.count) account(s) of \(configuration.subjects.count) subject(s), "
            + "\(configuration.rules.count) rule(s), state \(configuration.stateDir), spool \(configuration.spool.dir)"
        if let watchdog = link.watchdog { started += ", watchdog \(watchdog.timeout) s" }
        logger.notice("\(started)")
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: [ServiceGroupConfiguration.ServiceConfiguration(service: daemon)],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }
}

import CampaignWatchCore
import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import UnixSignals

/// `campaignwatch run` as one `Service`: the poll loop, reloads on SIGHUP and on changes of the
/// configuration files, systemd notifications and watchdog pings, and the metrics textfile.
/// `run()` wires the real SIGHUP and inotify triggers; `run(triggers:)` does the work, so tests
/// can drive reloads with an `AsyncStream`.
public struct Daemon: Service {
    public enum ReloadTrigger: Sendable, Hashable, CustomStringConvertible {
        case signal
        case files([String])

        public var description: String {
            switch self {
            case .signal: "SIGHUP"
            case .files(let paths): "changed: " + paths.joined(separator: ", ")
            }
        }
    }

    public struct Options: Sendable {
        public var configPath: String
        /// How long transfers in flight may take to finish after SIGTERM.
        public var stopGrace: TimeInterval = 10
        public var metricsInterval: TimeInterval = 15
        /// Reload when a configuration file changes (inotify); SIGHUP always reloads.
        public var watchFiles = true

        public init(configPath: String) {
            self.configPath = configPath
        }
    }

    let options: Options
    let pipeline: Pipeline
    let initial: PipelineSnapshot
    let initialLoad: ConfigurationLoadResult
    let load: @Sendable (String) -> ConfigurationLoadResult
    let link: ServiceManagerLink
    let levelControl: LogLevelControl?
    let logger: Logger
    let calendar: Calendar

    public init(options: Options, pipeline: Pipeline, snapshot: PipelineSnapshot, initialLoad: ConfigurationLoadResult,
                load: @escaping @Sendable (String) -> ConfigurationLoadResult, link: ServiceManagerLink,
                levelControl: LogLevelControl? = nil, logger: Logger, calendar: Calendar = .current) {
        self.options = options
        self.pipeline = pipeline
        initial = snapshot
        self.initialLoad = initialLoad
        self.load = load
        self.link = link
        self.levelControl = levelControl
        self.logger = logger
        self.calendar = calendar
    }

    public func run() async throws {
        let (triggers, sink) = AsyncStream.makeStream(of: ReloadTrigger.self)
        // Trapped before READY=1, so a SIGHUP right after it reloads instead of killing the process.
        let hangups = await UnixSignalsSequence(trapping: .sighup)
        let watcher = makeWatcher()
        if let watcher {
            for failure in watcher.watch(files: initialLoad.files, directories: initialLoad.includeDirectories) {
                logger.warning("cannot watch a configuration directory: \(failure)")
            }
            watcher.start()
        }
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await _ in hangups { sink.yield(.signal) }
            }
            if let watcher {
                group.addTask {
                    for await paths in watcher.changes { sink.yield(.files(paths)) }
                }
            }
            await run(triggers: triggers, watcher: watcher)
            sink.finish()
            watcher?.stop()
            group.cancelAll()
        }
    }

    private func makeWatcher() -> ConfigurationWatcher? {
        guard options.watchFiles else { return nil }
        do {
            return try ConfigurationWatcher()
        } catch {
            logger.warning("cannot watch the configuration files (\(error)); reload with SIGHUP (systemctl reload campaignwatch)")
            return nil
        }
    }

    /// The daemon with reloads coming from `triggers`; returns once the poll loop has stopped.
    public func run(triggers: AsyncStream<ReloadTrigger>, watcher: ConfigurationWatcher? = nil) async {
        let metrics = PollMetrics()
        let reportLog = PollReportLog(logger: logger)
        let metricsPath = SharedValue(initial.configuration.metrics.textfile)
        let running = SharedValue(initial.configuration)
        let metricsProblems = ProblemMemory()
        startDay(Date())

        let (commands, commandSink) = AsyncStream.makeStream(of: PollLoop.Command.self)
        var hooks = PollLoop.Hooks()
        let link = link, logger = logger
        hooks.report = { report in
            reportLog.record(report)
            metrics.record(report)
            link.addAlerts(report.alerts.count)
        }
        hooks.heartbeat = { status in
            let now = Date()
            if now >= calendar.date(byAdding: .day, value: 1, to: link.currentDay) ?? .distantFuture { startDay(now) }
            link.heartbeat(status, now: now)
        }
        hooks.reloaded = { snapshot in
            link.reloaded(problem: nil)
            logger.notice("configuration reloaded: \(snapshot.accounts.count) account(s) of \(snapshot.configuration.subjects.count) subject(s), \(snapshot.configuration.rules.count) rule(s)")
        }
        let polling = PollingService(pipeline: pipeline, snapshot: initial, commands: commands, hooks: hooks,
                                     stopGrace: options.stopGrace, heartbeatInterval: link.heartbeatInterval)

        link.ready(status: "polling \(initial.accounts.count) account(s)")
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await trigger in triggers.cancelOnGracefulShutdown() {
                    guard let accepted = reload(trigger, running: running.value, watcher: watcher) else { continue }
                    running.value = accepted.configuration
                    metricsPath.value = accepted.configuration.metrics.textfile
                    commandSink.yield(.reload(accepted))
                }
            }
            group.addTask {
                guard (try? await gracefulShutdown()) != nil else { return }
                link.stopping()
            }
            group.addTask {
                while (try? await Task.sleep(for: .seconds(options.metricsInterval))) != nil, !Task.isShuttingDownGracefully {
                    writeMetrics(metrics, to: metricsPath.value, problems: metricsProblems)
                }
            }
            do {
                try await polling.run()
            } catch {
                logger.error("the poll loop failed: \(error)")
            }
            commandSink.finish()
            group.cancelAll()
        }
        writeMetrics(metrics, to: metricsPath.value, problems: metricsProblems)
    }

    /// Loads and checks the configuration again; the snapshot to swap in, or nil (logged, and
    /// systemd told) when the new configuration is invalid and the running one stays.
    private func reload(_ trigger: ReloadTrigger, running: Configuration, watcher: ConfigurationWatcher?) -> PipelineSnapshot? {
        link.reloading("\(trigger)")
        logger.notice("reloading the configuration (\(trigger))")
        let result = load(options.configPath)
        // Watched also when invalid, so that saving the fix is noticed.
        if let watcher {
            for failure in watcher.watch(files: result.files, directories: result.includeDirectories) {
                logger.warning("cannot watch a configuration directory: \(failure)")
            }
        }
        for warning in result.warnings { logger.warning("\(warning.description)") }
        var errors = result.errors.map(\.description)
        var snapshot: PipelineSnapshot?
        if let configuration = result.configuration, errors.isEmpty {
            let (kept, changed) = RestartOnlySettings.keep(running: running, in: configuration)
            for name in changed {
                logger.warning("\(name) changed in the configuration: it takes effect after a restart (systemctl restart campaignwatch)")
            }
            do {
                snapshot = try PipelineSnapshot(configuration: kept)
            } catch {
                errors = error.errors.map { "\($0)" }
            }
        }
        guard let snapshot else {
            for error in errors { logger.error("\(error)") }
            let count = max(1, errors.count)
            logger.error("configuration reload rejected: \(count) error(s) in \(options.configPath) or its includes; still running on the last good configuration")
            link.reloaded(problem: "configuration reload rejected (\(count) error(s)), running on the last good one")
            return nil
        }
        levelControl?.level = StderrLogHandler.level(snapshot.configuration.log.level)
        return snapshot
    }

    private func startDay(_ now: Date) {
        let day = calendar.startOfDay(for: now)
        do {
            link.resetAlertsToday(try pipeline.store.alertCount(since: day), day: day)
        } catch {
            link.resetAlertsToday(0, day: day)
            logger.warning("cannot count today's alerts: \(error)")
        }
    }

    private func writeMetrics(_ metrics: PollMetrics, to path: String?, problems: ProblemMemory) {
        guard let path else { return }
        let now = Date()
        var store: StoreStatus?
        var problem: String?
        do {
            store = try pipeline.store.status(since: calendar.startOfDay(for: now))
        } catch {
            problem = "metrics: cannot read the state database: \(error)"
        }
        let file = MetricsTextfile(counters: metrics.current, store: store, loop: link.loopStatus,
                                   spoolBacklog: try? pipeline.spooler.spool.backlog(), reloadFailed: link.reloadFailed, now: now)
        do {
            try MetricsTextfile.write(file.render(), to: path)
        } catch {
            problem = "cannot write the metrics file: \(error)"
        }
        switch problems.change(to: problem) {
        case .began(let text): logger.warning("\(text)")
        case .ended: logger.notice("metrics file written again: \(path)")
        case nil: break
        }
    }
}

/// Remembers the last problem of a recurring task, so that it is logged when it starts and when
/// it ends, not every time.
final class ProblemMemory: Sendable {
    enum Change { case began(String), ended }
    private let last = Mutex<String?>(nil)

    func change(to problem: String?) -> Change? {
        last.withLock { last in
            defer { last = problem }
            if let problem { return problem == last ? nil : .began(problem) }
            return last == nil ? nil : .ended
        }
    }
}

/// A value shared between the daemon's tasks.
final class SharedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) { storage = Mutex(value) }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}

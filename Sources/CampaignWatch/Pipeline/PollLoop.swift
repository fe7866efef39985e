import CampaignWatchCore
import Foundation
import Logging

/// The loop that polls: asks the scheduler what is due, runs those polls concurrently, feeds
/// each result back, sleeps until the next due time, and takes reloads and the stop request
/// between two steps. `run` drives the daemon; `runRound` is `poll --once`.
public struct PollLoop: Sendable {
    public enum Command: Sendable {
        /// A new configuration: polls in flight finish under the old one.
        case reload(PipelineSnapshot)
        /// Start nothing new; return once the polls in flight have ended.
        case stop
    }

    /// What the loop tells its owner, from the loop itself (so a hung loop stops the heartbeats).
    public struct Hooks: Sendable {
        public var report: @Sendable (AccountPollReport) -> Void = { _ in }
        /// Called at least every `heartbeatInterval` while the loop is alive.
        public var heartbeat: @Sendable (PollLoopStatus) -> Void = { _ in }
        public var reloaded: @Sendable (PipelineSnapshot) -> Void = { _ in }
        public init() {}
    }

    let poller: AccountPoller
    let store: StateStore
    let spooler: AlertSpooler
    let logger: Logger
    let clock: @Sendable () -> Date
    let policy: SchedulerPolicy
    let seed: UInt64
    public var heartbeatInterval: TimeInterval = 1
    /// How often alerts left pending by a spool failure are tried again.
    public var spoolRetryInterval: TimeInterval = 30

    public init(poller: AccountPoller, store: StateStore, spooler: AlertSpooler, logger: Logger,
                policy: SchedulerPolicy = SchedulerPolicy(), seed: UInt64 = UInt64.random(in: 1...UInt64.max),
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.poller = poller
        self.store = store
        self.spooler = spooler
        self.logger = logger
        self.policy = policy
        self.seed = seed
        self.clock = clock
    }

    private enum Event: Sendable {
        case completed(PollTicket, AccountPollReport)
        case command(Command)
        case tick
    }

    /// The daemon: polls until `.stop` arrives and the polls in flight have ended.
    public func run(_ snapshot: PipelineSnapshot, commands: AsyncStream<Command>, hooks: Hooks) async {
        _ = await loop(snapshot, only: nil, commands: commands, hooks: hooks)
    }

    /// One round: every account (or those of `subjects`) polled once. Returns the reports.
    public func runRound(_ snapshot: PipelineSnapshot, subjects: Set<String>? = nil, hooks: Hooks) async -> [AccountPollReport] {
        let (commands, continuation) = AsyncStream.makeStream(of: Command.self)
        defer { continuation.finish() }
        let keys = Set(snapshot.accounts.values.filter { subjects?.contains($0.subject.id) ?? true }.map(\.account.key))
        return await loop(snapshot, only: keys, commands: commands, hooks: hooks)
    }

    private func loop(_ initial: PipelineSnapshot, only round: Set<String>?, commands: AsyncStream<Command>,
                      hooks: Hooks) async -> [AccountPollReport] {
        var snapshot = initial
        var scheduler = PollScheduler(policy: policy, random: SeededRandom(seed: seed))
        var reports: [AccountPollReport] = []
        var remaining = round ?? []
        var inFlight = 0
        var stopping = false
        var timerArmedFor = Date.distantFuture
        var nextSpoolRetry = Date.distantPast
        var nextHeartbeat = Date.distantPast
        var unsavedSchedules = Set<String>()

        func configure(_ snapshot: PipelineSnapshot, now: Date) {
            let subjects = snapshot.configuration.subjects.compactMap { subject -> Subject? in
                guard let round else { return subject }
                var kept = subject
                kept.accounts = subject.accounts.filter { round.contains($0.key) }
                return kept.accounts.isEmpty ? nil : kept
            }
            scheduler.update(subjects: subjects, elections: snapshot.configuration.elections,
                             settings: snapshot.configuration.poll, now: now)
            do {
                try store.syncAccounts(snapshot.accountList, now: now)
            } catch {
                logger.error("cannot record the configured accounts: \(error)")
            }
        }

        let start = clock()
        configure(snapshot, now: start)
        if round == nil { restoreSchedule(into: &scheduler, now: start) }
        if remaining.isEmpty && round != nil { return [] }

        let (events, continuation) = AsyncStream.makeStream(of: Event.self)
        await withDiscardingTaskGroup { group in
            group.addTask {
                for await command in commands { continuation.yield(.command(command)) }
            }
            continuation.yield(.tick)
            for await event in events {
                let now = clock()
                switch event {
                case .completed(let ticket, let report):
                    inFlight -= 1
                    scheduler.completed(ticket, result: report.pollResult, now: now)
                    if round != nil, report.outcome != .cancelled, remaining.remove(report.key) != nil {
                        reports.append(report)
                    }
                    hooks.report(report)
                    unsavedSchedules.insert(report.key)
                case .command(.reload(let next)):
                    snapshot = next
                    configure(next, now: now)
                    hooks.reloaded(next)
                case .command(.stop):
                    stopping = true
                case .tick:
                    timerArmedFor = .distantFuture
                }

                if round != nil && remaining.isEmpty && inFlight == 0 { break }
                if stopping {
                    if inFlight == 0 { break }
                } else {
                    for poll in scheduler.nextActions(now: now) {
                        guard let watched = snapshot.accounts[poll.key] else {
                            scheduler.completed(poll.ticket, result: .notModified, now: now)
                            continue
                        }
                        if round != nil && !remaining.contains(poll.key) {
                            // Polled in this round already: not again.
                            scheduler.completed(poll.ticket, result: .success(newPosts: 0), now: now)
                            continue
                        }
                        inFlight += 1
                        let current = snapshot
                        group.addTask {
                            let report = await poller.poll(watched, snapshot: current)
                            continuation.yield(.completed(poll.ticket, report))
                        }
                    }
                    if now >= nextSpoolRetry {
                        nextSpoolRetry = now + spoolRetryInterval
                        flushPending()
                    }
                }
                if now >= nextHeartbeat {
                    nextHeartbeat = now + heartbeatInterval
                    saveSchedules(unsavedSchedules, scheduler)
                    unsavedSchedules.removeAll(keepingCapacity: true)
                    hooks.heartbeat(PollLoopStatus(scheduler: scheduler, inFlight: inFlight, now: now))
                }

                var wake = now + heartbeatInterval
                if let due = scheduler.nextWakeup(), due < wake { wake = max(due, now + 0.001) }
                if wake < timerArmedFor {
                    timerArmedFor = wake
                    group.addTask {
                        try? await Task.sleep(for: .seconds(max(0, wake.timeIntervalSince(clock()))))
                        continuation.yield(.tick)
                    }
                }
            }
            continuation.finish()
            group.cancelAll()
        }
        saveSchedules(unsavedSchedules, scheduler)
        flushPending()
        return reports
    }

    /// Writes alerts left pending (a spool that was full or unwritable) and says so when it works.
    private func flushPending() {
        do {
            let result = try spooler.flushPending(store, now: clock)
            let recovered = result.written.count + result.alreadyPresent.count
            if recovered > 0 { logger.notice("spooled \(recovered) alert(s) that were pending") }
            if let error = result.error {
                logger.error("\(result.stillPending) alert(s) stay pending, the spool refuses them: \(error)")
            }
        } catch {
            logger.error("cannot read pending alerts: \(error)")
        }
    }

    private func restoreSchedule(into scheduler: inout PollScheduler, now: Date) {
        guard let memories = try? store.scheduleMemories() else { return }
        scheduler.restore(memories, now: now)
    }

    /// Persists the schedule of the accounts polled since the last save, in one transaction.
    private func saveSchedules(_ keys: Set<String>, _ scheduler: PollScheduler) {
        guard !keys.isEmpty else { return }
        let memories = keys.compactMap { key in scheduler.memory(of: key).map { (key, $0) } }
        do {
            try store.saveScheduleMemories(memories)
        } catch {
            logger.warning("cannot save the schedule: \(error)")
        }
    }
}

/// The loop's live counts, for systemd's STATUS= line and the metrics.
public struct PollLoopStatus: Sendable {
    public var accounts: Int
    public var due: Int
    public var failing: Int
    public var inFlight: Int

    init(scheduler: PollScheduler, inFlight: Int, now: Date) {
        accounts = scheduler.accountCount
        due = scheduler.dueCount(now: now)
        failing = scheduler.failingCount
        self.inFlight = inFlight
    }
}

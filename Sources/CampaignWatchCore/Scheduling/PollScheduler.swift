import Foundation

/// Identifies one started poll; `completed` takes it back. Survives reloads: an account removed
/// or moved to another host while polled still releases the right host's slot.
public struct PollTicket: Sendable, Hashable, CustomStringConvertible {
    public let rawValue: UInt64
    public var description: String { "#\(rawValue)" }
}

/// The scheduler's one action: poll this account now.
public struct PollStart: Sendable, Hashable {
    public var ticket: PollTicket
    public var key: String
    public var url: String
}

/// When to poll which account: a value-type state machine. Every method takes `now` and touches
/// nothing else; the shell asks `nextActions`, runs the polls, reports each with `completed`, and
/// sleeps until `nextWakeup()` or the next completion. docs/polling.md explains the policy.
///
/// Costs: due times live in a heap (O(log n) per poll), due accounts queue per host, and
/// starting looks only at hosts that have a backlog, so 10,000+ accounts cost nothing per tick.
public struct PollScheduler: Sendable {
    enum Phase: Sendable, Hashable {
        case scheduled, waiting, vacant
        case polling(PollTicket)
    }

    struct Record: Sendable {
        var target: PollTarget
        var hostIndex: Int
        var phase: Phase
        var generation: UInt32
        var nextPoll: Double
        var interval: Double
        var boosted = false
        var rate: PostRateEstimator
        var consecutiveFailures = 0
        var lastError: PollFailure?
        var lastErrorAt: Double?
        var lastStarted: Double?
        var lastCompleted: Double?
        var lastSuccess: Double?
        var retryAfterUntil: Double?
    }

    struct Host: Sendable {
        var name: String
        var inFlight = 0
        var lastStart = -Double.infinity
        var waiting = WaitQueue()
        /// Σ 1/interval over the host's accounts: polls per second it needs on average.
        var steadyRate = 0.0
    }

    struct Flight: Sendable {
        var slot: Int32
        var hostIndex: Int
    }

    public private(set) var policy: SchedulerPolicy
    private var random: SeededRandom
    private var concurrency = PollSettings().concurrency
    private var perHost = PollSettings().perHost
    private var jitter = PollSettings().jitter
    private var elections: [Election] = []
    private var proximity = ElectionProximity(elections: [], margin: 0)
    private var records: [Record] = []
    private var vacantSlots: [Int32] = []
    private var slotByKey: [String: Int32] = [:]
    private var hosts: [Host] = []
    private var hostIndexByName: [String: Int] = [:]
    /// Hosts whose wait queue may be non-empty (cleaned lazily).
    private var backlogged: Set<Int> = []
    private var heap = DueHeap()
    private var flights: [PollTicket: Flight] = [:]
    private var nextTicket: UInt64 = 1
    /// `Retry-After` per URL (not per host): until when that URL is left alone.
    private var urlBlocks: [String: Double] = [:]

    public init(policy: SchedulerPolicy = SchedulerPolicy(), random: SeededRandom) {
        self.policy = policy
        self.random = random
    }

    public var accountCount: Int { slotByKey.count }
    public var inFlightCount: Int { flights.count }

    // MARK: - Configuration

    /// Accepts a (new) configuration: accounts that remain keep their state, new ones are due
    /// at once (subject to the limits), removed ones are dropped (a poll in flight for one is
    /// still released by its ticket).
    public mutating func update(subjects: [Subject], elections: [Election], settings: PollSettings, now: Date) {
        update(targets: PollTarget.targets(subjects: subjects, settings: settings),
               elections: elections, settings: settings, now: now)
    }

    public mutating func update(targets: [PollTarget], elections: [Election], settings: PollSettings, now: Date) {
        let t = now.timeIntervalSinceReferenceDate
        concurrency = max(1, settings.concurrency)
        perHost = max(1, settings.perHost)
        jitter = min(max(settings.jitter, 0), 1)
        let electionsChanged = elections != self.elections
        self.elections = elections
        proximity = ElectionProximity(elections: elections, margin: policy.electionMargin)

        var kept = Set<Int32>(minimumCapacity: targets.count)
        for target in targets {
            if let slot = slotByKey[target.key] {
                kept.insert(slot)
                reconfigure(slot: Int(slot), to: target, electionsChanged: electionsChanged, at: t)
            } else {
                let slot = add(target, at: t)
                kept.insert(slot)
            }
        }
        for (key, slot) in slotByKey where !kept.contains(slot) {
            slotByKey[key] = nil
            records[Int(slot)].phase = .vacant
            records[Int(slot)].generation &+= 1
            vacantSlots.append(slot)
        }
        urlBlocks = urlBlocks.filter { $0.value > t }
        recomputeSteadyRates()
    }

    /// Gives back what a previous run remembered (see `memory()`): failures, errors, rate
    /// estimate and due time. Accounts being polled and unknown keys are left alone.
    public mutating func restore(_ memories: [String: AccountScheduleMemory], now: Date) {
        let t = now.timeIntervalSinceReferenceDate
        for (key, memory) in memories {
            guard let slot = slotByKey[key].map(Int.init) else { continue }
            var record = records[slot]
            if case .polling = record.phase { continue }
            record.consecutiveFailures = max(0, memory.consecutiveFailures)
            if let message = memory.lastErrorMessage {
                let kind = memory.lastErrorKind.flatMap(PollFailure.Kind.init(rawValue:)) ?? .transport
                record.lastError = PollFailure(kind: kind, message: message)
            }
            record.lastErrorAt = memory.lastErrorAt?.timeIntervalSinceReferenceDate
            record.lastStarted = memory.lastStarted?.timeIntervalSinceReferenceDate
            record.lastCompleted = memory.lastCompleted?.timeIntervalSinceReferenceDate
            record.lastSuccess = memory.lastSuccess?.timeIntervalSinceReferenceDate
            record.retryAfterUntil = memory.retryAfterUntil?.timeIntervalSinceReferenceDate
            if let until = record.retryAfterUntil, until > t {
                urlBlocks[record.target.url] = max(urlBlocks[record.target.url] ?? 0, until)
            }
            record.rate = PostRateEstimator(posts: memory.ratePosts, time: memory.rateTime)
            records[slot] = record
            let due = max(t, memory.nextPoll?.timeIntervalSinceReferenceDate ?? t)
            schedule(slot: slot, at: due)
        }
        recomputeSteadyRates()
    }

    /// What to persist so a restart neither forgets failures nor polls everything at once.
    public func memory() -> [String: AccountScheduleMemory] {
        var result: [String: AccountScheduleMemory] = [:]
        result.reserveCapacity(slotByKey.count)
        for (key, slot) in slotByKey { result[key] = memory(of: records[Int(slot)]) }
        return result
    }

    /// One account's memory, to persist it as soon as its poll ends.
    public func memory(of key: String) -> AccountScheduleMemory? {
        slotByKey[key].map { memory(of: records[Int($0)]) }
    }

    private func memory(of record: Record) -> AccountScheduleMemory {
        let due: Double? = if case .polling = record.phase { nil } else { record.nextPoll }
        return AccountScheduleMemory(
            nextPoll: due.map(Date.init(timeIntervalSinceReferenceDate:)),
            consecutiveFailures: record.consecutiveFailures,
            lastErrorKind: record.lastError?.kind.rawValue, lastErrorMessage: record.lastError?.message,
            lastErrorAt: date(record.lastErrorAt), lastStarted: date(record.lastStarted),
            lastCompleted: date(record.lastCompleted), lastSuccess: date(record.lastSuccess),
            retryAfterUntil: date(record.retryAfterUntil),
            ratePosts: record.rate.posts, rateTime: record.rate.time)
    }

    /// Accounts whose last poll failed.
    public var failingCount: Int {
        slotByKey.values.reduce(0) { $0 + (records[Int($1)].consecutiveFailures > 0 ? 1 : 0) }
    }

    /// Accounts due now: waiting for a free slot, or scheduled at or before `now`.
    public func dueCount(now: Date) -> Int {
        let t = now.timeIntervalSinceReferenceDate
        return slotByKey.values.reduce(0) { count, slot in
            let record = records[Int(slot)]
            switch record.phase {
            case .waiting: return count + 1
            case .scheduled: return count + (record.nextPoll <= t ? 1 : 0)
            default: return count
            }
        }
    }

    // MARK: - Running

    /// The polls to start now, oldest due first, within `concurrency`, `per_host` and the
    /// host spacing. Each must be answered with `completed(_:result:now:)`.
    public mutating func nextActions(now: Date) -> [PollStart] {
        let t = now.timeIntervalSinceReferenceDate
        while let top = heap.top, top.time <= t {
            _ = heap.pop()
            let slot = Int(top.slot)
            guard records[slot].generation == top.generation, records[slot].phase == .scheduled else { continue }
            if let until = urlBlocks[records[slot].target.url] {
                if until > t {
                    schedule(slot: slot, at: until)
                    continue
                }
                urlBlocks[records[slot].target.url] = nil
            }
            records[slot].phase = .waiting
            let hostIndex = records[slot].hostIndex
            hosts[hostIndex].waiting.append(.init(due: top.time, slot: top.slot, generation: top.generation))
            backlogged.insert(hostIndex)
        }

        var starts: [PollStart] = []
        var candidates: [(due: Double, host: Int)] = []
        while flights.count < concurrency {
            candidates.removeAll(keepingCapacity: true)
            var drained: [Int] = []
            for hostIndex in backlogged {
                guard let head = liveHead(of: hostIndex) else {
                    drained.append(hostIndex)
                    continue
                }
                let host = hosts[hostIndex]
                if host.inFlight < perHost, host.lastStart + gap(for: host) <= t {
                    candidates.append((head.due, hostIndex))
                }
            }
            for hostIndex in drained { backlogged.remove(hostIndex) }
            if candidates.isEmpty { break }
            candidates.sort { $0.due < $1.due || ($0.due == $1.due && $0.host < $1.host) }
            for candidate in candidates {
                guard flights.count < concurrency else { break }
                starts.append(start(hostIndex: candidate.host, at: t))
            }
        }
        return starts
    }

    /// Reports how a started poll ended and schedules the account's next one. Unknown or
    /// already-answered tickets are ignored.
    public mutating func completed(_ ticket: PollTicket, result: PollResult, now: Date) {
        let t = now.timeIntervalSinceReferenceDate
        guard let flight = flights.removeValue(forKey: ticket) else { return }
        hosts[flight.hostIndex].inFlight -= 1
        let slot = Int(flight.slot)
        guard records[slot].phase == .polling(ticket) else { return }  // removed while polled

        var record = records[slot]
        let cadence = record.target.cadence
        var due: Double
        switch result {
        case .success, .notModified:
            let newPosts = if case .success(let count) = result { count } else { 0 }
            if let previous = record.lastSuccess {
                record.rate.observe(newPosts: newPosts, elapsed: t - previous, halfLife: policy.rateHalfLife)
            }
            record.lastSuccess = t
            record.consecutiveFailures = 0
            record.retryAfterUntil = nil
            records[slot] = record
            due = regularDue(slot: slot, after: t)
            record = records[slot]
        case .failure(let failure):
            record.consecutiveFailures += 1
            record.lastError = failure
            record.lastErrorAt = t
            let exponent = Double(min(record.consecutiveFailures - 1, 60))
            let delay = min(cadence.maxInterval, cadence.minInterval * exp2(exponent))
            records[slot] = record
            setInterval(slot: slot, delay, boosted: proximity.isNear(electionIDs: record.target.electionIDs, at: t))
            record = records[slot]
            due = t + jittered(delay, cadence)
            if let retryAfter = failure.retryAfter {
                let until = min(retryAfter.instant(after: now).timeIntervalSinceReferenceDate, t + cadence.maxInterval)
                due = max(due, until)
                record.retryAfterUntil = until
                urlBlocks[record.target.url] = max(urlBlocks[record.target.url] ?? 0, until)
            }
        case .cancelled:
            due = t
        }
        record.lastCompleted = t
        records[slot] = record
        schedule(slot: slot, at: due)
    }

    /// When `nextActions` could next return something, unless a completion frees room sooner.
    /// Nil when nothing is scheduled.
    public func nextWakeup() -> Date? {
        var best = heap.top?.time ?? .infinity
        if flights.count < concurrency {
            for hostIndex in backlogged {
                let host = hosts[hostIndex]
                guard host.inFlight < perHost, let head = host.waiting.first else { continue }
                best = min(best, max(head.due, host.lastStart + gap(for: host)))
            }
        }
        return best.isFinite ? Date(timeIntervalSinceReferenceDate: best) : nil
    }

    // MARK: - Status

    public func snapshot() -> [AccountScheduleStatus] {
        slotByKey.values.map { status(of: records[Int($0)]) }.sorted { $0.key < $1.key }
    }

    public func status(of key: String) -> AccountScheduleStatus? {
        slotByKey[key].map { status(of: records[Int($0)]) }
    }

    private func status(of record: Record) -> AccountScheduleStatus {
        let state: AccountScheduleStatus.State
        switch record.phase {
        case .scheduled, .vacant: state = .scheduled
        case .waiting: state = .waiting
        case .polling: state = .polling
        }
        return AccountScheduleStatus(
            key: record.target.key, url: record.target.url, host: record.target.host, state: state,
            nextPoll: state == .polling ? nil : Date(timeIntervalSinceReferenceDate: record.nextPoll),
            interval: record.interval, nearProhibitedPeriod: record.boosted,
            consecutiveFailures: record.consecutiveFailures, lastError: record.lastError,
            lastErrorAt: date(record.lastErrorAt), lastStarted: date(record.lastStarted),
            lastCompleted: date(record.lastCompleted), lastSuccess: date(record.lastSuccess),
            retryAfterUntil: date(record.retryAfterUntil), postsPerDay: record.rate.rate * 86_400)
    }

    // MARK: - Internals

    private mutating func add(_ target: PollTarget, at t: Double) -> Int32 {
        let hostIndex = hostIndex(for: target.host)
        let boosted = proximity.isNear(electionIDs: target.electionIDs, at: t)
        let record = Record(
            target: target, hostIndex: hostIndex, phase: .scheduled, generation: 0, nextPoll: t,
            interval: boosted ? target.cadence.minInterval : target.cadence.interval, boosted: boosted,
            rate: PostRateEstimator(priorInterval: target.cadence.interval))
        let slot: Int32
        if let reused = vacantSlots.popLast() {
            slot = reused
            var fresh = record
            fresh.generation = records[Int(reused)].generation &+ 1
            records[Int(reused)] = fresh
        } else {
            slot = Int32(records.count)
            records.append(record)
        }
        slotByKey[target.key] = slot
        heap.push(.init(time: t, slot: slot, generation: records[Int(slot)].generation))
        return slot
    }

    private mutating func reconfigure(slot: Int, to target: PollTarget, electionsChanged: Bool, at t: Double) {
        let old = records[slot].target
        guard old != target || electionsChanged else { return }
        records[slot].target = target
        if old.cadence.interval != target.cadence.interval {
            // The operator's expectation changed: learning restarts from the new default.
            records[slot].rate = PostRateEstimator(priorInterval: target.cadence.interval)
        }
        if old.url != target.url {
            // A new URL is usually the operator's fix for a failing account: try it at once.
            records[slot].consecutiveFailures = 0
            records[slot].retryAfterUntil = nil
            records[slot].hostIndex = hostIndex(for: target.host)
            if case .polling = records[slot].phase { return }
            schedule(slot: slot, at: t)
            return
        }
        guard records[slot].phase == .scheduled, records[slot].consecutiveFailures == 0 else { return }
        // Cadence or elections changed: poll sooner if the new settings ask for it (never later
        // than already planned, so an unchanged account keeps its jittered time).
        let boosted = proximity.isNear(electionIDs: target.electionIDs, at: t)
        let base = boosted
            ? target.cadence.minInterval
            : records[slot].rate.interval(for: target.cadence, strength: policy.adaptationStrength)
        var latest = (records[slot].lastCompleted ?? t) + min(target.cadence.maxInterval, base * (1 + jitter))
        if !boosted, let opening = proximity.nextStart(electionIDs: target.electionIDs, after: t) {
            latest = min(latest, opening)
        }
        setInterval(slot: slot, base, boosted: boosted)
        if records[slot].nextPoll > latest {
            schedule(slot: slot, at: max(t, latest))
        }
    }

    private mutating func regularDue(slot: Int, after t: Double) -> Double {
        let target = records[slot].target
        let boosted = proximity.isNear(electionIDs: target.electionIDs, at: t)
        let base = boosted
            ? target.cadence.minInterval
            : records[slot].rate.interval(for: target.cadence, strength: policy.adaptationStrength)
        setInterval(slot: slot, base, boosted: boosted)
        var due = t + jittered(base, target.cadence)
        if !boosted, let opening = proximity.nextStart(electionIDs: target.electionIDs, after: t), opening < due {
            // Be at min_interval from the moment the day before a prohibited period begins.
            due = min(due, opening + random.uniform(0, target.cadence.minInterval * jitter))
        }
        return due
    }

    /// A uniform draw from `base ± jitter`, cut to the cadence's bounds (drawing inside the
    /// bounds instead of clamping afterwards keeps accounts at a bound from polling in lockstep).
    private mutating func jittered(_ base: Double, _ cadence: PollCadence) -> Double {
        let low = max(cadence.minInterval, base * (1 - jitter))
        let high = min(cadence.maxInterval, base * (1 + jitter))
        guard high > low else { return min(max(base, cadence.minInterval), cadence.maxInterval) }
        return random.uniform(low, high)
    }

    private mutating func setInterval(slot: Int, _ interval: Double, boosted: Bool) {
        let record = records[slot]
        if record.phase != .vacant, interval != record.interval {
            hosts[record.hostIndex].steadyRate += 1 / interval - 1 / record.interval
        }
        records[slot].interval = interval
        records[slot].boosted = boosted
    }

    private mutating func schedule(slot: Int, at time: Double) {
        records[slot].generation &+= 1
        records[slot].phase = .scheduled
        records[slot].nextPoll = time
        heap.push(.init(time: time, slot: Int32(slot), generation: records[slot].generation))
    }

    private mutating func start(hostIndex: Int, at t: Double) -> PollStart {
        let head = hosts[hostIndex].waiting.first!
        hosts[hostIndex].waiting.removeFirst()
        let slot = Int(head.slot)
        let ticket = PollTicket(rawValue: nextTicket)
        nextTicket += 1
        records[slot].phase = .polling(ticket)
        records[slot].lastStarted = t
        hosts[hostIndex].inFlight += 1
        hosts[hostIndex].lastStart = t
        flights[ticket] = Flight(slot: head.slot, hostIndex: hostIndex)
        return PollStart(ticket: ticket, key: records[slot].target.key, url: records[slot].target.url)
    }

    /// The first wait-queue entry that still stands for a waiting account, dropping stale ones.
    private mutating func liveHead(of hostIndex: Int) -> WaitQueue.Entry? {
        while let head = hosts[hostIndex].waiting.first {
            let record = records[Int(head.slot)]
            if record.generation == head.generation, record.phase == .waiting, record.hostIndex == hostIndex {
                return head
            }
            hosts[hostIndex].waiting.removeFirst()
        }
        return nil
    }

    private func gap(for host: Host) -> Double {
        switch policy.hostSpacing {
        case .none: 0
        case .fixed(let gap): gap
        case .adaptive(let headroom, let maxGap):
            host.steadyRate > 0 ? min(maxGap, 1 / (headroom * host.steadyRate)) : maxGap
        }
    }

    private mutating func hostIndex(for name: String) -> Int {
        if let index = hostIndexByName[name] { return index }
        hosts.append(Host(name: name))
        hostIndexByName[name] = hosts.count - 1
        return hosts.count - 1
    }

    private mutating func recomputeSteadyRates() {
        for index in hosts.indices { hosts[index].steadyRate = 0 }
        for slot in slotByKey.values {
            let record = records[Int(slot)]
            hosts[record.hostIndex].steadyRate += 1 / record.interval
        }
    }

    private func date(_ seconds: Double?) -> Date? {
        seconds.map(Date.init(timeIntervalSinceReferenceDate:))
    }
}

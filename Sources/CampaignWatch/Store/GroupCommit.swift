import GRDB
import Synchronization

/// Writes the polls that finish while the writer is busy in one transaction (group commit).
///
/// Each poll is still all-or-nothing: it runs in a savepoint of its own, so one that fails is
/// rolled back alone and its caller gets the error while the others commit. A caller is
/// answered only once the transaction holding its poll has committed, so an alert is spooled
/// only after it is recorded. Polls of one transaction share the pages they touch in common (the
/// chain's tail, index pages above the leaves), written to the WAL once instead of once per
/// poll, and the commit and checkpoint work is paid once per batch.
final class GroupCommit: Sendable {
    typealias Outcome = Result<PollRecordResult, StoreError>

    private struct Waiting: Sendable {
        var poll: PreparedPoll
        var continuation: CheckedContinuation<Outcome, Never>
    }

    private struct Queue {
        var waiting: [Waiting] = []
        /// A batch is queued on the writer or being written.
        var scheduled = false
    }

    /// Polls per transaction at most, so that no caller waits behind a long batch.
    static let maximumBatch = 32

    private let pool: DatabasePool
    private let path: String
    private let queue = Mutex(Queue())

    init(pool: DatabasePool, path: String) {
        self.pool = pool
        self.path = path
    }

    /// Polls waiting for their batch (for tests).
    var waitingCount: Int { queue.withLock { $0.waiting.count } }

    func record(_ poll: PreparedPoll) async -> Outcome {
        await withCheckedContinuation { continuation in
            let schedule = queue.withLock { queue in
                queue.waiting.append(Waiting(poll: poll, continuation: continuation))
                guard !queue.scheduled else { return false }
                queue.scheduled = true
                return true
            }
            if schedule { scheduleBatch() }
        }
    }

    /// One batch per turn on the writer's queue: other writes (an alert marked spooled, the
    /// schedule saved) get their turn between two batches.
    private func scheduleBatch() {
        pool.asyncWriteWithoutTransaction { [self] db in
            let batch = queue.withLock { queue in
                let batch = Array(queue.waiting.prefix(Self.maximumBatch))
                queue.waiting.removeFirst(batch.count)
                return batch
            }
            let outcomes = write(batch.map(\.poll), in: db)
            let more = queue.withLock { queue in
                queue.scheduled = !queue.waiting.isEmpty
                return queue.scheduled
            }
            if more { scheduleBatch() }
            for (waiting, outcome) in zip(batch, outcomes) { waiting.continuation.resume(returning: outcome) }
        }
    }

    private func write(_ polls: [PreparedPoll], in db: Database) -> [Outcome] {
        var outcomes: [Outcome] = []
        outcomes.reserveCapacity(polls.count)
        do {
            try db.inTransaction(.immediate) {
                for poll in polls {
                    var result: PollRecordResult?
                    do {
                        try db.inSavepoint {
                            result = try StateStore.record(poll, in: db)
                            return .commit
                        }
                        outcomes.append(.success(result!))
                    } catch {
                        outcomes.append(.failure(StoreError.wrap(error, path: path)))
                    }
                }
                return .commit
            }
        } catch {
            // Not committed: nothing of the batch is recorded.
            let failure = StoreError.wrap(error, path: path)
            return polls.map { _ in .failure(failure) }
        }
        return outcomes
    }
}

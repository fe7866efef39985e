import CampaignWatchCore
import Foundation
import Logging

/// What one poll of one account did, for the scheduler, logs, progress lines and summaries.
public struct AccountPollReport: Sendable {
    public enum Outcome: Sendable, Hashable {
        case fetched
        case notModified
        case failed(PollFailure)
        /// Abandoned (shutdown): nothing was recorded; the account is polled again later.
        case cancelled
    }

    public var key: String
    public var subjectID: String
    public var url: String
    public var outcome: Outcome
    public var status: Int?
    public var postsListed = 0
    public var newPosts = 0
    public var changedPosts = 0
    /// Alerts recorded by this poll.
    public var alerts: [String] = []
    /// Of those, written to the spool now (the rest stay pending for the next flush).
    public var spooled: [String] = []
    public var spoolError: String?
    public var pages = 0
    public var bytes = 0
    public var seconds = 0.0
    public var permanentRedirect: String?
    public var notes: [String] = []

    /// What the scheduler is told.
    public var pollResult: PollResult {
        switch outcome {
        case .fetched: .success(newPosts: newPosts)
        case .notModified: .notModified
        case .failed(let failure): .failure(failure)
        case .cancelled: .cancelled
        }
    }
}

/// Polls one account once: reads its source, tells new and changed posts from known ones,
/// matches and judges those, records everything in one transaction, then spools the alerts.
public struct AccountPoller: Sendable {
    let store: StateStore
    let reader: SourceReader
    let spooler: AlertSpooler
    let logger: Logger
    let clock: @Sendable () -> Date

    public init(store: StateStore, fetcher: HTTPFetcher, spooler: AlertSpooler, logger: Logger,
                catchUp: CatchUpPolicy = CatchUpPolicy(), keepRaw: Bool = true,
                clock: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        reader = SourceReader(fetcher: fetcher, catchUpPolicy: catchUp, platformOptions: PlatformOptions(keepRaw: keepRaw))
        self.spooler = spooler
        self.logger = logger
        self.clock = clock
    }

    public func poll(_ watched: PipelineSnapshot.WatchedAccount, snapshot: PipelineSnapshot) async -> AccountPollReport {
        let account = watched.account, subject = watched.subject
        var report = AccountPollReport(key: account.key, subjectID: subject.id, url: account.url,
                                       outcome: .failed(PollFailure(kind: .transport, message: "not polled")))
        let stored: AccountRecord?
        let knownThrough: Date?
        do {
            stored = try store.account(key: account.key)
            knownThrough = try store.newestPostTime(accountKey: account.key)
        } catch {
            report.outcome = .failed(PollFailure(kind: .transport, message: "\(error)"))
            return report
        }
        let started = clock()
        let read = await reader.read(
            account: account, validators: HTTPValidators(etag: stored?.etag, lastModified: stored?.lastModified),
            state: PlatformState.decode(stored?.platformState), knownThrough: knownThrough,
            isFirstPoll: stored?.lastSuccessAt == nil, now: started,
            known: { ids in (try? Set(store.knownPosts(accountKey: account.key, ids: ids).keys)) ?? [] })
        let now = clock()
        report.status = read.status
        report.pages = read.pages
        report.bytes = read.bytes
        report.seconds = now.timeIntervalSince(started)
        report.permanentRedirect = read.permanentRedirect
        report.notes = read.notes

        var record = PollRecord(accountKey: account.key, at: now, outcome: .notModified(status: read.status ?? 304),
                                platformState: read.platformState.encoded)
        switch read.result {
        case .cancelled:
            report.outcome = .cancelled
            return report
        case .notModified:
            report.outcome = .notModified
        case .failed(let failure):
            report.outcome = .failed(failure)
            record.outcome = .failed(status: read.status, message: failure.message)
        case .posts(let posts):
            report.outcome = .fetched
            record.outcome = .fetched(status: read.status ?? 200, etag: read.validators.etag,
                                      lastModified: read.validators.lastModified, redirectedTo: read.permanentRedirect)
            do {
                try judge(posts, account: account, subject: subject, snapshot: snapshot, now: now,
                          into: &record, report: &report)
            } catch {
                report.outcome = .failed(PollFailure(kind: .transport, message: "\(error)"))
                return report
            }
        }

        do {
            let result = try await store.record(record)
            report.newPosts = result.newPosts
            report.changedPosts = result.changedPosts
            report.alerts = result.newAlerts
        } catch {
            logger.error("cannot record a poll: \(error)", metadata: ["account": "\(account.key)"])
            report.outcome = .failed(PollFailure(kind: .transport, message: "\(error)"))
            return report
        }
        spool(record.alerts.filter { report.alerts.contains($0.id) }, into: &report)
        return report
    }

    /// Matches and judges the new and changed posts; every post listed goes into the record.
    private func judge(_ listed: [Post], account: Account, subject: Subject, snapshot: PipelineSnapshot, now: Date,
                       into record: inout PollRecord, report: inout AccountPollReport) throws(StoreError) {
        var seen = Set<String>()
        let posts = listed.filter { seen.insert($0.id).inserted }
        report.postsListed = posts.count
        let known = try store.knownPosts(accountKey: account.key, ids: posts.map(\.id))
        let matcher = snapshot.rules.makeMatcher()
        let names = snapshot.names(of: subject)
        for post in posts {
            let hash = PostContentHash.sha256(of: post)
            record.posts.append(PostObservation(post: post, subjectID: subject.id, contentSHA256: hash))
            let event: PostEvent
            let firstSeen: Date
            if let previous = known[post.id] {
                guard previous.contentSHA256 != hash else { continue }
                event = .changed(previous: Alert.PreviousVersion(text: previous.text, contentSHA256: previous.contentSHA256,
                                                                 observedAt: previous.versionSeenAt),
                                 priorAlerts: try store.priorAlerts(accountKey: account.key, postID: post.id))
                firstSeen = previous.firstSeenAt
            } else {
                event = .new
                firstSeen = now
            }
            let matches = matcher.match(text: post.text, title: post.title, names: names)
            let input = JudgeInput(post: post, account: account, subject: subject, firstSeenAt: firstSeen, versionSeenAt: now,
                                   matches: matches, event: event, contentSHA256: hash)
            for alert in Judge.alerts(for: input, configuration: snapshot.configuration, now: now) {
                record.alerts.append(AlertRow(alert: alert, accountKey: account.key))
            }
        }
    }

    private func spool(_ alerts: [AlertRow], into report: inout AccountPollReport) {
        for row in alerts {
            do {
                let alert = try Alert(json: row.document)
                _ = try spooler.deliver(alert)
                try store.markSpooled(row.id, at: clock())
                report.spooled.append(row.id)
            } catch {
                // Stays pending in the store; the next flush writes it.
                report.spoolError = report.spoolError ?? "\(error)"
            }
        }
    }
}

extension AlertRow {
    public init(alert: Alert, accountKey: String) {
        self.init(id: alert.id, kind: alert.kind.rawValue, electionID: alert.election.id, periodKind: alert.period.kind.rawValue,
                  subjectID: alert.subject.id, accountKey: accountKey, postID: alert.post.id, createdAt: alert.createdAt,
                  document: alert.jsonBytes())
    }
}

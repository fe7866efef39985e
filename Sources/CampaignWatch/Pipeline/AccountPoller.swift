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
    /// Posts whose absence this poll confirmed.
    public var deletedPosts = 0
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
    let archive: EvidenceArchive
    let keepRaw: Bool
    /// Timestamps the chain head now and then, when `evidence.tsa_url` is set.
    let timestamper: ChainTimestamper?

    public init(store: StateStore, fetcher: HTTPFetcher, spooler: AlertSpooler, logger: Logger,
                catchUp: CatchUpPolicy = CatchUpPolicy(), keepRaw: Bool = true, timestamper: ChainTimestamper? = nil,
                archive: EvidenceArchive? = nil, clock: @escaping @Sendable () -> Date = Date.init) {
        self.timestamper = timestamper
        self.store = store
        reader = SourceReader(fetcher: fetcher, catchUpPolicy: catchUp, platformOptions: PlatformOptions(keepRaw: keepRaw))
        self.spooler = spooler
        self.logger = logger
        self.clock = clock
        self.keepRaw = keepRaw
        self.archive = archive
            ?? EvidenceArchive(stateDir: (store.path as NSString).deletingLastPathComponent, store: store, logger: logger)
    }

    public func poll(_ watched: PipelineSnapshot.WatchedAccount, snapshot: PipelineSnapshot) async -> AccountPollReport {
        let account = watched.account, subject = watched.subject
        var report = AccountPollReport(key: account.key, subjectID: subject.id, url: account.url,
                                       outcome: .failed(PollFailure(kind: .transport, message: "not polled")))
        let stored: AccountRecord?
        let knownThrough: Date?
        do {
            (stored, knownThrough) = try await store.pollStart(accountKey: account.key)
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
            // The source serves the same listing as last time: absences noted then are confirmed.
            do {
                let absent = try await store.absentPosts(accountKey: account.key, listed: [], coveredAfter: nil)
                try judgeAbsences(absent, coveredAfter: nil, account: account, subject: subject, snapshot: snapshot, now: now,
                                  into: &record)
            } catch {
                report.outcome = .failed(PollFailure(kind: .transport, message: "\(error)"))
                return report
            }
        case .failed(let failure):
            report.outcome = .failed(failure)
            record.outcome = .failed(status: read.status, message: failure.message)
        case .posts(let posts):
            report.outcome = .fetched
            record.outcome = .fetched(status: read.status ?? 200, etag: read.validators.etag,
                                      lastModified: read.validators.lastModified, redirectedTo: read.permanentRedirect)
            do {
                var seen = Set<String>()
                let listed = posts.filter { seen.insert($0.id).inserted }
                // A listing read past errors may lack items: it cannot show that a post is gone.
                let cover: Date?? = read.damaged || listed.isEmpty
                    ? nil : .some(Self.coveredAfter(listed, platform: account.platform, now: now))
                // Which listed posts are known, and which known ones the listing should show: one read.
                let lookup = try await store.listing(accountKey: account.key, ids: listed.map(\.id), absencesCoveredAfter: cover)
                try judge(listed, known: lookup.known, read: read, account: account, subject: subject, snapshot: snapshot,
                          now: now, into: &record, report: &report)
                if let absent = lookup.absent, let cover {
                    try judgeAbsences(absent, coveredAfter: cover, account: account, subject: subject, snapshot: snapshot,
                                      now: now, into: &record)
                }
            } catch {
                report.outcome = .failed(PollFailure(kind: .transport, message: "\(error)"))
                return report
            }
        }

        do {
            let result = try await store.record(record)
            report.newPosts = result.newPosts
            report.changedPosts = result.changedPosts
            report.deletedPosts = result.deletedPosts
            report.alerts = result.newAlerts
            spool(result.storedAlerts, into: &report)
        } catch {
            logger.error("cannot record a poll: \(error)", metadata: ["account": "\(account.key)"])
            report.outcome = .failed(PollFailure(kind: .transport, message: "\(error)"))
            return report
        }
        if let timestamper {
            do {
                try await timestamper.stampIfDue(now: clock())
            } catch {
                logger.warning("cannot timestamp the evidence chain: \(error)")
            }
        }
        return report
    }

    /// Matches and judges the new and changed posts; every post listed (each id once) goes into
    /// the record.
    private func judge(_ posts: [Post], known: [String: KnownPost], read: SourceReader.Read, account: Account,
                       subject: Subject, snapshot: PipelineSnapshot, now: Date,
                       into record: inout PollRecord, report: inout AccountPollReport) throws {
        report.postsListed = posts.count
        let matcher = snapshot.rules.makeMatcher()
        let names = snapshot.names(of: subject)
        var archivedResponses: [Int: String] = [:]
        var objects: [(sha256: String, bytes: [UInt8])] = []
        for post in posts {
            let hash = PostContentHash.sha256(of: post)
            var observation = PostObservation(post: post, subjectID: subject.id, contentSHA256: hash)
            if known[post.id]?.contentSHA256 != hash {
                archiveVersion(of: post, read: read, responses: &archivedResponses, objects: &objects, into: &observation)
            }
            record.posts.append(observation)
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
            for var alert in Judge.alerts(for: input, configuration: snapshot.configuration, now: now) {
                alert.evidence.rawSHA256 = observation.rawSHA256 ?? alert.evidence.rawSHA256
                alert.evidence.archive = observation.rawSHA256.map(EvidenceArchive.relativePath)
                record.alerts.append(AlertRow(alert: alert, accountKey: account.key))
            }
        }
        // One append to the pack for the whole poll; the versions name the places.
        guard !objects.isEmpty else { return }
        record.objects = try archive.pack(objects)
        let places = Dictionary(record.objects.map { ($0.sha256, $0) }, uniquingKeysWith: { first, _ in first })
        for index in record.posts.indices {
            if let raw = record.posts[index].rawSHA256 { record.posts[index].rawPacked = places[raw] }
            if let response = record.posts[index].responseSHA256 { record.posts[index].responsePacked = places[response] }
        }
    }

    /// Names a new version's own bytes and, once per poll, the response it came in, and lists
    /// them for the archive. Only new versions are archived: a version seen before is there already.
    private func archiveVersion(of post: Post, read: SourceReader.Read, responses: inout [Int: String],
                                objects: inout [(sha256: String, bytes: [UInt8])], into observation: inout PostObservation) {
        guard keepRaw else { return }
        if let raw = post.raw {
            let sha = Hex.sha256(raw)
            observation.rawSHA256 = sha
            objects.append((sha, raw))
        }
        guard let index = read.responseOfPost[post.id] else { return }
        if responses[index] == nil {
            let body = read.responses[index].body
            let sha = Hex.sha256(body)
            responses[index] = sha
            objects.append((sha, body))
        }
        observation.responseSHA256 = responses[index]
        observation.responseURL = read.responses[index].url
    }

    /// The time a listing covers back to: a known post newer than this that the listing lacks
    /// is missing from it. Undated posts count by when they were first seen (now, for new ones).
    /// Feeds are often ordered by their `updated` time, so an old post updated lately can stand
    /// in a window that newer posts have left: a listed feed item counts by its later time.
    static func coveredAfter(_ listed: [Post], platform: Platform, now: Date) -> Date? {
        let byUpdate = [.rss, .atom, .jsonfeed].contains(platform)
        return listed.map { post -> Date in
            let published = post.publishedAt ?? now
            guard byUpdate, let updated = post.updatedAt else { return published }
            return max(published, updated)
        }.min()
    }

    /// Deletions. A known post the listing did not show is missing when the listing covers its
    /// time (it is newer than the oldest post listed); a post that merely scrolled out of a short
    /// window is older than everything listed and so never missing. The next successful poll
    /// (or a 304: the source serves the same listing) that still misses it confirms the
    /// deletion; a deletion of a post alerted on is itself alerted. `absent`: the store's
    /// answer (`absentPosts`); `coveredAfter` nil: a 304.
    private func judgeAbsences(_ absent: [AbsentPost], coveredAfter: Date?, account: Account, subject: Subject,
                               snapshot: PipelineSnapshot, now: Date, into record: inout PollRecord) throws {
        guard !absent.isEmpty else { return }
        let matcher = snapshot.rules.makeMatcher()
        let names = snapshot.names(of: subject)
        for post in absent {
            // A 304 lists nothing: it can confirm an absence noted before, never note a new one.
            let covered = coveredAfter.map { post.time > $0 } ?? (post.missingSince != nil)
            guard post.missingSince != nil else {
                if covered { record.missing.append(post.post.id) }
                continue
            }
            guard covered else {
                record.unmarked.append(post.post.id)
                continue
            }
            record.deletions.append(PostDeletion(postID: post.post.id, contentSHA256: post.contentSHA256,
                                                 rawSHA256: post.rawSHA256, lastSeenAt: post.lastSeenAt))
            let prior = try store.priorAlerts(accountKey: account.key, postID: post.post.id)
            guard !prior.isEmpty else { continue }
            let input = JudgeInput(post: post.post, account: account, subject: subject, firstSeenAt: post.firstSeenAt,
                                   versionSeenAt: post.versionSeenAt,
                                   matches: matcher.match(text: post.post.text, title: post.post.title, names: names),
                                   event: .gone(deletedAt: now, priorAlerts: prior), contentSHA256: post.contentSHA256)
            for var alert in Judge.alerts(for: input, configuration: snapshot.configuration, now: now) {
                alert.evidence.rawSHA256 = post.rawSHA256
                alert.evidence.archive = post.rawSHA256.map(EvidenceArchive.relativePath)
                record.alerts.append(AlertRow(alert: alert, accountKey: account.key))
            }
        }
    }

    private func spool(_ alerts: [AlertRow], into report: inout AccountPollReport) {
        for row in alerts {
            do {
                let alert = try Alert(json: row.document)
                _ = try spooler.deliver(alert, accountKey: row.accountKey)
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
                  document: alert.jsonBytes(), alert: alert)
    }
}

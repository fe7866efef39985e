import CampaignWatchCore
import Foundation
import Logging
import Synchronization

/// Timestamps the chain head with an RFC 3161 authority every `timestamp_every`: the query's
/// imprint is the head's hash itself (SHA-256), so `openssl ts -verify -digest HASH` checks a
/// token against the chain without campaignwatch. The token is stored beside the chain.
public final class ChainTimestamper: Sendable {
    let store: StateStore
    let client: TimeStampClient
    let every: TimeInterval
    let logger: Logger
    private let state = Mutex<(busy: Bool, last: Date?, lastSeq: Int?)>((false, nil, nil))

    public init(store: StateStore, settings: EvidenceSettings, poll: PollSettings, logger: Logger) throws(EvidenceError) {
        guard let url = settings.tsaURL else { throw EvidenceError(message: "no evidence.tsa_url configured") }
        self.store = store
        client = TimeStampClient(url: url, timeout: poll.timeout, userAgent: poll.userAgent, proxy: poll.proxy)
        every = settings.timestampEvery
        self.logger = logger
    }

    /// Timestamps the head when the last token is older than `every` and the chain has grown
    /// since. Returns the stored token, nil when nothing was due (or another call is at it).
    @discardableResult
    public func stampIfDue(now: Date) async throws(EvidenceError) -> StoredTimestamp? {
        let go = state.withLock { state -> Bool in
            guard !state.busy else { return false }
            if let last = state.last, now.timeIntervalSince(last) < every { return false }
            state.busy = true
            return true
        }
        guard go else { return nil }
        defer { state.withLock { $0.busy = false } }
        do {
            if state.withLock({ $0.last == nil }), let latest = try store.latestTimestamp() {
                state.withLock { $0.last = latest.requestedAt; $0.lastSeq = latest.chainSeq }
                if now.timeIntervalSince(latest.requestedAt) < every { return nil }
            }
            guard let head = try store.chainHead(), head.seq != state.withLock({ $0.lastSeq }) else { return nil }
            return try await stamp(head, now: now)
        } catch let error as EvidenceError {
            throw error
        } catch {
            throw EvidenceError(message: "cannot timestamp the chain: \(error)")
        }
    }

    func stamp(_ head: StoredLink, now: Date) async throws(EvidenceError) -> StoredTimestamp {
        guard let digest = Hex.bytes(head.hash), digest.count == 32 else {
            throw EvidenceError(message: "link \(head.seq) has no valid hash")
        }
        let nonce = TimeStampToken.makeNonce()
        let reply = try await client.post(TimeStampToken.request(digest: digest, nonce: nonce))
        let token: [UInt8]
        do {
            token = try TimeStampToken.token(fromResponse: reply)
            let info = try TimeStampToken.info(of: token)
            guard info.imprint == digest else { throw DER.Error("the token imprints another hash than the one sent") }
            if let echoed = info.nonce, Array(echoed.drop { $0 == 0 }) != Array(nonce.drop { $0 == 0 }) {
                throw DER.Error("the token carries another nonce than the one sent")
            }
        } catch {
            throw EvidenceError(message: "\(client.url): \(error)")
        }
        let stamp = StoredTimestamp(chainSeq: head.seq, chainHash: head.hash, requestedAt: now, tsaURL: client.url, token: token)
        do { try store.storeTimestamp(stamp) } catch { throw EvidenceError(message: "\(error)") }
        state.withLock { $0.last = now; $0.lastSeq = head.seq }
        logger.info("chain timestamped", metadata: ["seq": "\(head.seq)", "tsa": "\(client.url)"])
        return stamp
    }
}

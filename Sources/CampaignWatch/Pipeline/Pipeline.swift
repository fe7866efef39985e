import CampaignWatchCore
import Foundation
import Logging

/// The assembled I/O shell for one configuration: the state store in `state_dir`, the spool, the
/// fetcher and the poll loop. Commands build one, use it, and shut it down.
public final class Pipeline: Sendable {
    public let store: StateStore
    public let spooler: AlertSpooler
    public let fetcher: HTTPFetcher
    public let poller: AccountPoller
    public let loop: PollLoop
    public let logger: Logger
    /// The evidence archive this pipeline packs into.
    public let archive: EvidenceArchive

    /// The SQLite file inside `state_dir`.
    public static func databasePath(stateDir: String) -> String {
        (stateDir as NSString).appendingPathComponent("campaignwatch.sqlite")
    }

    public enum SetupError: Error, CustomStringConvertible {
        case store(StoreError)
        case spool(SystemError)
        case fetcher(any Error)

        public var description: String {
            switch self {
            case .store(let error): "\(error)"
            case .spool(let error): "cannot open the spool: \(error)"
            case .fetcher(let error): "cannot start the fetcher: \(error)"
            }
        }
    }

    public init(configuration: Configuration, logger: Logger, policy: SchedulerPolicy = SchedulerPolicy(),
                fetcherConfiguration: FetcherConfiguration? = nil, clock: @escaping @Sendable () -> Date = Date.init) throws(SetupError) {
        do {
            store = try StateStore(path: Self.databasePath(stateDir: configuration.stateDir))
        } catch {
            throw .store(error)
        }
        let archive = EvidenceArchive(stateDir: configuration.stateDir, store: store, logger: logger)
        self.archive = archive
        if configuration.evidence.keepRaw {
            do {
                try archive.prepare()
            } catch {
                // Tried again at the first object to archive; polls that cannot archive fail and are retried.
                logger.warning("\(error)")
            }
        }
        do {
            spooler = try AlertSpooler(settings: configuration.spool, archive: archive, logger: logger)
        } catch {
            throw .spool(error)
        }
        do {
            let removed = try spooler.spool.removeStaleTemporaries()
            if removed > 0 {
                logger.notice("removed \(removed) partial file(s) a stopped writer left in \(configuration.spool.dir)/tmp; their alerts are written again")
            }
        } catch {
            logger.warning("cannot clean \(configuration.spool.dir)/tmp: \(error)")
        }
        do {
            fetcher = try HTTPFetcher(configuration: fetcherConfiguration ?? FetcherConfiguration(poll: configuration.poll),
                                      logger: logger)
        } catch {
            throw .fetcher(error)
        }
        self.logger = logger
        var timestamper: ChainTimestamper?
        if configuration.evidence.tsaURL != nil {
            timestamper = try? ChainTimestamper(store: store, settings: configuration.evidence, poll: configuration.poll,
                                                logger: logger)
        }
        poller = AccountPoller(store: store, fetcher: fetcher, spooler: spooler, logger: logger,
                               keepRaw: configuration.evidence.keepRaw, timestamper: timestamper, archive: archive, clock: clock)
        loop = PollLoop(poller: poller, store: store, spooler: spooler, logger: logger, policy: policy, clock: clock)
    }

    /// Stops the fetcher (transfers in flight get `grace` seconds) and checkpoints the store.
    public func shutdown(grace: TimeInterval = 10) async {
        await fetcher.shutdown(grace: grace)
        archive.close()
        do {
            try store.checkpoint()
        } catch {
            logger.warning("cannot checkpoint the state database: \(error)")
        }
    }
}

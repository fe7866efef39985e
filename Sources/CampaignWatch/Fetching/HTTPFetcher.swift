import Foundation
import Logging
import ServiceLifecycle

/// Fetches URLs with libcurl, many at a time, from one dedicated thread. Safe to call from any
/// number of tasks: each `fetch` suspends until its transfer is done, and cancelling the task
/// abandons the transfer. As a `Service` it runs until graceful shutdown, then lets transfers in
/// flight finish for `shutdownGrace` seconds and abandons the rest.
///
/// ```swift
/// let fetcher = try HTTPFetcher(configuration: FetcherConfiguration(poll: config.poll), logger: logger)
/// let outcome = await fetcher.fetch(FetchRequest(url: account.url, validators: remembered))
/// ```
public final class HTTPFetcher: Sendable {
    public let configuration: FetcherConfiguration
    private let loop: TransferLoop

    /// Creates the multi handle; the transfer thread starts with `start()`, `run()` or the
    /// first `fetch`.
    public init(configuration: FetcherConfiguration, logger: Logger) throws {
        self.configuration = configuration
        loop = try TransferLoop(configuration: configuration, logger: logger)
    }

    deinit {
        loop.beginShutdown(grace: 0)
    }

    public func start() {
        loop.start()
    }

    public func fetch(_ request: FetchRequest) async -> FetchOutcome {
        if Task.isCancelled { return Transfer.unattempted(request, .cancelled) }
        let transfer: Transfer
        do {
            transfer = try Transfer(request: request, maxBody: configuration.maxBody)
        } catch {
            return Transfer.unattempted(request, .transfer(error))
        }
        loop.start()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                transfer.continuation = continuation
                if !loop.submit(transfer) {
                    transfer.finish(Transfer.unattempted(request, .shutDown))
                }
            }
        } onCancel: {
            loop.cancel(transfer)
        }
    }

    /// Stops taking work (new fetches fail with `.shutDown`), lets transfers in flight finish
    /// for up to `grace` seconds (default: the configuration's), abandons the rest, and returns
    /// when the transfer thread has ended.
    public func shutdown(grace: TimeInterval? = nil) async {
        loop.beginShutdown(grace: grace ?? configuration.shutdownGrace)
        await loop.waitUntilStopped()
    }

    /// Runs `body` with a started fetcher and shuts it down afterwards, whatever happens.
    public static func withFetcher<Result>(
        configuration: FetcherConfiguration, logger: Logger,
        _ body: (HTTPFetcher) async throws -> Result
    ) async throws -> Result {
        let fetcher = try HTTPFetcher(configuration: configuration, logger: logger)
        fetcher.start()
        do {
            let result = try await body(fetcher)
            await fetcher.shutdown()
            return result
        } catch {
            await fetcher.shutdown()
            throw error
        }
    }
}

extension HTTPFetcher: Service {
    public func run() async throws {
        start()
        try? await gracefulShutdown()
        await shutdown()
    }
}

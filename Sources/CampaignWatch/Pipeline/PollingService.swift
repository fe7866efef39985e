import CampaignWatchCore
import Foundation
import Logging
import ServiceLifecycle

/// The daemon's work as a `Service`: runs the poll loop until graceful shutdown, then starts
/// nothing new, gives transfers in flight `stopGrace` seconds, flushes the spool and the store.
public struct PollingService: Service {
    let pipeline: Pipeline
    let snapshot: PipelineSnapshot
    let hooks: PollLoop.Hooks
    let stopGrace: TimeInterval
    /// Reloads (and other commands) from outside: SIGHUP, file changes.
    let commands: AsyncStream<PollLoop.Command>
    /// How often the loop calls `hooks.heartbeat` (systemd's watchdog pings ride on it).
    let heartbeatInterval: TimeInterval?

    public init(pipeline: Pipeline, snapshot: PipelineSnapshot, commands: AsyncStream<PollLoop.Command>,
                hooks: PollLoop.Hooks = PollLoop.Hooks(), stopGrace: TimeInterval = 10, heartbeatInterval: TimeInterval? = nil) {
        self.pipeline = pipeline
        self.snapshot = snapshot
        self.commands = commands
        self.hooks = hooks
        self.stopGrace = stopGrace
        self.heartbeatInterval = heartbeatInterval
    }

    public func run() async throws {
        let (loopCommands, continuation) = AsyncStream.makeStream(of: PollLoop.Command.self)
        let pipeline = pipeline, stopGrace = stopGrace, commands = commands
        var loop = pipeline.loop
        if let heartbeatInterval { loop.heartbeatInterval = heartbeatInterval }
        await withTaskGroup(of: Bool.self) { group in
            group.addTask { [loop] in
                await loop.run(snapshot, commands: loopCommands, hooks: hooks)
                return true
            }
            group.addTask {
                for await command in commands.cancelOnGracefulShutdown() { continuation.yield(command) }
                return false
            }
            group.addTask {
                try? await gracefulShutdown()
                pipeline.logger.notice("stopping: no new polls; transfers in flight get \(Int(stopGrace)) s")
                continuation.yield(.stop)
                // Bounds the wait: transfers still running after the grace are abandoned, and
                // the polls they belong to end without recording anything.
                await pipeline.fetcher.shutdown(grace: stopGrace)
                return false
            }
            // Only the loop's end ends the service: the command stream may finish long before.
            while let loopEnded = await group.next(), !loopEnded {}
            continuation.finish()
            group.cancelAll()
        }
        await pipeline.shutdown(grace: 0)
        pipeline.logger.notice("stopped")
    }
}

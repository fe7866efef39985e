@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct ServiceSettingsTests {
    @Test func restartOnlySettingsKeepTheirRunningValues() {
        let running = Configuration(stateDir: "/var/lib/a", spool: SpoolSettings(dir: "/var/spool/a"))
        var edited = running
        edited.stateDir = "/var/lib/b"
        edited.spool.format = .eml
        edited.poll.timeout = 5
        edited.poll.interval = 60
        edited.log.level = .debug
        let (kept, changed) = RestartOnlySettings.keep(running: running, in: edited)
        #expect(changed == ["state_dir", "spool.format", "poll.timeout"])
        #expect(kept.stateDir == "/var/lib/a")
        #expect(kept.spool.format == .json)
        #expect(kept.poll.timeout == running.poll.timeout)
        #expect(kept.poll.interval == 60)
        #expect(kept.log.level == .debug)
        #expect(RestartOnlySettings.keep(running: running, in: running).changed.isEmpty)
    }

    @Test func logLevelControlIsSharedByEveryCopy() {
        let control = LogLevelControl(.info)
        let handler = StderrLogHandler(level: .error, journald: false, control: control)
        var copy = handler
        #expect(copy.logLevel == .info)
        control.level = .debug
        #expect(handler.logLevel == .debug && copy.logLevel == .debug)
        copy.logLevel = .critical  // a local override does not outrank the shared level
        #expect(copy.logLevel == .debug)
    }
}

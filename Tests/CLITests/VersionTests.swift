import Foundation
import CampaignWatchCore
import Testing

@Suite struct VersionTests {
    @Test func printsTheVersion() throws {
        let result = try CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == CampaignWatchVersion.current)
    }
}

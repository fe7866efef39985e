import Foundation
import CampaignWatchCore
import Testing

@Suite struct VersionTests {
    @Test func printsTheVersion() async throws {
        let result = try await CLI.run(["--version"])
        #expect(result.status == 0)
        #expect(result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == CampaignWatchVersion.current)
    }
}

import ArgumentParser
import CampaignWatchCore

@main
struct CampaignWatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaignwatch",
        abstract: "Watches candidates' public accounts for campaigning outside the permitted window.",
        version: CampaignWatchVersion.current,
        subcommands: [
            RunCommand.self,
            CheckCommand.self,
            PollCommand.self,
            ParseCommand.self,
            MatchCommand.self,
            ReplayCommand.self,
            StatusCommand.self,
            DemoCommand.self,
            VerifyCommand.self,
            EvidenceCommand.self,
        ]
    )
}

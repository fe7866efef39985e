import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation

/// `campaignwatch check`: validates the whole configuration. A summary and exit 0, or every
/// error as `file:line:column: message` on stderr and exit 78. Warnings never fail the check.
struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validates the whole configuration and prints a summary, or every error with file:line:column."
    )

    @OptionGroup var options: ConfigOption

    func run() async throws {
        let result = ConfigLoading.loader().load(path: options.config)
        for error in result.errors { StandardError.print(error.description) }
        for warning in result.warnings {
            StandardError.print("\(warning.file):\(warning.line):\(warning.column): warning: \(warning.message)")
        }
        guard let configuration = result.configuration else { throw ExitStatus.configError }
        for line in ConfigurationSummary.lines(configuration, mainFile: options.config, warnings: result.warnings.count) {
            print(line)
        }
    }
}

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
        var standardError = StandardError()
        for error in result.errors { print(error.description, to: &standardError) }
        for warning in result.warnings {
            print("\(warning.file):\(warning.line):\(warning.column): warning: \(warning.message)", to: &standardError)
        }
        guard let configuration = result.configuration else { throw ExitStatus.configError }
        for line in ConfigurationSummary.lines(configuration, mainFile: options.config, warnings: result.warnings.count) {
            print(line)
        }
    }
}

private struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandle.standardError.write(Data(string.utf8))
    }
}

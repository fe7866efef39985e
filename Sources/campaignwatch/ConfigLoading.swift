import CampaignWatch
import CampaignWatchCore
import Foundation

/// The one place commands get their configuration, so every command checks it the same way.
enum ConfigLoading {
    static func loader(now: Date = Date()) -> ConfigurationLoader {
        ConfigurationLoader(queryValidator: ConfigurationLoader.ruleQueries, now: now)
    }

    /// The validated configuration, or every error on stderr and exit 78.
    static func load(_ path: String) throws -> Configuration {
        try loadResult(path).configuration!
    }

    /// The same, with the files read (for watching them); `configuration` is set.
    static func loadResult(_ path: String) throws -> ConfigurationLoadResult {
        let result = loader().load(path: path)
        guard result.configuration != nil, result.errors.isEmpty else {
            for error in result.errors { StandardError.print(error.description) }
            StandardError.print("\(path): the configuration has \(result.errors.count) error(s); fix them and run `campaignwatch check`")
            throw ExitStatus.configError
        }
        return result
    }
}

enum StandardError {
    static func print(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

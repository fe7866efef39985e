import CampaignWatch
import CampaignWatchCore
import Foundation

/// The one place commands get their configuration loader, so every command checks rule queries
/// the same way.
enum ConfigLoading {
    /// Rule queries are accepted as written until the rules engine's parser is wired in here.
    static func loader(now: Date = Date()) -> ConfigurationLoader {
        ConfigurationLoader(queryValidator: ConfigurationLoader.acceptEveryQuery, now: now)
    }
}

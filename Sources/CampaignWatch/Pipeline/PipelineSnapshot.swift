import CampaignWatchCore
import Foundation

/// A validated configuration and everything compiled from it: the rules in one matcher, each
/// subject's `@names` bound once, each account's subject. A reload builds a new snapshot and
/// swaps it in whole; polls already running finish under the one they started with.
public struct PipelineSnapshot: Sendable {
    public let configuration: Configuration
    public let rules: RuleEngine
    let names: [String: NameBinding]
    /// Every configured account with its subject, by account key.
    public let accounts: [String: WatchedAccount]

    public struct WatchedAccount: Sendable {
        public var account: Account
        public var subject: Subject
    }

    public init(configuration: Configuration) throws(RuleCompileErrors) {
        self.configuration = configuration
        rules = try RuleEngine(rules: configuration.rules)
        var names: [String: NameBinding] = [:]
        var accounts: [String: WatchedAccount] = [:]
        for subject in configuration.subjects {
            names[subject.id] = rules.bind(subject: subject)
            for account in subject.accounts where accounts[account.key] == nil {
                accounts[account.key] = WatchedAccount(account: account, subject: subject)
            }
        }
        self.names = names
        self.accounts = accounts
    }

    public func names(of subject: Subject) -> NameBinding? { names[subject.id] }

    /// The accounts the store should know, with their subjects, in configuration order.
    public var accountList: [(account: Account, subjectID: String)] {
        configuration.subjects.flatMap { subject in subject.accounts.map { ($0, subject.id) } }
    }
}

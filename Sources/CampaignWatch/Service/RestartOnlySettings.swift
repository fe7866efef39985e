import CampaignWatchCore

/// Settings a reload cannot change in a running daemon: the state database and the spool are
/// open, the fetcher's connection limits, timeouts and proxy are built into its handles, and
/// the evidence settings into the poller. A reload keeps the running values of these and says
/// which ones changed, so the operator knows a restart is needed; everything else (elections,
/// subjects, accounts, rules, poll intervals, platform base URLs, log level, metrics file)
/// takes effect at once.
public enum RestartOnlySettings {
    /// `new` with the restart-only settings of `running`, and the names of those that differ.
    public static func keep(running: Configuration, in new: Configuration) -> (configuration: Configuration, changed: [String]) {
        var result = new
        var changed: [String] = []
        func check<T: Equatable>(_ name: String, _ path: WritableKeyPath<Configuration, T>) {
            if new[keyPath: path] != running[keyPath: path] {
                changed.append(name)
                result[keyPath: path] = running[keyPath: path]
            }
        }
        check("state_dir", \.stateDir)
        check("spool.dir", \.spool.dir)
        check("spool.format", \.spool.format)
        check("poll.concurrency", \.poll.concurrency)
        check("poll.per_host", \.poll.perHost)
        check("poll.timeout", \.poll.timeout)
        check("poll.max_body", \.poll.maxBody)
        check("poll.user_agent", \.poll.userAgent)
        check("poll.proxy", \.poll.proxy)
        check("evidence", \.evidence)
        return (result, changed)
    }
}

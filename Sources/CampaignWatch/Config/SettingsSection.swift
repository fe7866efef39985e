import CampaignWatchCore
import Foundation
import Yams

/// The settings of the main file: `state_dir`, `spool`, `poll`, `platforms`, `log`, `metrics`,
/// `evidence`. What is not given keeps the defaults of `Configuration`.
extension LoadSession {
    func readSetting(_ key: String, _ node: Node, reader: NodeReader, directory: String) {
        switch key {
        case "state_dir":
            if let path = reader.path(node, of: "`state_dir`", relativeTo: directory) { settings.stateDir = path }
        case "spool": readSpool(node, reader: reader, directory: directory)
        case "poll": readPoll(node, reader: reader)
        case "platforms": readPlatforms(node, reader: reader)
        case "log":
            guard let members = reader.members(node, of: "`log`", allowed: ["level"]) else { return }
            for (_, value) in members {
                if let level = reader.enumeration(value, of: "log level", LogSettings.Level.self) { settings.log.level = level }
            }
        case "metrics":
            guard let members = reader.members(node, of: "`metrics`", allowed: ["textfile"]) else { return }
            for (_, value) in members {
                settings.metrics.textfile = reader.path(value, of: "`metrics.textfile`", relativeTo: directory)
            }
        case "evidence": readEvidence(node, reader: reader)
        default: break
        }
    }

    private func readSpool(_ node: Node, reader: NodeReader, directory: String) {
        guard let members = reader.members(node, of: "`spool`", allowed: ["dir", "format"]) else { return }
        for (key, value) in members {
            switch key.value {
            case "dir":
                if let path = reader.path(value, of: "`spool.dir`", relativeTo: directory) { settings.spool.dir = path }
            default:
                if let format = reader.enumeration(value, of: "spool format", SpoolSettings.Format.self) { settings.spool.format = format }
            }
        }
    }

    private func readPoll(_ node: Node, reader: NodeReader) {
        let keys = ["interval", "min_interval", "max_interval", "jitter", "concurrency", "per_host", "timeout",
                    "max_body", "user_agent", "proxy"]
        guard let members = reader.members(node, of: "`poll`", allowed: keys) else { return }
        var poll = settings.poll
        var intervals: [String: Node] = [:]
        for (key, value) in members {
            let what = "`poll.\(key.value)`"
            switch key.value {
            case "interval": if let v = reader.duration(value, of: what) { poll.interval = v; intervals[key.value] = value }
            case "min_interval": if let v = reader.duration(value, of: what) { poll.minInterval = v; intervals[key.value] = value }
            case "max_interval": if let v = reader.duration(value, of: what) { poll.maxInterval = v; intervals[key.value] = value }
            case "timeout": if let v = reader.duration(value, of: what) { poll.timeout = v }
            case "jitter": if let v = reader.parse(value, of: what, ConfigValueSyntax.percentage) { poll.jitter = v }
            case "concurrency": if let v = reader.integer(value, of: what, minimum: 1) { poll.concurrency = v }
            case "per_host": if let v = reader.integer(value, of: what, minimum: 1) { poll.perHost = v }
            case "max_body":
                if let v = reader.parse(value, of: what, ConfigValueSyntax.size) {
                    if v < 1024 { reader.error(value, "\(what) must be at least 1KiB") } else { poll.maxBody = v }
                }
            case "user_agent": if let v = reader.nonEmptyString(value, of: what) { poll.userAgent = v }
            default:
                if let v = reader.parse(value, of: what, { (text: String) throws(ConfigValueError) -> String in
                    try AccountHandleSyntax.proxyURL(text)
                    return text
                }) { poll.proxy = v }
            }
        }
        if poll.minInterval > poll.maxInterval, let node = intervals["min_interval"] ?? intervals["max_interval"] {
            reader.error(node, "`poll.min_interval` (\(Self.seconds(poll.minInterval))) is longer than `poll.max_interval` "
                + "(\(Self.seconds(poll.maxInterval))): make the minimum the smaller one")
        } else if !(poll.minInterval...poll.maxInterval).contains(poll.interval),
                  let node = intervals["interval"] ?? intervals["min_interval"] ?? intervals["max_interval"] {
            reader.error(node, "`poll.interval` (\(Self.seconds(poll.interval))) must lie between `poll.min_interval` "
                + "(\(Self.seconds(poll.minInterval))) and `poll.max_interval` (\(Self.seconds(poll.maxInterval)))")
        }
        settings.poll = poll
    }

    private func readPlatforms(_ node: Node, reader: NodeReader) {
        guard let members = reader.members(node, of: "`platforms`", allowed: Platform.allCases.map(\.rawValue)) else { return }
        for (key, value) in members {
            let platform = Platform(rawValue: key.value)!
            guard let settingMembers = reader.members(value, of: "`platforms.\(key.value)`", allowed: ["base_url"]) else { continue }
            for (_, urlNode) in settingMembers {
                guard AccountURL.takesBaseURL(platform) else {
                    reader.error(urlNode, "\(key.value) feeds are read from their own address; `base_url` does not apply to them "
                        + "(give an account its `url` instead)")
                    continue
                }
                if let url = reader.parse(urlNode, of: "`platforms.\(key.value).base_url`", { (text: String) throws(ConfigValueError) -> String in
                    try AccountHandleSyntax.httpURL(text, what: "the base URL")
                    return text
                }) {
                    settings.platforms[platform] = PlatformSettings(baseURL: url)
                }
            }
        }
    }

    private func readEvidence(_ node: Node, reader: NodeReader) {
        guard let members = reader.members(node, of: "`evidence`", allowed: ["tsa_url", "timestamp_every", "keep_raw"]) else { return }
        for (key, value) in members {
            switch key.value {
            case "tsa_url":
                settings.evidence.tsaURL = reader.parse(value, of: "`evidence.tsa_url`", { (text: String) throws(ConfigValueError) -> String in
                    try AccountHandleSyntax.httpURL(text, what: "the time-stamping authority")
                    return text
                })
            case "timestamp_every":
                if let v = reader.duration(value, of: "`evidence.timestamp_every`") { settings.evidence.timestampEvery = v }
            default:
                if let v = reader.bool(value, of: "`evidence.keep_raw`") { settings.evidence.keepRaw = v }
            }
        }
    }

    static func seconds(_ interval: TimeInterval) -> String {
        let whole = Int(interval)
        if whole % 86_400 == 0 { return "\(whole / 86_400)d" }
        if whole % 3600 == 0 { return "\(whole / 3600)h" }
        if whole % 60 == 0 { return "\(whole / 60)m" }
        return "\(whole)s"
    }
}

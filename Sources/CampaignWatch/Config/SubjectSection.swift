import CampaignWatchCore
import Foundation
import Yams

/// `subjects:` entries (the YAML watchlist) and their accounts.
extension LoadSession {
    static let subjectKeys = ["id", "name", "names", "role", "elections", "district", "tags", "accounts"]

    func readSubjects(_ node: Node, reader: NodeReader) {
        guard let items = reader.items(node, of: "`subjects`") else { return }
        if items.isEmpty {
            reader.error(node, "the watchlist is empty (`subjects: []`): add subjects, or remove the file or the key")
        }
        for item in items {
            if let draft = readSubject(item, reader: reader) { subjects.append(draft) }
        }
    }

    private func readSubject(_ node: Node, reader: NodeReader) -> SubjectDraft? {
        guard let members = reader.members(node, of: "a subject", allowed: Self.subjectKeys) else { return nil }
        var id: Located<String>?, name: String?, names: [String] = [], role = Subject.Role.candidate
        var electionRefs: [Located<String>]?, district: String?, tags: [String] = []
        var accounts: [(Account, ConfigLocation, String?)] = []
        var failed = false
        for (key, value) in members {
            switch key.value {
            case "id": id = readID(value, reader: reader, of: "subject")
            case "name": name = reader.nonEmptyString(value, of: "the subject's `name`")
            case "names":
                if let list = reader.stringList(value, of: "`names`") { names = list.map(\.value) } else { failed = true }
            case "role":
                if let value = reader.enumeration(value, of: "role", Subject.Role.self) { role = value } else { failed = true }
            case "elections":
                electionRefs = reader.stringList(value, of: "the subject's `elections`")
                if let refs = electionRefs, refs.isEmpty {
                    reader.error(value, "`elections: []`: a subject is judged only against the elections it names; name at least one")
                    electionRefs = nil
                }
            case "district":
                district = reader.string(value, of: "`district`")
                if district == nil { failed = true }
            case "tags":
                if let list = reader.stringList(value, of: "`tags`") { tags = list.map(\.value) } else { failed = true }
            default:
                guard let items = reader.items(value, of: "`accounts`") else { failed = true; continue }
                for item in items {
                    if let account = readAccount(item, reader: reader) { accounts.append(account) } else { failed = true }
                }
            }
        }
        let label = id.map { "subject `\($0.value)`" } ?? "this subject"
        for required in ["id", "name", "elections"] where !members.contains(where: { $0.key.value == required }) {
            let example = required == "elections" ? "`elections: [kz-mazhilis-2023]`" : required == "id" ? "`id: zhylanbayev`" : "`name: \"Marat Zhylanbayev\"`"
            reader.error(node, "\(label) has no `\(required)`: add it, e.g. \(example)")
        }
        guard !failed, let id, let name, let electionRefs else { return nil }
        var allNames = [name]
        for extra in names where !allNames.contains(extra) { allNames.append(extra) }
        let subject = Subject(id: id.value, name: name, names: allNames, role: role, elections: electionRefs.map(\.value),
                              district: district, tags: tags, accounts: accounts.map(\.0))
        return SubjectDraft(subject: subject, id: id, electionRefs: electionRefs,
                            accountLocations: accounts.map(\.1), accountURLs: accounts.map(\.2))
    }

    /// `- telegram: channel` or `- { telegram: channel, url: …, poll: { interval: 2m } }`.
    private func readAccount(_ node: Node, reader: NodeReader) -> (Account, ConfigLocation, String?)? {
        let platformKeys = Platform.allCases.map(\.rawValue)
        if case .scalar = node {
            let text = node.scalar?.string ?? ""
            let hint = text.lowercased().hasPrefix("http") ? "`- rss: \(text)`" : "`- telegram: \(text)`"
            reader.error(node, "an account needs its platform: write it like \(hint)")
            return nil
        }
        guard let members = reader.members(node, of: "an account", allowed: platformKeys + ["url", "poll", "reposts", "replies"]) else { return nil }
        let hadUnknownKey: Bool = {
            guard case .mapping(let mapping) = node else { return false }
            return mapping.count != members.count
        }()
        var platforms: [(Platform, Node)] = []
        var url: String?, poll: PollOverride?, failed = hadUnknownKey
        var reposts: Bool?, replies: PlatformOptions.Replies?, blueskyOnly: [ConfigLocation] = []
        for (key, value) in members {
            switch key.value {
            case "url":
                url = reader.parse(value, of: "the account's `url`", { (text: String) throws(ConfigValueError) -> String in
                    try AccountHandleSyntax.httpURL(text, what: "the account's `url`")
                    return text
                })
                if url == nil { failed = true }
            case "poll":
                poll = readPollOverride(value, reader: reader)
                if let poll { pollOverrides.append((poll, reader.location(value))) } else { failed = true }
            case "reposts":
                blueskyOnly.append(key.location)
                reposts = reader.bool(value, of: "`reposts`")
                if reposts == nil { failed = true }
            case "replies":
                blueskyOnly.append(key.location)
                replies = reader.parse(value, of: "`replies`", { (text: String) throws(ConfigValueError) -> PlatformOptions.Replies in
                    guard let replies = PlatformOptions.Replies(rawValue: text) else {
                        throw ConfigValueError("`replies` is one of \(PlatformOptions.Replies.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")), not `\(text)`")
                    }
                    return replies
                })
                if replies == nil { failed = true }
            default:
                platforms.append((Platform(rawValue: key.value)!, value))
            }
        }
        let location = reader.location(node)
        guard platforms.count == 1 else {
            if platforms.isEmpty, !hadUnknownKey {
                diagnostics.error(location, "this account has no platform key: give exactly one of "
                    + "\(platformKeys.joined(separator: ", ")) (e.g. `telegram: channel_name`)")
            } else if platforms.count > 1 {
                diagnostics.error(location, "this account has \(platforms.count) platform keys "
                    + "(\(platforms.map(\.0.rawValue).joined(separator: ", "))): give each account its own `- ` entry")
            }
            return nil
        }
        let (platform, handleNode) = platforms[0]
        if platform != .bluesky {
            for location in blueskyOnly {
                diagnostics.error(location, "`reposts` and `replies` apply to Bluesky accounts only: remove it from this \(platform.rawValue) account")
                failed = true
            }
        }
        guard let handle = reader.parse(handleNode, of: "the \(platform.rawValue) account", { (text: String) throws(ConfigValueError) -> String in
            try AccountHandleSyntax.check(text, platform: platform)
            return text
        }), !failed else { return nil }
        return (Account(platform: platform, handle: handle, url: "", poll: poll, reposts: reposts, replies: replies),
                reader.location(handleNode), url)
    }

    private func readPollOverride(_ node: Node, reader: NodeReader) -> PollOverride? {
        guard let members = reader.members(node, of: "an account's `poll`", allowed: ["interval", "min_interval", "max_interval"]) else {
            return nil
        }
        var poll = PollOverride()
        var failed = false
        for (key, value) in members {
            guard let seconds = reader.duration(value, of: "`poll.\(key.value)`") else { failed = true; continue }
            switch key.value {
            case "interval": poll.interval = seconds
            case "min_interval": poll.minInterval = seconds
            default: poll.maxInterval = seconds
            }
        }
        return failed ? nil : poll
    }
}

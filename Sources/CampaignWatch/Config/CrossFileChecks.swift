import CampaignWatchCore
import Foundation

/// Checks that need every file read: unique ids, references between subjects, elections and
/// rules, rule queries, and the warnings that do not fail a load.
extension LoadSession {
    func checkAcrossFiles() {
        checkUnique(elections.map(\.id), kind: "election")
        checkUnique(subjects.map(\.id), kind: "subject")
        checkUnique(rules.map(\.id), kind: "rule")
        checkAccounts()
        for (poll, location) in pollOverrides { checkPollOverride(poll, at: location) }
        if !incomplete {
            checkSubjectElections()
            checkRuleSelectors()
        }
        checkQueries()

        if subjects.isEmpty, diagnostics.errors.isEmpty {
            diagnostics.error(mainFile, "no subject is configured, so nothing would be watched: add `subjects:` or include a "
                + "watchlist (e.g. `include: [watchlists.d/*.yaml, watchlists.d/*.csv]`)")
        }
        if rules.isEmpty, writtenRuleNames.isEmpty {
            diagnostics.warning(mainFile, "no rule is configured, so nothing can be flagged: include the rule files "
                + "(e.g. `rules.d/*.yaml`)")
        }
        for draft in subjects where draft.subject.accounts.isEmpty {
            diagnostics.warning(draft.id.location, "subject `\(draft.id.value)` has no accounts: nothing of it is watched until you add some")
        }
        let used = Set(rules.filter { rule in elections.contains { RuleSelection.selects($0.election, rule.rule) } }.map(\.rule.id))
        for draft in rules where !used.contains(draft.rule.id) && !elections.isEmpty {
            diagnostics.warning(draft.id.location, "rule `\(draft.rule.id)` is used by no election (none names it or one of its tags "
                + "in `rules`): it never flags anything")
        }
    }

    func checkUnique(_ ids: [Located<String>], kind: String) {
        var first: [String: ConfigLocation] = [:]
        for id in ids {
            if let earlier = first[id.value] {
                diagnostics.error(id.location, "duplicate \(kind) id `\(id.value)`: it is first defined at \(earlier); "
                    + "give each \(kind) its own id")
            } else {
                first[id.value] = id.location
            }
        }
    }

    private func checkAccounts() {
        var first: [String: (subject: String, location: ConfigLocation)] = [:]
        for draft in subjects {
            for (account, location) in zip(draft.subject.accounts, draft.accountLocations) {
                let key = account.platform == .mastodon ? account.key.lowercased() : account.key
                if let earlier = first[key] {
                    let whose = earlier.subject == draft.subject.id ? "this subject" : "subject `\(earlier.subject)`"
                    diagnostics.error(location, "the \(account.platform.rawValue) account `\(account.handle)` is already watched for "
                        + "\(whose) at \(earlier.location): list each account once")
                } else {
                    first[key] = (draft.subject.id, location)
                }
            }
        }
    }

    private func checkPollOverride(_ poll: PollOverride, at location: ConfigLocation) {
        let minimum = poll.minInterval ?? settings.poll.minInterval
        let maximum = poll.maxInterval ?? settings.poll.maxInterval
        if minimum > maximum {
            diagnostics.error(location, "this account's `poll.min_interval` (\(Self.seconds(minimum))) is longer than its "
                + "`max_interval` (\(Self.seconds(maximum))): make the minimum the smaller one")
        } else if let interval = poll.interval, !(minimum...maximum).contains(interval) {
            diagnostics.error(location, "this account's `poll.interval` (\(Self.seconds(interval))) must lie between "
                + "\(Self.seconds(minimum)) and \(Self.seconds(maximum)) (its or the global `min_interval` and `max_interval`)")
        }
    }

    private func checkSubjectElections() {
        let known = writtenElectionIDs.sorted()
        for draft in subjects {
            for reference in draft.electionRefs where !writtenElectionIDs.contains(reference.value) {
                let list = known.isEmpty ? "no election is configured" : "elections: \(known.joined(separator: ", "))"
                diagnostics.error(reference.location, "subject `\(draft.id.value)` names the unknown election `\(reference.value)`"
                    + "\(NearestName.hint(reference.value, among: known)) (\(list))")
            }
        }
    }

    private func checkRuleSelectors() {
        let ids = rules.map(\.rule.id)
        var tags: [String] = []
        for rule in rules { for tag in rule.rule.tags where !tags.contains(tag) { tags.append(tag) } }
        for draft in elections {
            for selector in draft.selectors ?? [] where !writtenRuleNames.contains(selector.value) {
                let hint = NearestName.hint(selector.value, among: ids + tags)
                let context = rules.isEmpty ? "no rules are loaded: check that `include` pulls in the rule files"
                    : "a selector names a rule id or a rule tag"
                diagnostics.error(selector.location, "election `\(draft.id.value)` selects `\(selector.value)`, which is neither a "
                    + "rule id nor a rule tag\(hint) (\(context))")
            }
        }
    }

    func checkQueries() {
        for draft in rules {
            for problem in queryValidator(draft.rule) {
                var location = draft.query
                var message = "rule `\(draft.rule.id)`: \(problem.message)"
                if let column = problem.column {
                    if let start = draft.queryColumn {
                        location.column = start + column - 1
                    } else {
                        message += " (at character \(column) of the query)"
                    }
                }
                diagnostics.error(location, message)
            }
        }
    }
}

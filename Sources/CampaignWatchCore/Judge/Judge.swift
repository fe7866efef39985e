import Foundation

/// Decides whether a post is campaigning in a prohibited period: post × subject × elections ×
/// rule matches → findings. Pure: everything it needs comes in as values.
///
/// For each election of the subject (in the subject's order):
/// - the post is judged at its `JudgedTime` (platform time, else first seen); the period that
///   instant lies in decides; an instant in no period is not judged;
/// - a new post, or a changed one not alerted on before, with matches of the election's rules
///   inside a prohibited period is a `violation`;
/// - if the platform says when it was edited (or, for a changed post, when the new version was
///   seen) and that lies in a prohibited period while publication did not, the version is
///   judged there instead: content put up during silence is campaigning during silence. For a
///   first sighting with matches this is a `violation`; a changed post edited inside a
///   prohibited period is an `edit` (without `refers_to`) whatever it matches, as alerts.md
///   says of "one edited inside a prohibited period";
/// - a changed post alerted on before in this election is an `edit` referring to that alert,
///   whatever it now matches (the author removing the words is itself evidence);
/// - a gone post alerted on before in this election is a `deletion` referring to that alert.
public enum Judge {
    public static func findings(for input: JudgeInput, configuration: Configuration) -> [Finding] {
        var findings: [Finding] = []
        let published = JudgedTime.of(platformTime: input.post.publishedAt, firstSeen: input.firstSeenAt)
        for electionID in input.subject.elections {
            guard let election = configuration.election(id: electionID) else { continue }
            let matches = selectedMatches(input.matches, election: election, configuration: configuration)
            let prior = priorAlert(in: input.event, electionID: electionID)

            switch input.event {
            case .gone(let deletedAt, _):
                guard let prior, let period = election.period(at: published.instant) else { continue }
                findings.append(Finding(kind: .deletion, election: election, period: period, judgedTime: published,
                                        matches: matches, refersTo: prior, deletedAt: deletedAt))

            case .changed(let previous, _):
                if let prior {
                    guard let period = election.period(at: published.instant) else { continue }
                    findings.append(Finding(kind: .edit, election: election, period: period, judgedTime: published,
                                            matches: matches, refersTo: prior, previous: previous))
                    continue
                }
                if !matches.isEmpty, let period = election.period(at: published.instant), period.prohibited {
                    findings.append(Finding(kind: .violation, election: election, period: period, judgedTime: published,
                                            matches: matches))
                } else if let edited = editTime(input, changed: true), let period = election.period(at: edited.instant),
                          period.prohibited {
                    // Any watched post edited inside a prohibited period (alerts.md), whatever it
                    // matches: touching a post during the silence is itself worth a look.
                    findings.append(Finding(kind: .edit, election: election, period: period, judgedTime: edited,
                                            matches: matches, previous: previous))
                }

            case .new:
                guard !matches.isEmpty else { continue }
                if let period = election.period(at: published.instant), period.prohibited {
                    findings.append(Finding(kind: .violation, election: election, period: period, judgedTime: published,
                                            matches: matches))
                } else if let edited = editTime(input, changed: false), let period = election.period(at: edited.instant),
                          period.prohibited {
                    findings.append(Finding(kind: .violation, election: election, period: period, judgedTime: edited,
                                            matches: matches))
                }
            }
        }
        return findings
    }

    /// The findings as complete alerts, created at `now`.
    public static func alerts(for input: JudgeInput, configuration: Configuration, now: Date) -> [Alert] {
        findings(for: input, configuration: configuration).map {
            Alert(finding: $0, input: input, configuration: configuration, createdAt: now)
        }
    }

    /// The matches of the rules `election` selects, in configuration order; matches of rules
    /// no longer configured are dropped.
    public static func selectedMatches(_ matches: [RuleMatch], election: Election, configuration: Configuration) -> [RuleMatch] {
        guard !matches.isEmpty else { return [] }
        var byRule: [String: RuleMatch] = [:]
        for match in matches where !match.terms.isEmpty || byRule[match.rule] == nil {
            byRule[match.rule] = match
        }
        return configuration.rules.compactMap { rule in
            guard RuleSelection.selects(election, rule) else { return nil }
            return byRule[rule.id]
        }
    }

    /// When this version's content was put up, if it differs from publication: the platform's
    /// edit time when usable, else (for a changed post) when the new version was first seen.
    static func editTime(_ input: JudgeInput, changed: Bool) -> JudgedTime? {
        if let editedAt = input.post.editedAt {
            let time = JudgedTime.of(platformTime: editedAt, firstSeen: input.versionSeenAt)
            if time.basis == .published || changed { return time }
            return nil
        }
        return changed ? JudgedTime(instant: input.versionSeenAt, basis: .observed) : nil
    }

    private static func priorAlert(in event: PostEvent, electionID: String) -> String? {
        switch event {
        case .new: nil
        case .changed(_, let prior), .gone(_, let prior): prior.first { $0.electionID == electionID }?.alertID
        }
    }
}

import Foundation

extension Alert {
    /// The complete alert for a finding of the judge. `evidence.raw_sha256` is filled when the
    /// post kept its raw bytes; the archive path and the chain position are the evidence
    /// store's to add.
    public init(finding: Finding, input: JudgeInput, configuration: Configuration, createdAt: Date) {
        let post = input.post
        let election = finding.election
        id = AlertID.make(electionID: election.id, subjectID: input.subject.id, platform: input.account.platform,
                          postID: post.id, kind: finding.kind, contentSHA256: input.contentSHA256)
        kind = finding.kind
        self.createdAt = createdAt
        self.election = ElectionInfo(id: election.id, name: election.name, timeZone: election.timeZone)
        period = PeriodInfo(kind: finding.period.kind, from: finding.period.from, to: finding.period.to,
                            prohibited: finding.period.prohibited)
        subject = SubjectInfo(id: input.subject.id, name: input.subject.name, role: input.subject.role,
                              district: input.subject.district, tags: input.subject.tags)
        account = AccountInfo(platform: input.account.platform, handle: input.account.handle, url: input.account.publicURL)
        self.post = PostInfo(id: post.id, url: post.url, author: post.author, publishedAt: post.publishedAt,
                             editedAt: post.editedAt, observedAt: input.versionSeenAt, timeBasis: finding.judgedTime.basis,
                             judgedAt: finding.judgedTime.instant, text: post.text, contentSHA256: input.contentSHA256,
                             title: post.title, declaredAt: post.declaredAt)
        matches = finding.matches.map { match in
            let rule = configuration.rule(id: match.rule)
            let terms = match.terms.sorted {
                ($0.field == .title ? 0 : 1, $0.start, $0.end, $0.term) < ($1.field == .title ? 0 : 1, $1.start, $1.end, $1.term)
            }.map {
                TermInfo(term: $0.term, start: $0.start, end: $0.end,
                         snippet: Snippet.around($0.field == .title ? post.title ?? "" : post.text, start: $0.start, end: $0.end),
                         field: $0.field)
            }
            return MatchInfo(rule: match.rule, severity: rule?.severity ?? .medium, description: rule?.description ?? "",
                             terms: terms)
        }
        evidence = EvidenceInfo(rawSHA256: post.raw.map { Hex.sha256($0) })
        previous = finding.previous
        refersTo = finding.refersTo
        deletedAt = finding.deletedAt
    }
}

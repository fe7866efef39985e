import ArgumentParser
import CampaignWatch
import CampaignWatchCore
import Foundation

/// `campaignwatch match`: try rules on a text, or on many posts as JSON Lines.
struct MatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Matches a text (argument or stdin), or many posts, against the campaign-keyword rules.",
        discussion: """
            Shows the text as the matcher reads it (normalised), then each rule that matched with its \
            terms marked in the original text (colour on a terminal, [brackets] when piped).
            The rules are those of the configuration (--config), or of --rules files instead.
            --subject ID binds @names to that subject's names; with --at TIME as well, shows for each \
            of the subject's elections the period TIME falls in and whether the text, posted by the \
            subject then, would alert. TIME is an instant (2023-03-18T12:00:00Z, …+06:00) or a \
            wall-clock time (2023-03-18T12:00), read in each election's own time zone.
            With --jsonl, reads one JSON object a line ({"id", "text", optional "title", "subject", \
            "published_at"}) and prints one JSON line per post that matched; a post's "subject" \
            (else --subject) binds @names.

            Exit status: 0 a rule matched (any post, with --jsonl); 1 nothing matched; 64 wrong usage \
            (an unknown subject, a TIME that cannot be read); 65 a JSONL line that cannot be read \
            (the other lines are still matched); 66 an input that cannot be read; 78 a configuration \
            or rules file with an error.
            """
    )

    @OptionGroup var options: ConfigOption

    @Option(name: .long, help: ArgumentHelp(
        "A rules file (YAML with a top-level `rules:` list), or a directory of them (its *.yaml, *.yml), instead of the configuration's rules; repeat for several.",
        valueName: "FILE"))
    var rules: [String] = []

    @Option(name: .long, help: ArgumentHelp("Match many posts: a JSON Lines file, or - for stdin.", valueName: "FILE"))
    var jsonl: String?

    @Option(name: .long, help: ArgumentHelp("Judge as posted by this subject of the configuration (its names for @names).", valueName: "ID"))
    var subject: String?

    @Option(name: .long, help: ArgumentHelp("With --subject: judge as posted at this time (period, would it alert).", valueName: "TIME"))
    var at: String?

    @Option(name: .customLong("name"), help: ArgumentHelp("A name @names stands for (repeat for several); instead of --subject.", valueName: "NAME"))
    var names: [String] = []

    @Argument(help: "The text to match; read from stdin when absent.")
    var text: String?

    func validate() throws {
        if jsonl != nil && text != nil {
            throw ValidationError("give either a TEXT or --jsonl FILE, not both")
        }
        if at != nil && subject == nil {
            throw ValidationError("--at needs --subject ID: the periods are those of the subject's elections")
        }
        if at != nil && jsonl != nil {
            throw ValidationError("--at judges one TEXT; with --jsonl each post has its own published_at")
        }
        if subject != nil && !names.isEmpty {
            throw ValidationError("give either --subject ID (its names) or --name NAME, not both")
        }
    }

    func run() throws {
        // The configuration is read unless --rules replaces all that is needed of it.
        let configuration = rules.isEmpty || subject != nil ? try ConfigLoading.load(options.config) : nil
        var definitions = configuration?.rules ?? []
        if !rules.isEmpty { definitions = try loadRulesFiles() }
        let engine = try compile(definitions)
        var judged = configuration
        judged?.rules = definitions
        let when = try at.map(parseTime)
        var subject: Subject?
        if let id = self.subject, let configuration {
            subject = try find(id, in: configuration)
        }
        let binding = subject.map(engine.bind(subject:)) ?? (names.isEmpty ? nil : engine.bind(names: names))
        if let jsonl {
            // Posts that name a subject need the configuration: with --rules, it is read at the first.
            var loaded = judged
            let subjects = { () throws -> Configuration in
                if let loaded { return loaded }
                let configuration = try ConfigLoading.load(options.config)
                loaded = configuration
                return configuration
            }
            throw try matchLines(jsonl, engine: engine, names: binding, subjects: subjects)
        }
        let input = try text ?? readAll(FileHandle.standardInput, name: "stdin")
        let preview: ((_ matches: [RuleMatch]) -> [JudgePreview.Entry])? = if let subject, let when, let judged {
            { JudgePreview.preview(subject: subject, at: when, configuration: judged, matches: $0) }
        } else {
            nil
        }
        throw showMatches(input, engine: engine, names: binding, preview: preview)
    }

    private func loadRulesFiles() throws -> [RuleDefinition] {
        var definitions: [RuleDefinition] = []
        var problems: [String] = []
        for path in rules.flatMap(RulesFile.files(at:)) {
            do {
                definitions += try RulesFile.load(path)
            } catch {
                problems.append(error.description)
            }
        }
        guard problems.isEmpty else {
            printError(problems.joined(separator: "\n"))
            throw ExitStatus.configError
        }
        return definitions
    }

    private func compile(_ definitions: [RuleDefinition]) throws -> RuleEngine {
        do {
            return try RuleEngine(rules: definitions)
        } catch {
            printError(error.description)
            throw ExitStatus.configError
        }
    }

    private func parseTime(_ text: String) throws -> JudgePreview.At {
        do {
            return try JudgePreview.At.parse(text)
        } catch {
            printError("campaignwatch match: --at: \(error.message)")
            throw ExitStatus.usage
        }
    }

    private func find(_ id: String, in configuration: Configuration) throws -> Subject {
        if let subject = configuration.subject(id: id) { return subject }
        let known = configuration.subjects.map(\.id)
        let hint = known.first { $0.lowercased() == id.lowercased() }.map { " (did you mean `\($0)`?)" } ?? ""
        printError("campaignwatch match: no subject `\(id)` in \(options.config)\(hint); subjects: "
            + (known.count > 20 ? known.prefix(20).joined(separator: ", ") + ", …" : known.joined(separator: ", ")))
        throw ExitStatus.usage
    }

    private func showMatches(
        _ input: String, engine: RuleEngine, names: NameBinding?, preview: ((_ matches: [RuleMatch]) -> [JudgePreview.Entry])?
    ) -> ExitCode {
        let colour = isatty(STDOUT_FILENO) == 1 && ProcessInfo.processInfo.environment["NO_COLOR"] == nil
        let matches = engine.makeMatcher().match(text: input, names: names)
        var out = "normalised: \(engine.normalised(input))\n"
        if matches.isEmpty {
            out += "no rule matched\n"
        }
        for match in matches {
            let rule = engine.rule(id: match.rule)
            out += "\n\(match.rule) (\(rule?.severity.rawValue ?? "?")): \(rule?.description ?? "")\n"
            out += "  " + MatchReport.highlight(input, ranges: match.terms.map { $0.start..<$0.end }, colour: colour)
                .replacingOccurrences(of: "\n", with: "\n  ") + "\n"
            out += "  terms: " + match.terms.map { "\($0.term) \($0.start)-\($0.end)" }.joined(separator: ", ") + "\n"
        }
        if let preview {
            let entries = preview(matches)
            out += "\n"
            if entries.isEmpty { out += "the subject takes part in no election of the configuration: not judged\n" }
            for entry in entries { out += entry.description + "\n" }
        }
        FileHandle.standardOutput.write(Data(out.utf8))
        return matches.isEmpty ? ExitStatus.failure : ExitStatus.success
    }

    private func matchLines(
        _ path: String, engine: RuleEngine, names: NameBinding?, subjects: () throws -> Configuration
    ) throws -> ExitCode {
        let handle: FileHandle
        if path == "-" {
            handle = .standardInput
        } else if let file = FileHandle(forReadingAtPath: path) {
            handle = file
        } else {
            printError("campaignwatch match: cannot read \(path)")
            throw ExitStatus.noInput
        }
        let matcher = engine.makeMatcher()
        var badLines = 0, matchedPosts = 0
        var bindings: [String: NameBinding] = [:]
        var output = Data()
        try JSONLines.forEachLine(handle) { number, line in
            guard !line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) else { return }
            let post: JSONLines.Post
            do {
                post = try JSONLines.post(line)
            } catch {
                printError("\(path == "-" ? "stdin" : path):\(number): \(error)")
                badLines += 1
                return
            }
            var binding = names
            if let id = post.subject {
                guard let subject = try subjects().subject(id: id) else {
                    printError("\(path == "-" ? "stdin" : path):\(number): no subject `\(id)` in \(options.config)")
                    badLines += 1
                    return
                }
                binding = bindings[id] ?? engine.bind(subject: subject)
                bindings[id] = binding
            }
            let matches = matcher.match(text: post.text, title: post.title, names: binding)
            guard !matches.isEmpty else { return }
            matchedPosts += 1
            output.append(contentsOf: MatchReport.jsonLine(id: post.id, matches: matches).utf8)
            output.append(0x0A)
            if output.count > 1 << 16 {
                FileHandle.standardOutput.write(output)
                output.removeAll(keepingCapacity: true)
            }
        }
        FileHandle.standardOutput.write(output)
        if badLines > 0 { return ExitStatus.dataError }
        return matchedPosts > 0 ? ExitStatus.success : ExitStatus.failure
    }

    private func readAll(_ handle: FileHandle, name: String) throws -> String {
        do {
            return String(decoding: try handle.readToEnd() ?? Data(), as: UTF8.self)
        } catch {
            printError("campaignwatch match: cannot read \(name): \(error.localizedDescription)")
            throw ExitStatus.noInput
        }
    }
}

fileprivate func printError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}

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
            With --jsonl, reads one JSON object a line ({"id", "text", optional "title", "subject", \
            "published_at"}) and prints one JSON line per post that matched.

            Exit status: 0 a rule matched (any post, with --jsonl); 1 nothing matched; 64 wrong usage; \
            65 a JSONL line that cannot be read (the other lines are still matched); 66 an input \
            that cannot be read; 78 a rules file with an error.
            """
    )

    @Option(name: .long, help: ArgumentHelp(
        "A rules file (YAML with a top-level `rules:` list), or a directory of them (its *.yaml, *.yml); repeat for several.",
        valueName: "FILE"))
    var rules: [String] = []

    @Option(name: .long, help: ArgumentHelp("Match many posts: a JSON Lines file, or - for stdin.", valueName: "FILE"))
    var jsonl: String?

    @Option(name: .customLong("name"), help: ArgumentHelp("A name @names stands for (repeat for several).", valueName: "NAME"))
    var names: [String] = []

    @Argument(help: "The text to match; read from stdin when absent.")
    var text: String?

    func validate() throws {
        if jsonl != nil && text != nil {
            throw ValidationError("give either a TEXT or --jsonl FILE, not both")
        }
    }

    func run() throws {
        let engine = try loadEngine()
        let binding = names.isEmpty ? nil : engine.bind(names: names)
        if let jsonl {
            throw try matchLines(jsonl, engine: engine, names: binding)
        }
        let input = try text ?? readAll(FileHandle.standardInput, name: "stdin")
        throw showMatches(input, engine: engine, names: binding)
    }

    /// The rules to match with. (`--config` and `--subject ID --at TIME` come in here when the
    /// configuration loader provides rules, subjects and periods.)
    private func loadEngine() throws -> RuleEngine {
        guard !rules.isEmpty else {
            printError("campaignwatch match: no rules; give a rules file with --rules FILE")
            throw ExitStatus.usage
        }
        var definitions: [RuleDefinition] = []
        var problems: [String] = []
        for path in rules.flatMap(RulesFile.files(at:)) {
            do {
                definitions += try RulesFile.load(path)
            } catch {
                problems.append(error.description)
            }
        }
        do {
            if problems.isEmpty { return try RuleEngine(rules: definitions) }
        } catch {
            problems.append(error.description)
        }
        printError(problems.joined(separator: "\n"))
        throw ExitStatus.configError
    }

    private func showMatches(_ input: String, engine: RuleEngine, names: NameBinding?) -> ExitCode {
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
        FileHandle.standardOutput.write(Data(out.utf8))
        return matches.isEmpty ? ExitStatus.failure : ExitStatus.success
    }

    private func matchLines(_ path: String, engine: RuleEngine, names: NameBinding?) throws -> ExitCode {
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
            let matches = matcher.match(text: post.text, title: post.title, names: names)
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

import ArgumentParser

/// `make bench` runs this release-built executable; each subcommand prints one benchmark's figures.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaignwatch-bench",
        abstract: "Prints campaignwatch's throughput figures (build with -c release).",
        subcommands: [AllBenches.self, ParseBench.self, MatchBench.self, FetchBench.self, PollBench.self]
    )
}

/// `campaignwatch-bench all` (what `make bench` runs): every benchmark with its defaults.
struct AllBenches: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "all", abstract: "Runs every benchmark with its defaults.")

    func run() async throws {
        for command in BenchCommand.configuration.subcommands where command != AllBenches.self {
            let parsed = try command.parseAsRoot([])
            if var asynchronous = parsed as? AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = parsed
                try synchronous.run()
            }
        }
    }
}

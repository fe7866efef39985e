import ArgumentParser

/// `make bench` runs this release-built executable; each subcommand prints one benchmark's figures.
@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaignwatch-bench",
        abstract: "Prints campaignwatch's throughput figures (build with -c release).",
        subcommands: [MatchBench.self, FetchBench.self]
    )
}

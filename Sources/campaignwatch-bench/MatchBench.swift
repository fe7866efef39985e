import ArgumentParser
import CampaignWatchCore
import Foundation

/// `campaignwatch-bench match`: compiles 10,000 generated rules (words, wildcards, phrases, NEAR,
/// some with @names) and matches them against generated posts in Russian, Kazakh and English,
/// normalisation included. Prints compile time, matching throughput (MB/s of post text, one
/// core) and peak RSS. Posts are generated in batches outside the timed loop, so the RSS is the
/// engine's and a batch's, not 100 MB of text.
struct MatchBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "match",
        abstract: "Rule matching: 10,000 rules over 100 MB of generated posts (normalisation included)."
    )

    @Option(help: "Number of generated rules.") var rules = 10_000
    @Option(help: "Megabytes (10^6 bytes of UTF-8) of post text to match.") var megabytes = 100
    @Option(help: "Random seed.") var seed: UInt64 = 20_230_319
    @Option(help: ArgumentHelp("Also write the text (text.txt) and the rules' plain words (words.txt) here, for scripts/bench-ahocorasick.py.", valueName: "DIR"))
    var dump: String?
    @Flag(inversion: .prefixedNo, help: "Also time the one-rule engine (off: a profile of the 10,000-rule matcher alone).")
    var baseline = true

    func run() throws {
        var random = SplitMix(seed: seed)
        let corpus = BenchCorpus()
        let definitions = corpus.rules(rules, &random)
        let clock = ContinuousClock()

        let compileStart = clock.now
        let compileCPUStart = threadCPUSeconds()
        let engine = try RuleEngine(rules: definitions)
        let compileCPU = threadCPUSeconds() - compileCPUStart
        let compileTime = clock.now - compileStart
        let stats = engine.statistics
        print("rules: \(definitions.count) compiled in \(Int(compileCPU * 1000)) ms of CPU (\(milliseconds(compileTime)) ms wall; "
            + "\(stats.words) distinct words, \(stats.terms) shared terms, \(stats.keys) keys in the word table, "
            + "programs \(stats.programBytes / 1024) KB)")

        let names = engine.bind(names: ["Марат Жыланбаев", "Жыланбаев", "Zhylanbayev"])
        let matcher = engine.makeMatcher()
        // The same posts through an engine of one rule: what normalising and tokenising cost alone.
        let baseline = try RuleEngine(rules: [RuleDefinition(id: "baseline", query: "голосуйте")]).makeMatcher()
        var textFile: FileHandle?
        if let dump {
            try FileManager.default.createDirectory(atPath: dump, withIntermediateDirectories: true)
            _ = FileManager.default.createFile(atPath: dump + "/text.txt", contents: nil)
            textFile = FileHandle(forWritingAtPath: dump + "/text.txt")
            try corpus.plainWords(definitions).joined(separator: "\n").write(toFile: dump + "/words.txt", atomically: true, encoding: .utf8)
        }

        let target = megabytes * 1_000_000
        var bytes = 0, posts = 0, matchedPosts = 0, ruleMatches = 0
        var elapsed = Duration.zero
        var cpu = 0.0, baselineCPU = 0.0
        while bytes < target {
            let batch = corpus.posts(bytes: min(4_000_000, target - bytes), &random)
            let start = clock.now
            let cpuStart = threadCPUSeconds()
            for post in batch {
                let found = matcher.match(text: post, names: names)
                ruleMatches += found.count
                if !found.isEmpty { matchedPosts += 1 }
            }
            cpu += threadCPUSeconds() - cpuStart
            elapsed += clock.now - start
            if self.baseline {
                let baselineCPUStart = threadCPUSeconds()
                for post in batch { _ = baseline.match(text: post) }
                baselineCPU += threadCPUSeconds() - baselineCPUStart
            }
            for post in batch { bytes += post.utf8.count }
            posts += batch.count
            if let textFile { for post in batch { textFile.write(Data((post + "\n").utf8)) } }
        }
        try textFile?.close()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let mb = Double(bytes) / 1e6
        // CPU time of this thread: on a shared machine, time spent waiting for a core is not the matcher's.
        print(String(format: "matched %.1f MB (%d posts) in %.2f s of CPU (%.2f s wall): %.1f MB/s on one core",
                     mb, posts, cpu, seconds, mb / cpu))
        print("posts with a match: \(matchedPosts) (\(ruleMatches) rule matches)")
        if self.baseline {
            print(String(format: "normalisation and tokenising alone (an engine of 1 rule): %.1f MB/s", mb / baselineCPU))
        }
        print("peak RSS: \(peakResidentMegabytes()) MB")
    }

    private func milliseconds(_ d: Duration) -> Int {
        Int(d.components.seconds * 1000 + d.components.attoseconds / 1_000_000_000_000_000)
    }

    private func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    private func peakResidentMegabytes() -> Int {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return usage.ru_maxrss / 1024
    }
}

/// The core's SplitMix64 generator, so every run matches the same text.
typealias SplitMix = SeededRandom

extension SeededRandom {
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
    mutating func chance(_ percent: Int) -> Bool { below(100) < percent }
    mutating func pick<T>(_ items: [T]) -> T { items[below(items.count)] }
}

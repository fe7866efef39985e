import ArgumentParser
import CampaignWatchCore
import Foundation

/// `campaignwatch-bench parse`: feed parsing throughput and memory on generated feeds.
struct ParseBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parses generated Cyrillic/Latin feeds (RSS, Atom, JSON Feed) and prints MB/s, items/s and peak RSS."
    )

    @Option(help: "Size of each generated feed in megabytes (10^6 bytes).")
    var megabytes: Int = 50

    @Option(help: "Formats to measure, comma-separated: rss, atom, jsonfeed.")
    var formats: String = "rss,atom,jsonfeed"

    @Option(help: "Also write the generated feeds to this directory (feed.rss.xml, feed.atom.xml, feed.json).")
    var writeTo: String?

    @Option(help: "Runs per format; the fastest is reported.")
    var runs: Int = 3

    @Option(help: "Measure these feed files (comma-separated) instead of generated ones.")
    var files: String?

    @Option(help: .hidden)
    var memoryProbe: String?

    @Flag(help: .hidden)
    var streaming = false

    func run() async throws {
        if let memoryProbe {
            // A child process measuring one parse's peak RSS on its own.
            let document = Array(try Data(contentsOf: URL(fileURLWithPath: memoryProbe)))
            // Reading the file held it twice (Data and the array); count from here on.
            ProcessMemory.resetPeak()
            let before = ProcessMemory.residentBytes()
            var count = 0
            if streaming {
                _ = try FeedParser.parse(document, options: FeedParseOptions(keepRaw: false)) { _ in count += 1 }
            } else {
                count = try FeedParser.parse(document).posts.count
            }
            print("\(ProcessMemory.peakBytes()) \(before) \(count)")
            return
        }
        if let files {
            for path in files.split(separator: ",").map(String.init) {
                let document = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
                try measure(URL(fileURLWithPath: path).lastPathComponent, document, expected: nil)
            }
            return
        }
        let size = megabytes * 1_000_000
        print("feed parsing, \(megabytes) MB per format, best of \(runs) runs, one thread (MB = 10^6 bytes)")
        for name in formats.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) {
            var corpus = BenchFeedCorpus()
            let (document, expected): ([UInt8], Int)
            let file: String
            switch name {
            case "rss": (document, expected) = corpus.rss(bytes: size); file = "feed.rss.xml"
            case "atom": (document, expected) = corpus.atom(bytes: size); file = "feed.atom.xml"
            case "jsonfeed": (document, expected) = corpus.jsonFeed(bytes: size); file = "feed.json"
            default: throw ValidationError("unknown format \(name)")
            }
            if let writeTo {
                try FileManager.default.createDirectory(atPath: writeTo, withIntermediateDirectories: true)
                try Data(document).write(to: URL(fileURLWithPath: writeTo).appendingPathComponent(file))
            }
            try measure(name, document, expected: expected)
            if name == "jsonfeed" { try measureJSONSerialization(document) }
        }
    }

    private func measure(_ name: String, _ document: [UInt8], expected: Int?) throws {
        let megabytes = Double(document.count) / 1e6
        var best = (cpu: Double.infinity, wall: Double.infinity)
        var items = 0
        for _ in 0..<runs {
            let cpuStart = CPUClock.thread(), wallStart = CPUClock.wall()
            let feed = try FeedParser.parse(document, source: FeedSource(url: "https://candidate.example.kz/feed"))
            let cpu = CPUClock.thread() - cpuStart, wall = CPUClock.wall() - wallStart
            if let expected, feed.posts.count != expected {
                throw ValidationError("\(name): expected \(expected) posts, parsed \(feed.posts.count)")
            }
            items = feed.posts.count
            if cpu < best.cpu { best = (cpu, wall) }
        }
        // Memory, each in a fresh process: all posts kept (with raw XML), and streamed.
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-bench-\(getpid())-\(name)")
        try Data(document).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let kept = try probe(file.path, streaming: false)
        let streamed = try probe(file.path, streaming: true)
        let mib = { (bytes: Int) in String(format: "%.0f MiB", Double(bytes) / 1_048_576) }
        print(String(format: "%@: %.1f MB, %d items: %.3f s CPU (%.3f s wall) -> %.1f MB/s, %.0f items/s",
                     name.padding(toLength: 8, withPad: " ", startingAt: 0), megabytes, items, best.cpu, best.wall,
                     megabytes / best.cpu, Double(items) / best.cpu))
        print("          peak RSS: \(mib(kept.peak)) keeping all \(kept.count) posts with their raw items; "
              + "\(mib(streamed.peak)) streaming them (input \(mib(document.count)), "
              + "\(mib(streamed.before)) resident before parsing)")
    }

    /// Foundation's JSONSerialization on the same bytes, building only its object tree: the
    /// yardstick for reading JSON Feed with our own reader.
    private func measureJSONSerialization(_ document: [UInt8]) throws {
        let data = Data(document)
        var best = Double.infinity
        for _ in 0..<runs {
            let start = CPUClock.thread()
            _ = try JSONSerialization.jsonObject(with: data)
            best = min(best, CPUClock.thread() - start)
        }
        print(String(format: "          JSONSerialization alone (object tree, no posts): %.3f s CPU -> %.1f MB/s",
                     best, Double(document.count) / 1e6 / best))
    }

    private func probe(_ path: String, streaming: Bool) throws -> (peak: Int, before: Int, count: Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CommandLine.arguments[0])
        process.arguments = ["parse", "--memory-probe", path] + (streaming ? ["--streaming"] : [])
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let fields = output.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { Int($0) }
        guard fields.count == 3 else { throw ValidationError("memory probe failed: \(output)") }
        return (fields[0], fields[1], fields[2])
    }
}

enum CPUClock {
    static func thread() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    static func wall() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// Resident memory from /proc (Linux): the current size, and the peak since the last reset.
enum ProcessMemory {
    /// Writing 5 to clear_refs resets VmHWM to the current RSS (Linux 4.0+).
    static func resetPeak() {
        try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)
    }

    static func peakBytes() -> Int { statusField("VmHWM:") }
    static func residentBytes() -> Int { statusField("VmRSS:") }

    private static func statusField(_ name: String) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix(name) {
            let digits = line.split(separator: " ").dropFirst().first.flatMap { Int($0) } ?? 0
            return digits * 1024
        }
        return 0
    }
}

import Foundation
import Testing

/// `campaignwatch verify` and `campaignwatch evidence` on the state the demo leaves, and the
/// bundle checked the way its README says: sha256sum, a few lines of Python, unzip.
@Suite(.serialized) struct EvidenceCommandTests {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-evidence-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var state: String { directory.appendingPathComponent("state").path }

    func demo() async throws {
        let config = CLI.repositoryRoot.appendingPathComponent("config/campaignwatch.yaml").path
        let result = try await CLI.run(["demo", "--config", config, "--spool", directory.appendingPathComponent("spool").path,
                                  "--state", state], currentDirectory: directory)
        try #require(result.status == 0, "\(result.stderr)")
    }

    func tool(_ path: String, _ arguments: [String], in directory: String) async throws -> (status: Int32, output: String) {
        let result = try await CLI.runProgram(URL(fileURLWithPath: path), arguments, currentDirectory: URL(fileURLWithPath: directory))
        return (result.status, result.stdout + result.stderr)
    }

    /// The Python lines of the bundle's README, between its markers.
    func checkScript(_ readme: String) -> String {
        var lines: [Substring] = []
        var inside = false
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line == "--- check.py ---" { inside = true; continue }
            if line == "--- end ---" { break }
            if inside { lines.append(line) }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func verifyHoldsAndABundleChecksWithStandardToolsThenAFlippedByteIsFound() async throws {
        try await demo()
        var verify = try await CLI.run(["verify", "--state-dir", state])
        #expect(verify.status == 0, "\(verify.stdout)\(verify.stderr)")
        #expect(verify.stdout.hasPrefix("evidence holds: "))

        let spooled = try FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("spool/new").path)
        let id = try #require(spooled.sorted().first).replacingOccurrences(of: ".json", with: "")
        let out = directory.appendingPathComponent("bundle").path
        let export = try await CLI.run(["evidence", id, "--out", out, "--state-dir", state])
        #expect(export.status == 0, "\(export.stderr)")
        let files = try FileManager.default.subpathsOfDirectory(atPath: out)
        for expected in ["alert.json", "alerts/\(id).json", "versions.json", "chain.jsonl", "manifest.sha256", "README.txt"] {
            #expect(files.contains(expected), "\(expected) in the bundle")
        }
        #expect(files.contains { $0.hasPrefix("objects/") })
        let alert = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/alert.json"))) as? [String: Any]
        #expect(alert?["id"] as? String == id)

        let sums = try await tool("/usr/bin/sha256sum", ["-c", "manifest.sha256"], in: out)
        #expect(sums.status == 0, "\(sums.output)")
        #expect(!sums.output.contains("FAILED"))

        let readme = try String(contentsOfFile: out + "/README.txt", encoding: .utf8)
        let script = checkScript(readme)
        #expect(script.contains("hashlib"))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            try script.write(toFile: directory.appendingPathComponent("check.py").path, atomically: true, encoding: .utf8)
            let python = try await tool("/usr/bin/python3", [directory.appendingPathComponent("check.py").path], in: out)
            #expect(python.status == 0, "\(python.output)")
            #expect(python.output.hasPrefix("bundle holds:"))
        }

        // The zip holds the same files in one folder.
        let zipped = try await CLI.run(["evidence", id, "--out", directory.appendingPathComponent("bundle-z").path, "--zip", "--state-dir", state])
        #expect(zipped.status == 0, "\(zipped.stderr)")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip") {
            let test = try await tool("/usr/bin/unzip", ["-t", "bundle-z.zip"], in: directory.path)
            #expect(test.status == 0, "\(test.output)")
            #expect(test.output.contains("bundle-z/manifest.sha256"))
            let unpacked = try await tool("/usr/bin/unzip", ["-q", "bundle-z.zip", "-d", "unzipped"], in: directory.path)
            #expect(unpacked.status == 0)
            let again = try await tool("/usr/bin/sha256sum", ["-c", "manifest.sha256"], in: directory.appendingPathComponent("unzipped/bundle-z").path)
            #expect(again.status == 0, "\(again.output)")
        }

        // A byte flipped in a bundle's object: sha256sum and the script both catch it.
        let object = try #require(files.first { $0.hasPrefix("objects/") })
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: out + "/" + object)))
        bytes[0] ^= 0x20
        try Data(bytes).write(to: URL(fileURLWithPath: out + "/" + object))
        let broken = try await tool("/usr/bin/sha256sum", ["-c", "--quiet", "manifest.sha256"], in: out)
        #expect(broken.status != 0)
        #expect(broken.output.contains("\(object): FAILED"))
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            let python = try await tool("/usr/bin/python3", [directory.appendingPathComponent("check.py").path], in: out)
            #expect(python.status != 0)
        }

        // A byte flipped in the state's archive: verify names the object and exits 1.
        let evidence = state + "/evidence"
        let archived = try #require(try FileManager.default.subpathsOfDirectory(atPath: evidence).sorted().first { $0.hasSuffix(".gz") })
        var gz = [UInt8](try Data(contentsOf: URL(fileURLWithPath: evidence + "/" + archived)))
        gz[gz.count - 9] ^= 0x01
        try Data(gz).write(to: URL(fileURLWithPath: evidence + "/" + archived))
        verify = try await CLI.run(["verify", "--state-dir", state])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("evidence/" + archived))
        #expect(verify.stdout.contains("evidence does NOT hold: 1 problem(s)"))
    }

    @Test func anUnknownAlertOrAMissingStateIsAClearError() async throws {
        try await demo()
        let unknown = try await CLI.run(["evidence", "0123456789abcdef0123456789abcdef", "--out", directory.appendingPathComponent("x").path,
                                   "--state-dir", state])
        #expect(unknown.status == 1)
        #expect(unknown.stderr.contains("no alert 0123456789abcdef0123456789abcdef"))
        let missing = try await CLI.run(["verify", "--state-dir", directory.appendingPathComponent("nowhere").path])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no state database"))
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("nowhere").path))
    }
}

import Foundation
import Testing

/// The unit as shipped: systemd must accept it and rate its hardening 2.0 or better, and
/// `make install` must put everything in place without overwriting an operator's configuration.
@Suite struct SystemdUnitTests {
    static let unit = CLI.repositoryRoot.appendingPathComponent("systemd/campaignwatch.service")

    /// systemd-analyze checks that ExecStart= names an executable: the built one stands in for
    /// the installed path.
    func unitForAnalysis() async throws -> (URL, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-unit-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/campaignwatch", with: CLI.executable.path)
        let copy = directory.appendingPathComponent("campaignwatch.service")
        try Data(text.utf8).write(to: copy)
        return (copy, text)
    }

    static func systemdAnalyze(_ arguments: [String]) async throws -> CLIResult {
        try await CLIResult.run("/usr/bin/systemd-analyze", arguments)
    }

    @Test func unitDeclaresTheServiceProtocol() async throws {
        let text = try String(contentsOf: Self.unit, encoding: .utf8)
        for line in ["Type=notify", "ExecReload=/bin/kill -HUP $MAINPID", "WatchdogSec=", "Restart=on-failure",
                     "RestartPreventExitStatus=78", "User=campaignwatch", "StateDirectory=campaignwatch",
                     "ExecStart=/usr/local/bin/campaignwatch run --config /etc/campaignwatch/campaignwatch.yaml"] {
            #expect(text.contains("\n" + line), "missing \(line)")
        }
        let sysusers = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("systemd/campaignwatch.sysusers"), encoding: .utf8)
        #expect(sysusers.contains("u campaignwatch "))
        #expect(sysusers.contains("g campaignwatch-alerts "))
        let tmpfiles = try String(contentsOf: CLI.repositoryRoot.appendingPathComponent("systemd/campaignwatch.tmpfiles"), encoding: .utf8)
        #expect(tmpfiles.contains("d /var/spool/campaignwatch/new 2770 campaignwatch campaignwatch-alerts"))
    }

    @Test func systemdAnalyzeVerifyPasses() async throws {
        let (copy, _) = try await unitForAnalysis()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let result = try await Self.systemdAnalyze(["verify", copy.path])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(!result.stderr.contains(copy.lastPathComponent), "warnings about the unit: \(result.stderr)")
    }

    @Test func securityExposureIsAtMostTwo() async throws {
        let (copy, _) = try await unitForAnalysis()
        defer { try? FileManager.default.removeItem(at: copy.deletingLastPathComponent()) }
        let result = try await Self.systemdAnalyze(["security", "--offline=yes", "--no-pager", copy.path])
        let line = try #require(result.stdout.split(separator: "\n").first { $0.contains("Overall exposure level") },
                                "\(result.stdout)\(result.stderr)")
        let score = try #require(line.split(separator: ":").last?.split(separator: " ").first.flatMap { Double($0) }, "\(line)")
        #expect(score <= 2.0, "\(line)")
    }

    /// systemd's own tools read the sysusers.d and tmpfiles.d files into a scratch root: the user,
    /// the consumers' group and the spool with its set-group-id directories.
    @Test func sysusersAndTmpfilesCreateTheUserAndTheSpool() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-root-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root.appendingPathComponent("etc"), withIntermediateDirectories: true)
        let systemd = CLI.repositoryRoot.appendingPathComponent("systemd")
        let users = try await CLIResult.run("/usr/bin/systemd-sysusers", ["--root=\(root.path)", systemd.appendingPathComponent("campaignwatch.sysusers").path])
        #expect(users.status == 0, "\(users.stderr)")
        let passwd = try String(contentsOf: root.appendingPathComponent("etc/passwd"), encoding: .utf8)
        let user = try #require(passwd.split(separator: "\n").first { $0.hasPrefix("campaignwatch:") })
        #expect(user.hasSuffix(":/var/lib/campaignwatch:/usr/sbin/nologin"))
        let groups = try String(contentsOf: root.appendingPathComponent("etc/group"), encoding: .utf8)
        let alertsGroup = try #require(groups.split(separator: "\n").first { $0.hasPrefix("campaignwatch-alerts:") })
        let gid = try #require(Int(alertsGroup.split(separator: ":")[2]))

        let files = try await CLIResult.run("/usr/bin/systemd-tmpfiles", ["--root=\(root.path)", "--create",
                                                                     systemd.appendingPathComponent("campaignwatch.tmpfiles").path])
        #expect(files.status == 0, "\(files.stderr)")
        for (directory, mode) in [("", 0o2750), ("/tmp", 0o2750), ("/new", 0o2770), ("/cur", 0o2770)] {
            let attributes = try FileManager.default.attributesOfItem(atPath: root.path + "/var/spool/campaignwatch" + directory)
            #expect((attributes[.posixPermissions] as? Int) == mode, "\(directory)")
            #expect((attributes[.groupOwnerAccountID] as? Int) == gid, "\(directory)")
        }
    }

    @Test func makeInstallHonoursDestdirAndKeepsAConfiguration() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("campaignwatch-install-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let make = ["make", "-s", "-C", CLI.repositoryRoot.path, "install-files", "DESTDIR=\(root.path)", "PREFIX=/usr",
                    "INSTALL_BINARY=\(CLI.executable.path)"]
        let first = try await CLIResult.run("/usr/bin/env", make)
        #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
        let files = ["usr/bin/campaignwatch", "usr/lib/systemd/system/campaignwatch.service", "usr/lib/sysusers.d/campaignwatch.conf",
                     "usr/lib/tmpfiles.d/campaignwatch.conf", "etc/campaignwatch/campaignwatch.yaml",
                     "etc/campaignwatch/rules.d/call-to-vote.yaml", "usr/share/doc/campaignwatch/README.md"]
        for file in files {
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(file).path), "\(file) not installed")
        }
        let unit = try String(contentsOf: root.appendingPathComponent("usr/lib/systemd/system/campaignwatch.service"), encoding: .utf8)
        #expect(unit.contains("ExecStart=/usr/bin/campaignwatch run --config /etc/campaignwatch/campaignwatch.yaml"))
        // The installed example is a valid configuration pointing at the system directories.
        let config = root.appendingPathComponent("etc/campaignwatch/campaignwatch.yaml")
        let example = try String(contentsOf: config, encoding: .utf8)
        #expect(example.contains("state_dir: /var/lib/campaignwatch"))
        #expect(example.contains("dir: /var/spool/campaignwatch"))
        let check = try await CLI.run(["check", "--config", config.path])
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")

        // A second install keeps the operator's edits.
        try Data("# edited by the operator\n".utf8).write(to: config)
        let second = try await CLIResult.run("/usr/bin/env", make)
        #expect(second.status == 0)
        #expect(second.stdout.contains("kept the existing configuration"))
        #expect(try String(contentsOf: config, encoding: .utf8) == "# edited by the operator\n")

        let uninstall = try await CLIResult.run("/usr/bin/env", ["make", "-s", "-C", CLI.repositoryRoot.path, "uninstall",
                                                           "DESTDIR=\(root.path)", "PREFIX=/usr"])
        #expect(uninstall.status == 0, "\(uninstall.stderr)")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("usr/bin/campaignwatch").path))
        #expect(FileManager.default.fileExists(atPath: config.path))
    }
}

/// Any program run to completion, output collected.
struct CLIResult {
    var status: Int32
    var stdout: String
    var stderr: String

    static func run(_ executable: String, _ arguments: [String]) async throws -> CLIResult {
        var environment = ProcessInfo.processInfo.environment
        environment["SYSTEMD_COLORS"] = "0"
        let result = try await CLI.runProgram(URL(fileURLWithPath: executable), arguments, environment: environment)
        return CLIResult(status: result.status, stdout: result.stdout, stderr: result.stderr)
    }
}

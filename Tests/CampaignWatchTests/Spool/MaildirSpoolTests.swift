@testable import CampaignWatch
import Foundation
import Glibc
import Testing

@Suite struct MaildirSpoolTests {
    @Test func createsTheMaildirLayoutWithModes() throws {
        let dir = try TemporaryDirectory()
        let spool = try MaildirSpool(directory: dir.path + "/spool")
        for sub in ["", "/tmp", "/new", "/cur"] {
            var info = stat()
            #expect(stat(spool.directory + sub, &info) == 0)
            #expect(info.st_mode & 0o777 == 0o750, "\(sub) has mode \(String(info.st_mode & 0o777, radix: 8))")
        }
    }

    @Test func deliversIntoNewWithMode0640AndNothingLeftInTmp() throws {
        let dir = try TemporaryDirectory()
        let spool = try MaildirSpool(directory: dir.path)
        let body = Array("{\"id\":\"abc\"}\n".utf8)
        #expect(try spool.deliver(id: "abc", fileExtension: "json", contents: body) == .written)
        let written = try Data(contentsOf: dir.file("new/abc.json"))
        #expect([UInt8](written) == body)
        var info = stat()
        #expect(stat(dir.path + "/new/abc.json", &info) == 0)
        #expect(info.st_mode & 0o777 == 0o640)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp").isEmpty)
    }

    @Test func removesPartialFilesOfWritersThatAreGoneAndKeepsLiveOnes() throws {
        let dir = try TemporaryDirectory()
        let spool = try MaildirSpool(directory: dir.path)
        // A process that has exited: its pid names no process now.
        let gone = Process()
        gone.executableURL = URL(fileURLWithPath: "/bin/true")
        try gone.run()
        gone.waitUntilExit()
        let live = Process()
        live.executableURL = URL(fileURLWithPath: "/bin/sleep")
        live.arguments = ["30"]
        try live.run()
        defer { live.terminate() }
        let files = [
            "dead.json.\(gone.processIdentifier)": true,
            "mine.json.\(getpid())": false,
            "live.json.\(live.processIdentifier)": false,
            "unnamed": false,
        ]
        for name in files.keys { try Data("{".utf8).write(to: dir.file("tmp/\(name)")) }
        // Older than 36 hours: removed whoever wrote it.
        let old = dir.path + "/tmp/old.json.\(getpid())"
        try Data("{".utf8).write(to: URL(fileURLWithPath: old))
        var times = [timespec(tv_sec: time(nil) - 40 * 3600, tv_nsec: 0), timespec(tv_sec: time(nil) - 40 * 3600, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, old, &times, 0) == 0)

        #expect(try spool.removeStaleTemporaries() == 2)
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/tmp"))
        #expect(left == Set(files.filter { !$0.value }.keys))
    }

    @Test func neverWritesTheSameAlertTwiceWhereverAConsumerMovedIt() throws {
        let dir = try TemporaryDirectory()
        let spool = try MaildirSpool(directory: dir.path)
        #expect(try spool.deliver(id: "a1", fileExtension: "json", contents: [1]) == .written)
        #expect(try spool.deliver(id: "a1", fileExtension: "json", contents: [2]) == .alreadyPresent)
        // A maildir reader takes it: new/ → cur/ with flags appended after ':'.
        try FileManager.default.moveItem(atPath: dir.path + "/new/a1.json", toPath: dir.path + "/cur/a1.json:2,S")
        #expect(try spool.deliver(id: "a1", fileExtension: "json", contents: [3]) == .alreadyPresent)
        // The format changed between runs: the eml copy of the same alert is still the same alert.
        #expect(try spool.deliver(id: "a1", fileExtension: "eml", contents: [4]) == .alreadyPresent)
        #expect(try spool.presentIDs() == ["a1"])
        #expect(try spool.backlog() == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path + "/new").isEmpty)
    }

    @Test func backlogCountsOnlyAlertFilesInNew() throws {
        let dir = try TemporaryDirectory()
        let spool = try MaildirSpool(directory: dir.path)
        _ = try spool.deliver(id: "x", fileExtension: "json", contents: [1])
        _ = try spool.deliver(id: "y", fileExtension: "eml", contents: [1])
        _ = FileManager.default.createFile(atPath: dir.path + "/new/.hidden", contents: Data())
        #expect(try spool.backlog() == 2)
    }

    @Test func anUnwritableSpoolIsATransientErrorThatNamesThePath() throws {
        guard getuid() != 0 else {
            // root ignores directory permissions; the full-disk case is covered by the pipeline tests.
            let dir = try TemporaryDirectory()
            let spool = try MaildirSpool(directory: dir.path)
            try FileManager.default.removeItem(atPath: dir.path + "/tmp")
            #expect(throws: SystemError.self) { try spool.deliver(id: "z", fileExtension: "json", contents: [1]) }
            return
        }
        let dir = try TemporaryDirectory()
        let spool = try MaildirSpool(directory: dir.path)
        chmod(dir.path + "/tmp", 0o500)
        defer { chmod(dir.path + "/tmp", 0o750) }
        do {
            _ = try spool.deliver(id: "z", fileExtension: "json", contents: [1])
            Issue.record("expected a failure")
        } catch {
            #expect(error.isTransient)
            #expect(error.description.contains(dir.path))
        }
    }
}

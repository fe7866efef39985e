import Foundation
import Glibc

/// The alert spool: a maildir (`tmp/`, `new/`, `cur/`) that consumers read.
///
/// A file's name is the alert's id plus the format's extension, so a second write of the same
/// alert — after a restart, a replay or a crash between writing and recording it — is found and
/// skipped. Consumers move files from `new/` to `cur/`, possibly appending `:2,S`-style flags;
/// the daemon never touches `cur/`, it only looks there.
public struct MaildirSpool: Sendable {
    public enum Delivery: Sendable, Hashable {
        case written
        /// A file for this alert is already in `new/` or `cur/`.
        case alreadyPresent
    }

    public let directory: String
    static let extensions = ["json", "eml"]

    /// Opens the spool, creating the three directories (mode 0750) when missing.
    public init(directory: String) throws(SystemError) {
        self.directory = directory.hasSuffix("/") && directory.count > 1 ? String(directory.dropLast()) : directory
        for sub in ["", "/tmp", "/new", "/cur"] {
            let path = self.directory + sub
            if mkdir(path, 0o750) == -1 && errno != EEXIST {
                throw SystemError("create spool directory \(path)")
            }
        }
    }

    /// Delivers one alert file unless a file for `id` is already in the spool.
    public func deliver(id: String, fileExtension: String, contents: [UInt8]) throws(SystemError) -> Delivery {
        if try contains(id: id) { return .alreadyPresent }
        let name = "\(id).\(fileExtension)"
        let temporary = "\(directory)/tmp/\(name).\(getpid())"
        try DurableFile.write(contents, to: "\(directory)/new/\(name)", mode: 0o640, temporaryPath: temporary)
        return .written
    }

    /// Whether a file for `id` (in any format, with any maildir flags) is in `new/` or `cur/`.
    public func contains(id: String) throws(SystemError) -> Bool {
        for ext in Self.extensions where access("\(directory)/new/\(id).\(ext)", F_OK) == 0 {
            return true
        }
        for ext in Self.extensions where access("\(directory)/cur/\(id).\(ext)", F_OK) == 0 {
            return true
        }
        // A maildir reader may have renamed the file in cur/ to `<id>.<ext>:2,S`.
        return try ids(in: "cur", matching: id)
    }

    /// Every alert id present in `new/` and `cur/`.
    public func presentIDs() throws(SystemError) -> Set<String> {
        var found = Set<String>()
        for sub in ["new", "cur"] {
            for name in try entries(of: sub) {
                if let id = Self.alertID(fromFileName: name) { found.insert(id) }
            }
        }
        return found
    }

    /// Removes what writers that died mid-write left in `tmp/`: files named `<alert>.<ext>.<pid>`
    /// whose process no longer runs, and any file older than 36 hours (the maildir rule). The
    /// alert of such a file is still pending in the store and is written again in full. Returns
    /// the number of files removed.
    @discardableResult
    public func removeStaleTemporaries(now: Date = Date()) throws(SystemError) -> Int {
        var removed = 0
        for name in try entries(of: "tmp") {
            let path = "\(directory)/tmp/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let age = now.timeIntervalSince1970 - Double(info.st_mtim.tv_sec)
            var stale = age > 36 * 3600
            if !stale, let dot = name.lastIndex(of: "."), let pid = pid_t(name[name.index(after: dot)...]), pid > 0,
               pid != getpid() {
                stale = kill(pid, 0) == -1 && errno == ESRCH
            }
            guard stale else { continue }
            if unlink(path) == 0 { removed += 1 } else if errno != ENOENT { throw SystemError("remove \(path)") }
        }
        return removed
    }

    /// Files in `new/` waiting for a consumer: the spool backlog.
    public func backlog() throws(SystemError) -> Int {
        try entries(of: "new").filter { Self.alertID(fromFileName: $0) != nil }.count
    }

    /// `3f6c….json:2,S` → `3f6c…`; nil for names that are not alert files.
    static func alertID(fromFileName name: String) -> String? {
        let base = name.split(separator: ":", maxSplits: 1).first.map(String.init) ?? name
        guard let dot = base.lastIndex(of: ".") else { return nil }
        guard extensions.contains(String(base[base.index(after: dot)...])) else { return nil }
        let id = String(base[..<dot])
        return id.isEmpty ? nil : id
    }

    private func ids(in sub: String, matching id: String) throws(SystemError) -> Bool {
        try entries(of: sub).contains { Self.alertID(fromFileName: $0) == id }
    }

    private func entries(of sub: String) throws(SystemError) -> [String] {
        let path = "\(directory)/\(sub)"
        guard let dir = opendir(path) else { throw SystemError("read \(path)") }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}

import CampaignWatchCore
import Foundation
import Glibc

/// The raw bytes of every post version and of the responses they came in, gzip-compressed and
/// content-addressed: `state_dir/evidence/ab/abcdef….gz` holds bytes whose SHA-256 is `abcdef…`
/// (the hash of the bytes as served, not of the compressed file). An object is written once;
/// the same bytes seen again are already there.
///
/// Objects are written to a hidden `.…tmp` file in their shard directory and renamed into place,
/// so a reader never sees a partial object. They are not fsynced one by one (that would cost a disk flush per post on
/// the polling path): like the state database in WAL mode with `synchronous = NORMAL`, the last
/// seconds before a power cut may be lost, and `campaignwatch verify` names any object a link
/// refers to that is missing.
public struct EvidenceArchive: Sendable {
    /// `state_dir/evidence`.
    public let directory: String
    /// `state_dir`: archive paths in alerts and bundles are relative to it.
    public let stateDir: String

    public static func directory(stateDir: String) -> String {
        (stateDir as NSString).appendingPathComponent("evidence")
    }

    public init(stateDir: String) {
        self.stateDir = stateDir
        directory = Self.directory(stateDir: stateDir)
    }

    /// `evidence/ab/abcdef….gz`: the path of an object relative to `state_dir`, as alerts show it.
    public static func relativePath(sha256: String) -> String {
        "evidence/\(sha256.prefix(2))/\(sha256).gz"
    }

    public func path(sha256: String) -> String {
        (stateDir as NSString).appendingPathComponent(Self.relativePath(sha256: sha256))
    }

    public struct Stored: Sendable, Hashable {
        public var sha256: String
        /// Relative to `state_dir`.
        public var relativePath: String
        /// False when the object was already in the archive.
        public var written: Bool
    }

    /// Stores `bytes` (unless an object with their hash exists) and returns their hash.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws(EvidenceError) -> Stored {
        let sha = Hex.sha256(bytes)
        return try put(bytes, sha256: sha)
    }

    /// `put` with the hash already computed by the caller.
    public func put(_ bytes: [UInt8], sha256 sha: String) throws(EvidenceError) -> Stored {
        let target = path(sha256: sha)
        var info = stat()
        if stat(target, &info) == 0 {
            return Stored(sha256: sha, relativePath: Self.relativePath(sha256: sha), written: false)
        }
        let compressed: [UInt8]
        do {
            // Level 1: the archive is written on the polling path; small items compress nearly
            // as well at the fastest level.
            compressed = try Gzip.compress(bytes, level: 1)
        } catch {
            throw EvidenceError.archive("cannot compress an object: \(error)")
        }
        do {
            // The partial file goes next to its final name: the rename stays inside one of 256
            // shard directories, so concurrent writers do not all queue on one directory's lock.
            // Directories are made when a call says they are missing, not checked before each object.
            let shard = directory + "/" + sha.prefix(2)
            let temporary = shard + "/.\(sha).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
            var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            if fd == -1 && errno == ENOENT {
                try makeDirectory(shard)
                fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            }
            try SystemError.check("create \(temporary)", fd)
            do {
                try DurableFile.writeAll(fd, compressed, temporary)
            } catch {
                close(fd)
                unlink(temporary)
                throw error
            }
            try SystemError.check("close \(temporary)", close(fd))
            if rename(temporary, target) == -1 {
                let error = SystemError("rename \(temporary) to \(target)")
                unlink(temporary)
                throw error
            }
        } catch {
            throw EvidenceError.archive("\(error)")
        }
        return Stored(sha256: sha, relativePath: Self.relativePath(sha256: sha), written: true)
    }

    public enum ObjectState: Sendable, Hashable {
        case intact([UInt8])
        case missing
        /// Unreadable, not gzip, or its bytes hash to something else than its name.
        case damaged(String)
    }

    /// Reads an object back and checks that its bytes still hash to its name.
    public func read(sha256 sha: String, limit: Int = 1 << 30) -> ObjectState {
        let target = path(sha256: sha)
        guard let data = FileManager.default.contents(atPath: target) else {
            return access(target, F_OK) == 0 ? .damaged("\(target): cannot be read") : .missing
        }
        let bytes: [UInt8]
        do {
            bytes = try Gzip.decompress([UInt8](data), format: .gzip, limit: limit)
        } catch {
            return .damaged("\(Self.relativePath(sha256: sha)): \(error)")
        }
        let actual = Hex.sha256(bytes)
        guard actual == sha else {
            return .damaged("\(Self.relativePath(sha256: sha)): its bytes hash to \(actual)")
        }
        return .intact(bytes)
    }

    private func makeDirectory(_ path: String) throws(SystemError) {
        if mkdir(path, 0o750) == 0 || errno == EEXIST { return }
        if errno == ENOENT {
            // state_dir/evidence itself is missing (first object).
            try SystemError.check("mkdir \(directory)", mkdir(directory, 0o750) == 0 || errno == EEXIST ? 0 : -1)
            if mkdir(path, 0o750) == 0 || errno == EEXIST { return }
        }
        throw SystemError("mkdir \(path)")
    }
}

public struct EvidenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public static func archive(_ message: String) -> EvidenceError { EvidenceError(message: "evidence archive: \(message)") }
}

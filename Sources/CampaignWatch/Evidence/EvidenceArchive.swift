import CampaignWatchCore
import Foundation
import Glibc
import Logging

/// The raw bytes of every post version and of the responses they came in, gzip-compressed and
/// content-addressed by the SHA-256 of the bytes as served (not of the compressed form).
///
/// Two places hold objects:
/// - **packs** (`state_dir/evidence/pack/NNNNNN.pack`, `EvidencePack`): the polling path appends
///   each poll's new objects to a pack in one write; each version row in the database says where
///   its objects lie, written in the same transaction as the version;
/// - **loose files** (`state_dir/evidence/ab/abcdef….gz`, `zcat … | sha256sum` prints the name):
///   written for every object an alert refers to before the alert reaches the spool, so the path
///   in `evidence.archive` can be opened with standard tools; archives written before packs
///   existed hold every object this way.
///
/// Neither is fsynced object by object (that would cost a disk flush per poll): like the state
/// database in WAL mode with `synchronous = NORMAL`, the last seconds before a power cut may be
/// lost, and `campaignwatch verify` names any object the record refers to that is missing.
public struct EvidenceArchive: Sendable {
    /// `state_dir/evidence`.
    public let directory: String
    /// `state_dir`: archive paths in alerts and bundles are relative to it.
    public let stateDir: String
    /// The database naming where packed objects lie; nil: loose objects only.
    let store: StateStore?
    let writer: EvidencePackWriter?

    /// A pack grows to about this size before the next one is started.
    public static let defaultPackLimit = 256 << 20

    public static func directory(stateDir: String) -> String {
        (stateDir as NSString).appendingPathComponent("evidence")
    }

    /// Loose objects only (no index): for reading an archive file by file.
    public init(stateDir: String) {
        self.stateDir = stateDir
        directory = Self.directory(stateDir: stateDir)
        store = nil
        writer = nil
    }

    /// Packs whose places `store` records, and loose objects. Nothing is opened until the first
    /// object is packed.
    public init(stateDir: String, store: StateStore, logger: Logger? = nil, packLimit: Int = EvidenceArchive.defaultPackLimit) {
        self.stateDir = stateDir
        self.store = store
        directory = Self.directory(stateDir: stateDir)
        writer = EvidencePackWriter(directory: directory + "/" + EvidencePack.directoryName, limit: packLimit, logger: logger,
                                    indexedEnd: { pack in try store.packEnd(pack) })
    }

    /// `evidence/ab/abcdef….gz`: the path of an object relative to `state_dir`, as alerts show it.
    public static func relativePath(sha256: String) -> String {
        "evidence/\(sha256.prefix(2))/\(sha256).gz"
    }

    /// The loose file of an object.
    public func path(sha256: String) -> String {
        (stateDir as NSString).appendingPathComponent(Self.relativePath(sha256: sha256))
    }

    /// `state_dir/evidence/pack/NNNNNN.pack`.
    public func packPath(_ pack: Int) -> String {
        directory + "/" + EvidencePack.directoryName + "/" + EvidencePack.fileName(pack)
    }

    // MARK: Writing

    /// Packs the objects (each once, even if listed twice) and returns where they now lie, to be
    /// recorded with the versions naming them. Objects are not looked up first: a version seen
    /// before is never archived again, and the same bytes under two versions are rare enough to
    /// be stored twice rather than cost every poll a lookup.
    public func pack(_ objects: [(sha256: String, bytes: [UInt8])]) throws(EvidenceError) -> [PackedObject] {
        guard let writer else { throw EvidenceError.archive("no database to record packed objects in") }
        var seen = Set<String>()
        return try writer.append(objects.filter { seen.insert($0.sha256).inserted })
    }

    /// Opens the newest pack for appending, cutting a record a killed writer left torn at the
    /// end of any pack no other process holds (the daemon calls it at start-up).
    public func prepare() throws(EvidenceError) {
        try writer?.prepare()
    }

    /// Releases the pack this process appends to (on shutdown).
    public func close() {
        writer?.close()
    }

    /// Writes `bytes` as a loose object (unless one with their hash exists) and returns their hash.
    @discardableResult
    public func putLoose(_ bytes: [UInt8]) throws(EvidenceError) -> Stored {
        let sha = Hex.sha256(bytes)
        if access(path(sha256: sha), F_OK) == 0 { return Stored(sha256: sha, relativePath: Self.relativePath(sha256: sha), written: false) }
        let gzip: [UInt8]
        do {
            gzip = try Gzip.compress(bytes, level: 1)
        } catch {
            throw EvidenceError.archive("cannot compress an object: \(error)")
        }
        try writeLoose(gzip: gzip, sha256: sha)
        return Stored(sha256: sha, relativePath: Self.relativePath(sha256: sha), written: true)
    }

    public struct Stored: Sendable, Hashable {
        public var sha256: String
        /// Relative to `state_dir`.
        public var relativePath: String
        /// False when the object was already in the archive.
        public var written: Bool
    }

    /// Makes sure the raw object an alert names (`raw_sha256` of the version it judges) has its
    /// loose file, `evidence/ab/abcdef….gz`, so that the path in the alert opens with standard
    /// tools.
    public func publish(sha256 sha: String, accountKey: String, postID: String, contentSHA256: String) throws(EvidenceError) {
        guard access(path(sha256: sha), F_OK) != 0 else { return }
        let place: PackedObject?
        do {
            place = try store?.packedRaw(accountKey: accountKey, postID: postID, contentSHA256: contentSHA256)
        } catch {
            throw EvidenceError.archive("\(error)")
        }
        guard let place, place.sha256 == sha else {
            throw EvidenceError.archive("object \(sha) is neither packed nor loose")
        }
        try publish(place)
    }

    /// Writes the loose file of a packed object (its gzip member, checked first) unless it is
    /// there already.
    public func publish(_ packed: PackedObject) throws(EvidenceError) {
        guard access(path(sha256: packed.sha256), F_OK) != 0 else { return }
        switch Reader(archive: self).member(packed) {
        case .intact(let gzip, _): try writeLoose(gzip: gzip, sha256: packed.sha256)
        case .missing: throw EvidenceError.archive("object \(packed.sha256) is missing: \(packPath(packed.pack)) is gone")
        case .damaged(let why): throw EvidenceError.archive(why)
        }
    }

    /// Writes a loose object from its gzip member: to a hidden `.…tmp` file in its shard
    /// directory, renamed into place, so a reader never sees a partial object.
    private func writeLoose(gzip: [UInt8], sha256 sha: String) throws(EvidenceError) {
        let target = path(sha256: sha)
        do throws(SystemError) {
            let shard = directory + "/" + sha.prefix(2)
            let temporary = shard + "/.\(sha).\(getpid()).\(UInt64.random(in: 0...UInt64.max)).tmp"
            var fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            if fd == -1 && errno == ENOENT {
                try makeDirectory(shard)
                fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            }
            try SystemError.check("create \(temporary)", fd)
            do {
                try DurableFile.writeAll(fd, gzip, temporary)
            } catch {
                Glibc.close(fd)
                unlink(temporary)
                throw error
            }
            try SystemError.check("close \(temporary)", Glibc.close(fd))
            if rename(temporary, target) == -1 {
                let error = SystemError("rename \(temporary) to \(target)")
                unlink(temporary)
                throw error
            }
        } catch {
            throw EvidenceError.archive("\(error)")
        }
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

    // MARK: Reading

    public enum ObjectState: Sendable, Hashable {
        case intact([UInt8])
        case missing
        /// Unreadable, not gzip, or its bytes hash to something else than its name.
        case damaged(String)
    }

    /// Reads the loose file of an object back and checks that its bytes still hash to its name.
    public func readLoose(sha256 sha: String, limit: Int = 1 << 30) -> ObjectState {
        let target = path(sha256: sha)
        guard let data = FileManager.default.contents(atPath: target) else {
            return access(target, F_OK) == 0 ? .damaged("\(Self.relativePath(sha256: sha)): cannot be read") : .missing
        }
        switch EvidencePack.check(gzip: [UInt8](data), sha256: sha, limit: limit) {
        case .intact(let bytes): return .intact(bytes)
        case .damaged(let why): return .damaged("\(Self.relativePath(sha256: sha)): \(why)")
        }
    }

    /// Reads packed objects, keeping each pack open while it is in use (for `verify` and
    /// bundles, which read many).
    public final class Reader {
        let archive: EvidenceArchive
        private var open: [Int: Int32] = [:]

        public init(archive: EvidenceArchive) {
            self.archive = archive
        }

        deinit {
            for fd in open.values { Glibc.close(fd) }
        }

        /// A packed object when its place is known, else the loose file.
        public func object(_ sha: String, packed: PackedObject?, limit: Int = 1 << 30) -> ObjectState {
            guard let packed else { return archive.readLoose(sha256: sha, limit: limit) }
            return read(packed, limit: limit)
        }

        public enum Member: Sendable, Hashable {
            case intact(gzip: [UInt8], bytes: [UInt8])
            case missing
            case damaged(String)
        }

        /// The object's bytes, checked: its record's header, its gzip member, its hash.
        public func read(_ packed: PackedObject, limit: Int = 1 << 30) -> ObjectState {
            switch member(packed, limit: limit) {
            case .intact(_, let bytes): .intact(bytes)
            case .missing: .missing
            case .damaged(let why): .damaged(why)
            }
        }

        public func member(_ packed: PackedObject, limit: Int = 1 << 30) -> Member {
            let name = "\(packed.sha256) in pack \(EvidencePack.fileName(packed.pack)) at \(packed.offset)"
            let fd: Int32
            if let known = open[packed.pack] {
                fd = known
            } else {
                fd = Glibc.open(archive.packPath(packed.pack), O_RDONLY | O_CLOEXEC)
                guard fd != -1 else {
                    return errno == ENOENT ? .missing : .damaged("\(name): \(SystemError("open \(archive.packPath(packed.pack))"))")
                }
                open[packed.pack] = fd
            }
            let headerAt = packed.offset - EvidencePack.recordHeaderSize
            guard headerAt >= EvidencePack.fileMagic.count else { return .damaged("\(name): not a record's place") }
            let record: [UInt8]?
            do {
                record = try EvidencePack.read(fd, offset: headerAt, count: EvidencePack.recordHeaderSize + packed.length)
            } catch {
                return .damaged("\(name): \(error)")
            }
            guard let record else { return .damaged("\(name): the pack ends before the record does") }
            guard let header = EvidencePack.Header(record.prefix(EvidencePack.recordHeaderSize)),
                  Hex.lower(header.sha256) == packed.sha256, header.length == packed.length else {
                return .damaged("\(name): the record's header does not name this object")
            }
            let gzip = Array(record[EvidencePack.recordHeaderSize...])
            switch EvidencePack.check(gzip: gzip, sha256: packed.sha256, limit: limit) {
            case .intact(let bytes): return .intact(gzip: gzip, bytes: bytes)
            case .damaged(let why): return .damaged("\(name): \(why)")
            }
        }
    }
}

public struct EvidenceError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    public var description: String { message }

    public static func archive(_ message: String) -> EvidenceError { EvidenceError(message: "evidence archive: \(message)") }
}

import CampaignWatchCore
import Foundation
import Glibc
import Logging
import Synchronization

/// Appends objects to the newest pack of `state_dir/evidence/pack`, one `pwrite` per batch (a
/// poll's new versions and their response).
///
/// A writer holds an exclusive `flock` on the pack it appends to, so two processes on one state
/// directory (the daemon and a `poll --once`) never append to the same pack: the second one
/// starts a new pack. The pack is opened at the first append. Opening cuts, in every pack no other
/// process holds, a torn record left at the end by a process killed mid-write (nothing the
/// database names is ever cut: only what follows the last record it names, and only from the
/// first record that is incomplete or does not check).
final class EvidencePackWriter: Sendable {
    /// `state_dir/evidence/pack`.
    let directory: String
    /// A pack grows to about this size, then the next one is started.
    let limit: Int
    /// The end of the last record the database names in a pack (nil: none).
    let indexedEnd: @Sendable (Int) throws -> Int?
    let logger: Logger?

    private struct Current {
        var fd: Int32 = -1
        var pack = 0
        /// Where the next record goes.
        var end = 0
    }

    /// Objects smaller than this (a feed item, a post's JSON) are stored uncompressed inside
    /// their gzip member: deflate saved about a third of a 600-byte item and cost some 20 µs
    /// of CPU each (Huffman trees are built per member whatever its size), the largest single
    /// cost of archiving a poll. Responses are larger and compress well.
    static let storedBelow = 2048

    private let current = Mutex(Current())
    private let compressors = Mutex<[GzipCompressor]>([])

    init(directory: String, limit: Int, logger: Logger?, indexedEnd: @escaping @Sendable (Int) throws -> Int?) {
        self.directory = directory
        self.limit = limit
        self.logger = logger
        self.indexedEnd = indexedEnd
    }

    deinit {
        close()
    }

    /// Compresses and appends `objects`; returns where each one lies, in the same order.
    func append(_ objects: [(sha256: String, bytes: [UInt8])]) throws(EvidenceError) -> [PackedObject] {
        guard !objects.isEmpty else { return [] }
        // Compression runs outside the lock: polls finishing together compress in parallel.
        let compressor = compressors.withLock { $0.popLast() } ?? GzipCompressor(level: 1)
        var batch: [UInt8] = []
        batch.reserveCapacity(objects.reduce(0) { $0 + $1.bytes.count / 2 + EvidencePack.recordHeaderSize + 64 })
        var members: [(start: Int, length: Int)] = []
        members.reserveCapacity(objects.count)
        do {
            for object in objects {
                guard let digest = Hex.bytes(object.sha256), digest.count == 32 else {
                    throw EvidenceError.archive("not a SHA-256: \(object.sha256)")
                }
                let headerAt = batch.count
                batch += EvidencePack.recordMagic
                batch += digest
                batch += [0, 0, 0, 0]
                let length: Int
                if object.bytes.count < Self.storedBelow {
                    let before = batch.count
                    Gzip.appendStored(object.bytes, to: &batch)
                    length = batch.count - before
                } else {
                    length = try compressor.compress(object.bytes, appendingTo: &batch)
                }
                guard length <= Int(UInt32.max) else { throw EvidenceError.archive("an object of \(length) compressed bytes is too large for a pack") }
                batch[headerAt + 36] = UInt8(length >> 24 & 0xFF)
                batch[headerAt + 37] = UInt8(length >> 16 & 0xFF)
                batch[headerAt + 38] = UInt8(length >> 8 & 0xFF)
                batch[headerAt + 39] = UInt8(length & 0xFF)
                members.append((headerAt + EvidencePack.recordHeaderSize, length))
            }
        } catch let error as EvidenceError {
            compressors.withLock { $0.append(compressor) }
            throw error
        } catch {
            compressors.withLock { $0.append(compressor) }
            throw EvidenceError.archive("cannot compress an object: \(error)")
        }
        compressors.withLock { $0.append(compressor) }

        let placed: (pack: Int, base: Int)
        do {
            placed = try current.withLock { (state) throws(SystemError) -> (pack: Int, base: Int) in
                if state.fd == -1 {
                    state = try self.openNewest(creating: true)!
                } else if state.end > EvidencePack.fileMagic.count && state.end + batch.count > limit {
                    Self.finish(state)
                    state = try self.create(after: state.pack)
                }
                let base = state.end
                do throws(SystemError) {
                    try Self.writeAll(state.fd, batch, at: base, pack: state.pack)
                } catch {
                    // A partial batch is cut at once, so the next batch follows whole records.
                    _ = ftruncate(state.fd, off_t(base))
                    throw error
                }
                state.end = base + batch.count
                return (state.pack, base)
            }
        } catch {
            throw EvidenceError.archive("\(error)")
        }
        return zip(objects, members).map { object, member in
            PackedObject(sha256: object.sha256, pack: placed.pack, offset: placed.base + member.start, length: member.length)
        }
    }

    /// Opens the pack to append to now, cutting torn tails (at start-up, so that what a killed
    /// process left is dealt with and logged at once). A new pack is only started by an append.
    func prepare() throws(EvidenceError) {
        do {
            try current.withLock { (state) throws(SystemError) in
                guard state.fd == -1 else { return }
                if let kept = try self.openNewest(creating: false) { state = kept }
            }
        } catch {
            throw EvidenceError.archive("\(error)")
        }
    }

    /// Flushes and closes the pack (releasing it to the next writer).
    func close() {
        current.withLock { state in
            guard state.fd != -1 else { return }
            Self.finish(state)
            state = Current()
        }
    }

    private static func finish(_ state: Current) {
        _ = fdatasync(state.fd)
        _ = Glibc.close(state.fd)
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], at offset: Int, pack: Int) throws(SystemError) {
        var done = 0
        while done < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                pwrite(fd, buffer.baseAddress! + done, buffer.count - done, off_t(offset + done))
            }
            if written == -1 && errno == EINTR { continue }
            try SystemError.check("write pack \(EvidencePack.fileName(pack))", written)
            done += written
        }
    }

    private func path(_ pack: Int) -> String { directory + "/" + EvidencePack.fileName(pack) }

    /// Cuts torn tails in every pack no one else holds, then keeps the newest one if it has
    /// room, else (`creating`) starts a new one.
    private func openNewest(creating: Bool) throws(SystemError) -> Current? {
        guard creating || access(directory, F_OK) == 0 else { return nil }
        try makeDirectories()
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory) else {
            throw SystemError("list \(directory)")
        }
        let packs = names.compactMap(EvidencePack.number(ofFile:)).sorted()
        var kept: Current?
        for pack in packs {
            guard let opened = try reopen(pack) else { continue }
            if pack == packs.last, opened.end < limit {
                kept = opened
            } else {
                Glibc.close(opened.fd)
            }
        }
        if let kept { return kept }
        return creating ? try create(after: packs.last ?? 0) : nil
    }

    /// Opens an existing pack for appending and cuts its torn tail; nil when another process
    /// holds it, or when it is not safe to append to (shorter than what the database names: the
    /// machine lost power before the pack reached the disk; `verify` names what is lost).
    private func reopen(_ pack: Int) throws(SystemError) -> Current? {
        let file = path(pack)
        let fd = Glibc.open(file, O_RDWR | O_CLOEXEC)
        guard fd != -1 else { return nil }
        guard Self.lockSoon(fd) else {
            Glibc.close(fd)
            return nil
        }
        do throws(SystemError) {
            var info = stat()
            try SystemError.check("stat \(file)", fstat(fd, &info))
            let size = Int(info.st_size)
            let indexed: Int?
            do {
                indexed = try indexedEnd(pack)
            } catch {
                throw SystemError("read the evidence index for \(file): \(error)", errno: EIO)
            }
            let magic = EvidencePack.fileMagic
            if size < magic.count {
                // Killed while the pack was being started: no record can be in it.
                guard indexed == nil else {
                    logger?.error("evidence pack \(file) is shorter than the records the database names; not appending to it")
                    Glibc.close(fd)
                    return nil
                }
                try SystemError.check("truncate \(file)", ftruncate(fd, 0))
                try Self.writeAll(fd, magic, at: 0, pack: pack)
                return Current(fd: fd, pack: pack, end: magic.count)
            }
            guard try EvidencePack.read(fd, offset: 0, count: magic.count) == magic else {
                logger?.error("\(file) does not start like an evidence pack; not appending to it")
                Glibc.close(fd)
                return nil
            }
            let start = indexed ?? magic.count
            guard size >= start else {
                logger?.error("evidence pack \(file) is shorter than the records the database names; not appending to it")
                Glibc.close(fd)
                return nil
            }
            let end = try EvidencePack.validEnd(fd, from: start, size: size)
            if end < size {
                try SystemError.check("truncate \(file)", ftruncate(fd, off_t(end)))
                logger?.notice("cut \(size - end) byte(s) of a record left incomplete at the end of evidence pack \(file) (a stopped writer; the record was never recorded)")
            }
            return Current(fd: fd, pack: pack, end: end)
        } catch {
            Glibc.close(fd)
            throw error
        }
    }

    /// Takes the pack's exclusive lock, waiting up to about 100 ms for it. A writer that has just
    /// closed its pack can leave the lock held for a moment: a child process forked by anything
    /// in the same process shares the open file until it execs, and the lock goes with the last
    /// holder. Without the wait, a writer reopening in that moment would start a new pack beside
    /// a free one. A live writer holds its lock for its whole life, so after the wait the pack
    /// is taken as held.
    private static func lockSoon(_ fd: Int32) -> Bool {
        for attempt in 0..<50 {
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
            guard errno == EWOULDBLOCK || errno == EINTR else { return false }
            if attempt < 49 { usleep(2_000) }
        }
        return false
    }

    private func create(after last: Int) throws(SystemError) -> Current {
        try makeDirectories()
        var pack = last + 1
        while true {
            let file = path(pack)
            let fd = Glibc.open(file, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
            if fd == -1 && errno == EEXIST {
                pack += 1
                continue
            }
            try SystemError.check("create \(file)", fd)
            guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
                // Another writer created it a moment ago.
                Glibc.close(fd)
                pack += 1
                continue
            }
            do {
                try Self.writeAll(fd, EvidencePack.fileMagic, at: 0, pack: pack)
            } catch {
                Glibc.close(fd)
                throw error
            }
            return Current(fd: fd, pack: pack, end: EvidencePack.fileMagic.count)
        }
    }

    private func makeDirectories() throws(SystemError) {
        let evidence = (directory as NSString).deletingLastPathComponent
        for path in [evidence, directory] where mkdir(path, 0o750) != 0 && errno != EEXIST {
            throw SystemError("mkdir \(path)")
        }
    }
}

import CampaignWatchCore
import Foundation
import Glibc

/// The pack file format: archived objects appended one after another to
/// `state_dir/evidence/pack/NNNNNN.pack`, so that the polling path appends to one open file
/// instead of creating a file per object.
///
/// ```
/// file    "CWPACK1\n"                      8 bytes, once
/// record  "CWOB"                           4 bytes
///         SHA-256 of the bytes as served   32 bytes
///         length of the gzip member        4 bytes, big-endian
///         gzip member                      `length` bytes (`zcat` reads it)
/// ```
///
/// Each record describes itself, so a pack can be read without the database; the database
/// (`evidence_object`) says where each object's gzip member starts, and is written in the same
/// transaction as the version that names the object. A pack is only ever appended to; a torn
/// record at its end (a process killed mid-write) is cut when a writer next opens the pack.
public enum EvidencePack {
    public static let fileMagic: [UInt8] = Array("CWPACK1\n".utf8)
    public static let recordMagic: [UInt8] = Array("CWOB".utf8)
    /// Magic, SHA-256, length.
    public static let recordHeaderSize = 40

    /// `evidence/pack`, relative to `state_dir`.
    public static let directoryName = "pack"

    public static func fileName(_ pack: Int) -> String {
        let digits = String(pack)
        return String(repeating: "0", count: max(0, 6 - digits.count)) + digits + ".pack"
    }

    /// The number of a pack file name, nil for anything else in the directory.
    public static func number(ofFile name: String) -> Int? {
        guard name.hasSuffix(".pack") else { return nil }
        let stem = name.dropLast(5)
        guard !stem.isEmpty, stem.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int(stem)
    }

    /// Appends one record (header and gzip member) to `out`.
    static func appendRecord(sha256: [UInt8], gzip: [UInt8], to out: inout [UInt8]) {
        out += recordMagic
        out += sha256
        let length = UInt32(gzip.count)
        out += [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
        out += gzip
    }

    /// A record header read back: nil when it is not one.
    struct Header: Equatable {
        var sha256: [UInt8]
        var length: Int

        init?(_ bytes: some Collection<UInt8>) {
            guard bytes.count >= recordHeaderSize, bytes.prefix(4).elementsEqual(recordMagic) else { return nil }
            let rest = Array(bytes.dropFirst(4).prefix(36))
            sha256 = Array(rest[0..<32])
            length = Int(rest[32]) << 24 | Int(rest[33]) << 16 | Int(rest[34]) << 8 | Int(rest[35])
        }
    }

    /// Decompresses a record's gzip member and checks it against the SHA-256 it should have.
    static func check(gzip: [UInt8], sha256 expected: String, limit: Int) -> Checked {
        let bytes: [UInt8]
        do {
            bytes = try Gzip.decompress(gzip, format: .gzip, limit: limit)
        } catch {
            return .damaged("\(error)")
        }
        let actual = Hex.sha256(bytes)
        return actual == expected ? .intact(bytes) : .damaged("its bytes hash to \(actual)")
    }

    enum Checked {
        case intact([UInt8])
        case damaged(String)
    }

    /// Reads exactly `count` bytes at `offset`; nil when the file ends before.
    static func read(_ fd: Int32, offset: Int, count: Int) throws(SystemError) -> [UInt8]? {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer in
                pread(fd, buffer.baseAddress! + done, count - done, off_t(offset + done))
            }
            if got == -1 && errno == EINTR { continue }
            try SystemError.check("read a pack", got)
            if got == 0 { return nil }
            done += got
        }
        return bytes
    }

    /// Where the valid records of a pack end, looking from `start` (the end of the last record
    /// the database names, or the file header): every record after it that is complete, has
    /// its magic and gzip bytes that hash to its SHA-256 is kept (a poll that appended it and
    /// was stopped before its transaction committed); the first one that is not ends the pack.
    static func validEnd(_ fd: Int32, from start: Int, size: Int) throws(SystemError) -> Int {
        var position = start
        while position < size {
            guard size - position >= recordHeaderSize,
                  let bytes = try read(fd, offset: position, count: recordHeaderSize),
                  let header = Header(bytes),
                  header.length <= size - position - recordHeaderSize,
                  let gzip = try read(fd, offset: position + recordHeaderSize, count: header.length),
                  case .intact = check(gzip: gzip, sha256: Hex.lower(header.sha256), limit: 1 << 30)
            else { return position }
            position += recordHeaderSize + header.length
        }
        return position
    }
}

/// Where an object lies in a pack: `offset` is where its gzip member starts (its record header
/// is the 40 bytes before), `length` the member's size.
public struct PackedObject: Sendable, Hashable {
    public var sha256: String
    public var pack: Int
    public var offset: Int
    public var length: Int

    public init(sha256: String, pack: Int, offset: Int, length: Int) {
        self.sha256 = sha256
        self.pack = pack
        self.offset = offset
        self.length = length
    }
}

import CampaignWatchCore
import Crypto
import Foundation

/// One link of the evidence chain: what the monitor observed, when, and the hashes involved.
///
/// A link is stored as one line of tab-separated fields (`line`), and its hash is SHA-256 over the
/// previous link's hash (64 hex digits), a line feed, and this line, all UTF-8. The first link's
/// previous hash is 64 zeros. The line, not the database columns, is what the hash covers, so a
/// bundle holding the lines can be checked with a few lines of any language.
///
/// Fields, in order: seq, at (RFC 3339 UTC), event, account, post id, content_sha256, raw_sha256,
/// response_sha256, alert id, detail. An absent field is `-`; a tab, line feed, carriage return
/// or backslash inside a field is written `\t`, `\n`, `\r`, `\\`.
public struct ChainLink: Sendable, Hashable {
    public enum Event: String, Sendable, Hashable, CaseIterable {
        /// The first version of a post was seen.
        case post
        /// A known post showed different content: a new version.
        case version
        /// A post's absence from its source was confirmed by a second successful poll.
        case deletion
        /// A post confirmed deleted was listed again.
        case reappeared
        /// An alert was recorded for the spool.
        case alert
    }

    public static let genesis = String(repeating: "0", count: 64)

    public var seq: Int
    public var at: Date
    public var event: Event
    public var accountKey: String?
    public var postID: String?
    public var contentSHA256: String?
    public var rawSHA256: String?
    public var responseSHA256: String?
    public var alertID: String?
    /// Event-specific: the previous content hash of a version, the last-seen time of a deletion,
    /// the kind of an alert.
    public var detail: String?

    public init(seq: Int, at: Date, event: Event, accountKey: String? = nil, postID: String? = nil,
                contentSHA256: String? = nil, rawSHA256: String? = nil, responseSHA256: String? = nil,
                alertID: String? = nil, detail: String? = nil) {
        self.seq = seq
        self.at = at
        self.event = event
        self.accountKey = accountKey
        self.postID = postID
        self.contentSHA256 = contentSHA256
        self.rawSHA256 = rawSHA256
        self.responseSHA256 = responseSHA256
        self.alertID = alertID
        self.detail = detail
    }

    /// The line the hash covers.
    public var line: String { String(seq) + lineAfterSeq() }

    /// The line from the tab after the seq on: all of it but the seq, which only the writer
    /// appending the link knows. `time` is `at` as the line shows it, when the caller has it.
    func lineAfterSeq(time: String? = nil) -> String {
        var out = "\t" + (time ?? Timestamp.utc(at)) + "\t" + event.rawValue
        for field in [accountKey, postID, contentSHA256, rawSHA256, responseSHA256, alertID, detail] {
            out += "\t"
            out += field.map(Self.escape) ?? "-"
        }
        return out
    }

    /// SHA-256 (hex) over `previous`, a line feed, and `line`.
    public static func hash(previous: String, line: String) -> String {
        var hasher = SHA256()
        var previous = previous, line = line
        previous.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        hasher.update(data: [0x0A])
        line.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hasher.finalize().withUnsafeBytes { Hex.lower($0.bindMemory(to: UInt8.self)) }
    }

    /// Reads a stored line back (for `verify`, which checks the columns against it).
    public init?(line: String) {
        let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
        guard fields.count == 10, let seq = Int(fields[0]), let at = Timestamp.parse(fields[1]),
              let event = Event(rawValue: fields[2]) else { return nil }
        func value(_ index: Int) -> String? { fields[index] == "-" ? nil : Self.unescape(fields[index]) }
        self.init(seq: seq, at: at, event: event, accountKey: value(3), postID: value(4), contentSHA256: value(5),
                  rawSHA256: value(6), responseSHA256: value(7), alertID: value(8), detail: value(9))
    }

    static func escape(_ field: String) -> String {
        // A field that is exactly "-" would read back as absent.
        if field == "-" { return "\\-" }
        guard field.utf8.contains(where: { $0 == 0x09 || $0 == 0x0A || $0 == 0x0D || $0 == 0x5C }) else { return field }
        var out = ""
        for scalar in field.unicodeScalars {
            switch scalar {
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func unescape(_ field: String) -> String {
        guard field.contains("\\") else { return field }
        var out = ""
        var escaped = false
        for scalar in field.unicodeScalars {
            if escaped {
                switch scalar {
                case "t": out += "\t"
                case "n": out += "\n"
                case "r": out += "\r"
                default: out.unicodeScalars.append(scalar)
                }
                escaped = false
            } else if scalar == "\\" {
                escaped = true
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

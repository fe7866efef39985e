import CampaignWatchCore
import Foundation

/// Checks the whole evidence record: every chain link (sequence, hash over the previous link,
/// the stored columns against the line the hash covers), every archived object — each packed
/// one a version names (its record names it, a valid gzip stream, bytes hashing to its name)
/// and each one a link or a version names that no pack holds (its loose file, checked the same
/// way) —, every alert that carries a link (the link names it and has the hash the alert shows;
/// a spooled one's loose archive file is intact), and every trusted timestamp (its token
/// imprints the chain hash it is stored for, and that link exists).
public struct EvidenceVerifier: Sendable {
    public let store: StateStore
    public let archive: EvidenceArchive

    public init(store: StateStore, archive: EvidenceArchive) {
        self.store = store
        self.archive = archive
    }

    public struct Report: Sendable, Hashable {
        public var links = 0
        public var objects = 0
        public var alerts = 0
        public var timestamps = 0
        /// Every problem found, in the order found: the first broken link comes first.
        public var problems: [String] = []
        public var firstBrokenLink: Int?
        public var holds: Bool { problems.isEmpty }
    }

    /// `progress` is told how many links have been checked, now and then.
    public func verify(progress: (String) -> Void = { _ in }) throws(StoreError) -> Report {
        var report = Report()
        var previousHash = ChainLink.genesis
        var expected = 1
        // Only what later checks need is kept: a chain of millions of links is not held in memory.
        var alertLinks: [String: (seq: Int, link: ChainLink, hash: String)] = [:]
        var objects = Set<String>()
        try store.forEachLink { stored in
            report.links += 1
            if report.links % 100_000 == 0 { progress("\(report.links) links checked") }
            var problem: String?
            if stored.seq != expected {
                problem = "link \(stored.seq): expected link \(expected) (links are missing or out of order)"
            }
            let parsed = ChainLink(line: stored.line)
            if let parsed {
                if parsed.seq != stored.seq || parsed.event.rawValue != stored.event || parsed.accountKey != stored.accountKey
                    || parsed.postID != stored.postID || parsed.alertID != stored.alertID {
                    problem = problem ?? "link \(stored.seq): its columns differ from its line"
                }
                for object in [parsed.rawSHA256, parsed.responseSHA256].compactMap({ $0 }) { objects.insert(object) }
                if parsed.event == .alert, let id = parsed.alertID { alertLinks[id] = (stored.seq, parsed, stored.hash) }
            } else {
                problem = problem ?? "link \(stored.seq): its line cannot be read"
            }
            let computed = ChainLink.hash(previous: previousHash, line: stored.line)
            if computed != stored.hash {
                problem = problem ?? "link \(stored.seq): its hash does not match its line and the previous link (changed after it was written)"
            }
            if let problem {
                report.problems.append(problem)
                if report.firstBrokenLink == nil { report.firstBrokenLink = stored.seq }
            }
            // The next link is checked against what is stored, so every changed link is named, not only the first.
            previousHash = stored.hash
            expected = stored.seq + 1
        }

        objects.formUnion(try store.versionObjects())
        // Packed objects, each pack read front to back; then the objects the record names that
        // no pack holds: loose files (archives written before packs existed).
        let total = max(objects.count, try store.packedObjectCount())
        let reader = EvidenceArchive.Reader(archive: archive)
        try store.forEachPackedObject { packed in
            objects.remove(packed.sha256)
            report.objects += 1
            if report.objects % 10_000 == 0 { progress("\(report.objects) of \(total) objects checked") }
            switch reader.read(packed) {
            case .intact: break
            case .missing:
                report.problems.append("object \(packed.sha256) is missing: \(archive.packPath(packed.pack)) is gone")
            case .damaged(let why): report.problems.append("object \(why)")
            }
        }
        let loose = objects
        for object in loose.sorted() {
            report.objects += 1
            if report.objects % 10_000 == 0 { progress("\(report.objects) of \(total) objects checked") }
            switch archive.readLoose(sha256: object) {
            case .intact: break
            case .missing: report.problems.append("object \(EvidenceArchive.relativePath(sha256: object)) is missing")
            case .damaged(let why): report.problems.append("object \(why)")
            }
        }

        var alertsSeen = Set<String>()
        try store.allAlerts { row in
            alertsSeen.insert(row.id)
            guard let alert = try? Alert(json: row.document) else {
                report.problems.append("alert \(row.id): its stored document cannot be read")
                return
            }
            guard let seq = alert.evidence.chainSeq else {
                // Alerts recorded before the chain existed have no link; one the chain records must.
                if let link = alertLinks[row.id] {
                    report.problems.append("alert \(row.id): its document lost its chain link \(link.seq)")
                }
                return
            }
            report.alerts += 1
            // A spooled alert's `evidence.archive` is a loose file anyone can open (checked above
            // already when no pack holds the object).
            if row.spooledAt != nil, let raw = alert.evidence.rawSHA256, !loose.contains(raw) {
                switch archive.readLoose(sha256: raw) {
                case .intact: break
                case .missing:
                    report.problems.append("alert \(row.id): its archive file \(EvidenceArchive.relativePath(sha256: raw)) is missing")
                case .damaged(let why): report.problems.append("alert \(row.id): its archive file \(why)")
                }
            }
            guard let link = alertLinks[row.id], link.seq == seq, link.hash == alert.evidence.chainHash else {
                report.problems.append("alert \(row.id): chain link \(seq) does not record it with hash \(alert.evidence.chainHash ?? "null")")
                return
            }
            if link.link.contentSHA256 != alert.post.contentSHA256 || link.link.detail != alert.kind.rawValue
                || link.link.rawSHA256 != alert.evidence.rawSHA256 {
                report.problems.append("alert \(row.id): its document differs from what link \(seq) recorded")
            }
        }

        for (id, link) in alertLinks.sorted(by: { $0.value.seq < $1.value.seq }) where !alertsSeen.contains(id) {
            report.problems.append("alert \(id), recorded by link \(link.seq), is missing from the store")
        }

        for stamp in try store.timestamps() {
            report.timestamps += 1
            guard try store.link(seq: stamp.chainSeq)?.hash == stamp.chainHash else {
                report.problems.append("timestamp of link \(stamp.chainSeq): the chain has no such link with hash \(stamp.chainHash)")
                continue
            }
            do {
                let info = try TimeStampToken.info(of: stamp.token)
                if info.imprint != Hex.bytes(stamp.chainHash) || info.hashAlgorithm != TimeStampToken.sha256OID {
                    report.problems.append("timestamp of link \(stamp.chainSeq): the token imprints another hash")
                }
            } catch {
                report.problems.append("timestamp of link \(stamp.chainSeq): \(error)")
            }
        }
        return report
    }
}

extension Hex {
    /// Lower- or upper-case hex to bytes; nil for anything else.
    static func bytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            out.append(high << 4 | low)
            index += 2
        }
        return out
    }
}

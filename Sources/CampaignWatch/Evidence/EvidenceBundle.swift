import CampaignWatchCore
import Foundation

/// A self-contained export of everything held about one alert, checkable without campaignwatch:
///
/// - `alert.json`: the alert as spooled; `alerts/<id>.json`: every alert on the same post;
/// - `versions.json`: every version of the post (text, first and last seen, hashes, where it
///   was fetched); `objects/<sha256>`: the raw bytes of each version and of the responses they
///   came in, uncompressed, each named by its own SHA-256;
/// - `chain.jsonl`: the chain links involved, each with the previous link's hash, and the links
///   from each of them up to the first trusted timestamp after it;
/// - `timestamps/<seq>.tst` (+ `timestamps.json`): RFC 3161 tokens over chain heads;
/// - `manifest.sha256`: `sha256sum -c` input for every other file; `README.txt`: how to check it.
public struct EvidenceBundle: Sendable {
    public struct File: Sendable, Hashable {
        public var path: String
        public var bytes: [UInt8]
    }

    public var alertID: String
    public var files: [File]

    public enum BuildError: Error, CustomStringConvertible {
        case unknownAlert(String)
        case store(StoreError)
        case object(String)

        public var description: String {
            switch self {
            case .unknownAlert(let id): "no alert \(id) in the state database (ids are the spool file names without .json/.eml)"
            case .store(let error): "\(error)"
            case .object(let why): "the evidence archive is damaged: \(why); run `campaignwatch verify`"
            }
        }
    }

    public static func build(alertID: String, store: StateStore, archive: EvidenceArchive, now: Date = Date()) throws(BuildError) -> EvidenceBundle {
        do {
            return try make(alertID: alertID, store: store, archive: archive, now: now)
        } catch let error as BuildError {
            throw error
        } catch let error as StoreError {
            throw .store(error)
        } catch {
            throw .object("\(error)")
        }
    }

    private static func make(alertID: String, store: StateStore, archive: EvidenceArchive, now: Date) throws -> EvidenceBundle {
        guard let row = try store.alert(id: alertID) else { throw BuildError.unknownAlert(alertID) }
        var files: [File] = [File(path: "alert.json", bytes: row.document)]
        let alerts = try store.alerts(accountKey: row.accountKey, postID: row.postID)
        for other in alerts { files.append(File(path: "alerts/\(other.id).json", bytes: other.document)) }

        // Versions and their objects.
        let versions = try store.versions(accountKey: row.accountKey, postID: row.postID)
        var objects: [String] = []
        var places: [String: PackedObject] = [:]
        for version in versions {
            for place in [version.rawPacked, version.responsePacked].compactMap({ $0 }) where places[place.sha256] == nil {
                places[place.sha256] = place
            }
        }
        var w = JSONWriter(style: .pretty)
        w.beginArray()
        for version in versions {
            w.beginObject()
            w.string("content_sha256", version.contentSHA256)
            w.string("first_seen_at", Timestamp.utc(version.firstSeenAt))
            w.string("last_seen_at", version.lastSeenAt.map(Timestamp.utc))
            w.bool("current", version.lastSeenAt == nil)
            w.bool("edited", version.edited)
            w.string("edited_at", version.editedAt.map(Timestamp.utc))
            w.string("title", version.title)
            w.string("text", version.text)
            w.beginArray("media")
            for url in version.media { w.string(nil, url) }
            w.endArray()
            w.string("raw", version.rawSHA256.map { "objects/\($0)" })
            w.string("response", version.responseSHA256.map { "objects/\($0)" })
            w.string("response_url", version.responseURL)
            w.int("chain_seq", version.chainSeq)
            w.endObject()
            objects += [version.rawSHA256, version.responseSHA256].compactMap { $0 }
        }
        w.endArray()
        files.append(File(path: "versions.json", bytes: w.bytes + [0x0A]))

        // Chain: the post's links, each extended up to the first timestamp after it.
        let involved = try store.links(accountKey: row.accountKey, postID: row.postID)
        let stamps = try store.timestamps()
        var seqs = Set(involved.map(\.seq))
        var usedStamps: [StoredTimestamp] = []
        for link in involved {
            guard let stamp = stamps.first(where: { $0.chainSeq >= link.seq }) else { continue }
            if !usedStamps.contains(stamp) { usedStamps.append(stamp) }
            seqs.formUnion(link.seq...stamp.chainSeq)
        }
        var chainText: [UInt8] = []
        for seq in seqs.sorted() {
            guard let link = try store.link(seq: seq) else { continue }
            let previous = seq == 1 ? ChainLink.genesis : (try store.link(seq: seq - 1)?.hash ?? "")
            var line = JSONWriter(style: .compact)
            line.beginObject()
            line.int("seq", link.seq)
            line.string("previous_hash", previous)
            line.string("hash", link.hash)
            line.string("line", link.line)
            line.endObject()
            chainText += line.bytes + [0x0A]
            if let parsed = ChainLink(line: link.line), parsed.postID == row.postID, parsed.accountKey == row.accountKey {
                objects += [parsed.rawSHA256, parsed.responseSHA256].compactMap { $0 }
            }
        }
        files.append(File(path: "chain.jsonl", bytes: chainText))

        var seen = Set<String>()
        let reader = EvidenceArchive.Reader(archive: archive)
        for object in objects where seen.insert(object).inserted {
            switch reader.object(object, packed: places[object]) {
            case .intact(let bytes): files.append(File(path: "objects/\(object)", bytes: bytes))
            case .missing: throw BuildError.object("object \(EvidenceArchive.relativePath(sha256: object)) is missing")
            case .damaged(let why): throw BuildError.object(why)
            }
        }

        if !usedStamps.isEmpty {
            var t = JSONWriter(style: .pretty)
            t.beginArray()
            for stamp in usedStamps {
                files.append(File(path: "timestamps/\(stamp.chainSeq).tst", bytes: stamp.token))
                t.beginObject()
                t.int("chain_seq", stamp.chainSeq)
                t.string("chain_hash", stamp.chainHash)
                t.string("tsa_url", stamp.tsaURL)
                t.string("requested_at", Timestamp.utc(stamp.requestedAt))
                t.string("token", "timestamps/\(stamp.chainSeq).tst")
                t.endObject()
            }
            t.endArray()
            files.append(File(path: "timestamps.json", bytes: t.bytes + [0x0A]))
        }

        files.append(File(path: "README.txt", bytes: Array(readme(row: row, now: now, stamped: !usedStamps.isEmpty).utf8)))
        var manifest = ""
        for file in files.sorted(by: { $0.path < $1.path }) { manifest += "\(Hex.sha256(file.bytes))  \(file.path)\n" }
        files.append(File(path: "manifest.sha256", bytes: Array(manifest.utf8)))
        return EvidenceBundle(alertID: alertID, files: files)
    }

    /// Writes the bundle into `directory` (created; it must not exist or be empty).
    public func write(to directory: String) throws {
        let manager = FileManager.default
        if manager.fileExists(atPath: directory), !(try manager.contentsOfDirectory(atPath: directory)).isEmpty {
            throw BuildError.object("\(directory) exists and is not empty; choose another --out")
        }
        for file in files {
            let path = directory + "/" + file.path
            try manager.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            guard manager.createFile(atPath: path, contents: Data(file.bytes)) else {
                throw BuildError.object("cannot write \(path)")
            }
        }
    }

    /// The bundle as one zip file whose entries sit in a folder named `folder`.
    public func zip(folder: String, now: Date = Date()) -> [UInt8] {
        var writer = ZipWriter(modified: now)
        for file in files { writer.add(path: folder + "/" + file.path, bytes: file.bytes) }
        return writer.finish()
    }

    static func readme(row: AlertRow, now: Date, stamped: Bool) -> String {
        """
        campaignwatch evidence bundle
        =============================

        Alert:    \(row.id) (\(row.kind))
        Post:     \(row.postID) of account \(row.accountKey)
        Exported: \(Timestamp.utc(now))

        What is here
        ------------
        alert.json        the alert as it was written to the spool
        alerts/           every alert raised on the same post (the first one, edits, the deletion)
        versions.json     every version of the post the monitor saw: its text, when it was first and
                          last seen, the SHA-256 of its content and where its raw bytes are
        objects/<sha256>  raw bytes exactly as served: each version's own element or object, and
                          the whole response it came in; every file is named by its own SHA-256
        chain.jsonl       links of the monitor's hash chain about this post, one JSON object a line:
                          seq, previous_hash, hash and line. hash = SHA-256 of previous_hash, a line
                          feed (0x0A) and line, all UTF-8. A line holds tab-separated fields: seq,
                          time (UTC), event (post, version, deletion, reappeared, alert), account,
                          post id, content SHA-256, raw SHA-256, response SHA-256, alert id, detail
                          ("-" where absent). The alert's evidence.chain_seq and chain_hash name its link.
        \(stamped ? """
        timestamps/       RFC 3161 time-stamp tokens over chain hashes (timestamps.json says which);
                          chain.jsonl holds the links from each link of this post up to the
                          first timestamped link after it
        """ : "(no trusted timestamp covered these links when the bundle was made)")
        manifest.sha256   SHA-256 of every other file

        How to check it (without campaignwatch)
        ---------------------------------------
        1. Every file is intact:

               sha256sum -c manifest.sha256

        2. Objects, chain links and the alert agree (Python 3, standard library only; run it in
           this directory):

        --- check.py ---
        import hashlib, json, os
        sha = lambda b: hashlib.sha256(b).hexdigest()
        for name in os.listdir("objects"):
            assert sha(open("objects/" + name, "rb").read()) == name, "object " + name
        links = {}
        for row in map(json.loads, open("chain.jsonl", encoding="utf-8")):
            assert sha((row["previous_hash"] + "\\n" + row["line"]).encode()) == row["hash"], row["seq"]
            assert row["line"].split("\\t")[0] == str(row["seq"]), row["seq"]
            links[row["seq"]] = row
        for seq, row in links.items():
            assert seq - 1 not in links or links[seq - 1]["hash"] == row["previous_hash"], seq
        for name in os.listdir("alerts"):
            ev = json.load(open("alerts/" + name, encoding="utf-8"))["evidence"]
            assert ev["chain_seq"] is None or links[ev["chain_seq"]]["hash"] == ev["chain_hash"], name
        for v in json.load(open("versions.json", encoding="utf-8")):
            for f in (v["raw"], v["response"]):
                assert f is None or os.path.exists(f), f
        print("bundle holds:", len(links), "links,", len(os.listdir("objects")), "objects")
        --- end ---

        \(stamped ? """
        3. A timestamp token proves its chain hash existed at the time in it. With the TSA's
           certificates (from the TSA that timestamps.json names):

               openssl ts -reply -token_in -in timestamps/SEQ.tst -text
               openssl ts -verify -token_in -in timestamps/SEQ.tst -digest CHAIN_HASH \\
                   -CAfile tsa-ca.pem -untrusted tsa.crt

           where CHAIN_HASH is the hash of link SEQ in chain.jsonl and timestamps.json.

        """ : "")
        """
    }
}

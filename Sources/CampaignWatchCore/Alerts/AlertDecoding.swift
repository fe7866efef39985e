import Foundation

/// Reads an alert back from its JSON (the spool file, the stored document): pending alerts are
/// re-rendered after a restart, evidence bundles and replays read stored alerts.
extension Alert {
    public struct DecodingError: Error, Sendable, CustomStringConvertible {
        public var description: String
    }

    public init(json bytes: [UInt8]) throws(DecodingError) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
            throw DecodingError(description: "not a JSON object")
        }
        let r = Reader(object: object, path: "")
        guard try r.string("schema") == Alert.schema else { throw DecodingError(description: "not a \(Alert.schema) object") }
        let electionObject = try r.object("election")
        let zoneName = try electionObject.string("timezone")
        guard let zone = TimeZone(identifier: zoneName) else { throw DecodingError(description: "unknown time zone \(zoneName)") }
        guard let kind = Kind(rawValue: try r.string("kind")) else { throw DecodingError(description: "unknown kind") }
        id = try r.string("id")
        self.kind = kind
        createdAt = try r.time("created_at")
        election = ElectionInfo(id: try electionObject.string("id"), name: try electionObject.string("name"), timeZone: zone)
        let p = try r.object("period")
        guard let periodKind = ElectionPeriod.Kind(rawValue: try p.string("kind")) else {
            throw DecodingError(description: "unknown period kind")
        }
        period = PeriodInfo(kind: periodKind, from: try p.time("from"), to: try p.time("to"), prohibited: try p.bool("prohibited"))
        let s = try r.object("subject")
        guard let role = Subject.Role(rawValue: try s.string("role")) else { throw DecodingError(description: "unknown role") }
        subject = SubjectInfo(id: try s.string("id"), name: try s.string("name"), role: role,
                              district: try s.optionalString("district"), tags: try s.strings("tags"))
        let a = try r.object("account")
        guard let platform = Platform(rawValue: try a.string("platform")) else { throw DecodingError(description: "unknown platform") }
        account = AccountInfo(platform: platform, handle: try a.string("handle"), url: try a.string("url"))
        let q = try r.object("post")
        guard let basis = TimeBasis(rawValue: try q.string("time_basis")) else { throw DecodingError(description: "unknown time basis") }
        post = PostInfo(id: try q.string("id"), url: try q.optionalString("url"), author: try q.optionalString("author"),
                        publishedAt: try q.optionalTime("published_at"), editedAt: try q.optionalTime("edited_at"),
                        observedAt: try q.time("observed_at"), timeBasis: basis, judgedAt: try q.time("local_time"),
                        text: try q.string("text"), contentSHA256: try q.string("content_sha256"),
                        title: try q.optionalString("title"), declaredAt: try q.optionalTime("declared_at"))
        matches = try r.objects("matches").map { (m: Reader) throws(DecodingError) -> MatchInfo in
            guard let severity = Severity(rawValue: try m.string("severity")) else { throw DecodingError(description: "unknown severity") }
            let terms = try m.objects("terms").map { (t: Reader) throws(DecodingError) -> TermInfo in
                let field = try t.optionalString("field").map { TextField(rawValue: $0) } ?? .text
                guard let field else { throw DecodingError(description: "terms.field: not text or title") }
                return TermInfo(term: try t.string("term"), start: try t.int("start"), end: try t.int("end"),
                                snippet: try t.string("snippet"), field: field)
            }
            return MatchInfo(rule: try m.string("rule"), severity: severity, description: try m.string("description"), terms: terms)
        }
        let e = try r.object("evidence")
        evidence = EvidenceInfo(rawSHA256: try e.optionalString("raw_sha256"), archive: try e.optionalString("archive"),
                                chainSeq: try e.optionalInt("chain_seq"), chainHash: try e.optionalString("chain_hash"))
        if let v = try r.optionalObject("previous") {
            previous = PreviousVersion(text: try v.string("text"), contentSHA256: try v.string("content_sha256"),
                                       observedAt: try v.time("observed_at"))
        } else {
            previous = nil
        }
        refersTo = try r.optionalString("refers_to")
        deletedAt = try r.optionalTime("deleted_at")
    }

    /// Typed access to a JSON object with errors that name the member.
    private struct Reader {
        let object: [String: Any]
        let path: String

        func fail(_ key: String, _ what: String) -> DecodingError {
            DecodingError(description: "\(path)\(key): \(what)")
        }

        func string(_ key: String) throws(DecodingError) -> String {
            guard let value = object[key] as? String else { throw fail(key, "missing or not a string") }
            return value
        }

        func optionalString(_ key: String) throws(DecodingError) -> String? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let text = value as? String else { throw fail(key, "not a string") }
            return text
        }

        func bool(_ key: String) throws(DecodingError) -> Bool {
            guard let value = object[key] as? Bool else { throw fail(key, "missing or not a boolean") }
            return value
        }

        func int(_ key: String) throws(DecodingError) -> Int {
            guard let value = object[key] as? Int else { throw fail(key, "missing or not an integer") }
            return value
        }

        func optionalInt(_ key: String) throws(DecodingError) -> Int? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let number = value as? Int else { throw fail(key, "not an integer") }
            return number
        }

        func time(_ key: String) throws(DecodingError) -> Date {
            guard let date = Timestamp.parse(try string(key)) else { throw fail(key, "not an RFC 3339 time") }
            return date
        }

        func optionalTime(_ key: String) throws(DecodingError) -> Date? {
            guard let text = try optionalString(key) else { return nil }
            guard let date = Timestamp.parse(text) else { throw fail(key, "not an RFC 3339 time") }
            return date
        }

        func strings(_ key: String) throws(DecodingError) -> [String] {
            guard let values = object[key] as? [String] else { throw fail(key, "missing or not a list of strings") }
            return values
        }

        func object(_ key: String) throws(DecodingError) -> Reader {
            guard let value = object[key] as? [String: Any] else { throw fail(key, "missing or not an object") }
            return Reader(object: value, path: "\(path)\(key).")
        }

        func optionalObject(_ key: String) throws(DecodingError) -> Reader? {
            guard let value = object[key], !(value is NSNull) else { return nil }
            guard let nested = value as? [String: Any] else { throw fail(key, "not an object") }
            return Reader(object: nested, path: "\(path)\(key).")
        }

        func objects(_ key: String) throws(DecodingError) -> [Reader] {
            guard let values = object[key] as? [[String: Any]] else { throw fail(key, "missing or not a list of objects") }
            return values.enumerated().map { Reader(object: $1, path: "\(path)\(key)[\($0)].") }
        }
    }
}

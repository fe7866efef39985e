/// The JSON form of an alert: members in the order of the contract, the kind-specific members
/// (`previous`, `refers_to`, `deleted_at`) after `evidence`, absent optional values as null,
/// times in RFC 3339 (`*_at` in UTC, period bounds and `local_time` with the election's offset
/// at that instant). The same alert always renders to the same bytes.
extension Alert {
    public enum JSONStyle: Sendable {
        /// Two-space indentation and a final newline: the spool file a monitor opens.
        case pretty
        /// One line, no final newline: for JSON Lines output.
        case compact
    }

    public func jsonBytes(_ style: JSONStyle = .pretty) -> [UInt8] {
        var w = JSONWriter(style: style == .pretty ? .pretty : .compact)
        let zone = election.timeZone
        w.beginObject()
        w.string("schema", Alert.schema)
        w.string("id", id)
        w.string("kind", kind.rawValue)
        w.string("created_at", Timestamp.utc(createdAt))

        w.beginObject("election")
        w.string("id", election.id)
        w.string("name", election.name)
        w.string("timezone", zone.identifier)
        w.endObject()

        w.beginObject("period")
        w.string("kind", period.kind.rawValue)
        w.string("from", Timestamp.local(period.from, in: zone))
        w.string("to", Timestamp.local(period.to, in: zone))
        w.bool("prohibited", period.prohibited)
        w.endObject()

        w.beginObject("subject")
        w.string("id", subject.id)
        w.string("name", subject.name)
        w.string("role", subject.role.rawValue)
        w.string("district", subject.district)
        w.beginArray("tags")
        for tag in subject.tags { w.string(nil, tag) }
        w.endArray()
        w.endObject()

        w.beginObject("account")
        w.string("platform", account.platform.rawValue)
        w.string("handle", account.handle)
        w.string("url", account.url)
        w.endObject()

        w.beginObject("post")
        w.string("id", post.id)
        w.string("url", post.url)
        w.string("author", post.author)
        w.string("published_at", post.publishedAt.map(Timestamp.utc))
        w.string("edited_at", post.editedAt.map(Timestamp.utc))
        w.string("observed_at", Timestamp.utc(post.observedAt))
        w.string("time_basis", post.timeBasis.rawValue)
        w.string("local_time", localTime)
        w.string("text", post.text)
        w.string("content_sha256", post.contentSHA256)
        w.string("title", post.title)
        w.string("declared_at", post.declaredAt.map(Timestamp.utc))
        w.endObject()

        w.beginArray("matches")
        for match in matches {
            w.beginObject()
            w.string("rule", match.rule)
            w.string("severity", match.severity.rawValue)
            w.string("description", match.description)
            w.beginArray("terms")
            for term in match.terms {
                w.beginObject()
                w.string("term", term.term)
                w.int("start", term.start)
                w.int("end", term.end)
                w.string("snippet", term.snippet)
                w.string("field", term.field.rawValue)
                w.endObject()
            }
            w.endArray()
            w.endObject()
        }
        w.endArray()

        w.beginObject("evidence")
        w.string("raw_sha256", evidence.rawSHA256)
        w.string("archive", evidence.archive)
        w.int("chain_seq", evidence.chainSeq)
        w.string("chain_hash", evidence.chainHash)
        w.endObject()

        if let previous {
            w.beginObject("previous")
            w.string("text", previous.text)
            w.string("content_sha256", previous.contentSHA256)
            w.string("observed_at", Timestamp.utc(previous.observedAt))
            w.endObject()
        }
        if kind != .violation { w.string("refers_to", refersTo) }
        if kind == .deletion { w.string("deleted_at", deletedAt.map(Timestamp.utc)) }
        w.endObject()

        var bytes = w.bytes
        if style == .pretty { bytes.append(UInt8(ascii: "\n")) }
        return bytes
    }

    public func json(_ style: JSONStyle = .pretty) -> String {
        String(decoding: jsonBytes(style), as: UTF8.self)
    }
}

import CampaignWatchCore
import Foundation
import Testing

@Suite struct AlertTests {
    typealias F = JudgeFixtures
    let now = JudgeFixtures.utc("2023-02-20T10:15:02Z")

    func violation(_ post: Post? = nil, seen: Date = JudgeFixtures.utc("2023-02-20T10:15:01Z")) throws -> Alert {
        let input = JudgeInput(post: post ?? F.post(published: F.utc("2023-01-28T14:02:11Z")), account: F.omarovaTelegram,
                               subject: F.omarova, firstSeenAt: seen, matches: F.allMatches)
        let alert = try #require(Judge.alerts(for: input, configuration: F.configuration, now: now).first)
        F.checked(alert)
        return alert
    }

    @Test func membersStandInTheOrderOfTheContract() throws {
        let json = F.checked(try violation())
        #expect(json.keys == ["schema", "id", "kind", "created_at", "election", "period", "subject", "account", "post", "matches", "evidence"])
        #expect(json["election"]?.keys == ["id", "name", "timezone"])
        #expect(json["period"]?.keys == ["kind", "from", "to", "prohibited"])
        #expect(json["subject"]?.keys == ["id", "name", "role", "district", "tags"])
        #expect(json["account"]?.keys == ["platform", "handle", "url"])
        #expect(json["post"]?.keys == ["id", "url", "author", "published_at", "edited_at", "observed_at", "time_basis", "local_time",
                                       "text", "content_sha256", "title", "declared_at"])
        #expect(json["matches"]?.array?.first?.keys == ["rule", "severity", "description", "terms"])
        #expect(json["matches"]?.array?.first?["terms"]?.array?.first?.keys == ["term", "start", "end", "snippet", "field"])
        #expect(json["evidence"]?.keys == ["raw_sha256", "archive", "chain_seq", "chain_hash"])
    }

    @Test func valuesAreThoseOfTheExampleAlert() throws {
        let alert = try violation()
        let json = F.checked(alert)
        #expect(json["schema"] == .string("campaignwatch.alert/1"))
        #expect(json["kind"] == .string("violation"))
        #expect(json["created_at"] == .string("2023-02-20T10:15:02Z"))
        #expect(json["election"]?["timezone"] == .string("Asia/Almaty"))
        #expect(json["period"]?["from"] == .string("2023-01-19T00:00:00+06:00"))
        #expect(json["period"]?["to"] == .string("2023-02-18T18:00:00+06:00"))
        #expect(json["period"]?["prohibited"] == .bool(true))
        #expect(json["subject"]?["tags"] == .array([.string("self-nominated")]))
        #expect(json["post"]?["published_at"] == .string("2023-01-28T14:02:11Z"))
        #expect(json["post"]?["edited_at"] == .null)
        #expect(json["post"]?["observed_at"] == .string("2023-02-20T10:15:01Z"))
        #expect(json["post"]?["time_basis"] == .string("published"))
        #expect(json["post"]?["local_time"] == .string("2023-01-28T20:02:11+06:00"))
        #expect(json["post"]?["content_sha256"] == .string(PostContentHash.sha256(of: F.post(published: nil))))
        let terms = json["matches"]?.array?[1]["terms"]?.array
        #expect(terms?.first?["term"] == .string("support"))
        #expect(terms?.first?["start"] == .integer(43))
        #expect(terms?.first?["snippet"] == .string("…друзья! Голосуйте за нас 19 марта. Support us, and we will win. Go, Kazakhstan!"))
        // The raw bytes' hash is known at once; the archive and the chain come later.
        #expect(json["evidence"]?["raw_sha256"] == .string(Hex.sha256(F.post(published: nil).raw!)))
        #expect(json["evidence"]?["archive"] == .null)
        #expect(json["evidence"]?["chain_seq"] == .null)
    }

    @Test func evidenceFilledInLaterRendersToo() throws {
        var alert = try violation()
        alert.evidence = Alert.EvidenceInfo(rawSHA256: String(repeating: "c", count: 64), archive: "evidence/ab/abcdef.gz",
                                            chainSeq: 1042, chainHash: String(repeating: "d", count: 64))
        let json = F.checked(alert)
        #expect(json["evidence"]?["chain_seq"] == .integer(1042))
        #expect(json["evidence"]?["archive"] == .string("evidence/ab/abcdef.gz"))
    }

    @Test func renderingIsDeterministicAndEscaped() throws {
        let text = "line one\nline \"two\"\t\\ \u{01} \u{2028} 🗳"
        let alert = try violation(F.post(published: F.utc("2023-01-28T14:02:11Z"), text: text))
        #expect(alert.json() == alert.json())
        #expect(alert.json().hasSuffix("}\n"))
        #expect(alert.json().contains(#""text": "line one\nline \"two\"\t\\ \u0001 \u2028 🗳""#))
        #expect(F.checked(alert)["post"]?["text"] == .string(text))
        let again = try violation(F.post(published: F.utc("2023-01-28T14:02:11Z"), text: text))
        #expect(again.json() == alert.json())
    }

    @Test func theSummaryIsTheMailSubject() throws {
        #expect(try violation().summary == "[campaignwatch] Asel Omarova: pre-campaign — call-to-vote-ru, support-request-en")
    }

    @Test func idsAreDeterministicAndDifferByEachInput() {
        let base = (election: "kz-mazhilis-2023", subject: "omarova", platform: Platform.telegram, post: "asel_omarova_kz/1432",
                    kind: Alert.Kind.violation, hash: String(repeating: "0", count: 64))
        func id(_ e: String = base.election, _ s: String = base.subject, _ p: Platform = base.platform, _ post: String = base.post,
                _ k: Alert.Kind = base.kind, _ h: String = base.hash) -> String {
            AlertID.make(electionID: e, subjectID: s, platform: p, postID: post, kind: k, contentSHA256: h)
        }
        let reference = id()
        #expect(reference.count == 32)
        #expect(reference.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(id() == reference)
        let variants = [id("kg-jogorku-kenesh-2025"), id(base.election, "temirov"), id(base.election, base.subject, .bluesky),
                        id(base.election, base.subject, base.platform, "asel_omarova_kz/1433"),
                        id(base.election, base.subject, base.platform, base.post, .edit),
                        id(base.election, base.subject, base.platform, base.post, base.kind, String(repeating: "1", count: 64))]
        #expect(Set(variants + [reference]).count == 7)
        // Fields cannot run into each other.
        #expect(id("ab", "c") != id("a", "bc"))
    }

    @Test func theIdIsOfTheDocumentedCanonicalForm() {
        // SHA-256("campaignwatch.alert/1" + netstrings), first 16 bytes.
        var bytes = Array("campaignwatch.alert/1".utf8)
        for field in ["e", "s", "telegram", "p/1", "violation", "h"] { bytes += Array("\(field.utf8.count):\(field),".utf8) }
        let expected = String(Hex.sha256(bytes).prefix(32))
        #expect(AlertID.make(electionID: "e", subjectID: "s", platform: .telegram, postID: "p/1", kind: .violation, contentSHA256: "h") == expected)
    }

    @Test func snippetsShowTheWordsAroundATerm() {
        let text = "The quick brown fox jumps over the lazy dog and then some more words follow here at the end."
        let start = text.distance(from: text.startIndex, to: text.range(of: "lazy")!.lowerBound)
        #expect(Snippet.around(text, start: start, end: start + 4, context: 12) == "…over the lazy dog and…")
        #expect(Snippet.around("Vote\nfor   us", start: 0, end: 4) == "Vote for us")
        #expect(Snippet.around("short", start: 10, end: 20) == "short")
        #expect(Snippet.around("голосуйте за нас", start: 0, end: 9, context: 3) == "голосуйте…")
    }

    @Test func theContentHashCoversTitleTextAndMedia() {
        let a = Post(id: "1", title: "T", text: "x")
        #expect(PostContentHash.sha256(of: a) == PostContentHash.sha256(of: Post(id: "2", title: "T", text: "x", author: "other")))
        #expect(PostContentHash.sha256(of: a) != PostContentHash.sha256(of: Post(id: "1", title: "Tx", text: "")))
        #expect(PostContentHash.sha256(of: Post(id: "1", text: "x")) != PostContentHash.sha256(of: Post(id: "1", title: "x", text: "")))
        #expect(PostContentHash.sha256(of: a) != PostContentHash.sha256(of: Post(id: "1", title: "T", text: "x", media: ["https://e/1.jpg"])))
        #expect(PostContentHash.sha256(of: a).count == 64)
    }
}

@Suite struct JSONSchemaValidatorTests {
    typealias F = JudgeFixtures

    func alertJSON() throws -> JSONValue {
        let input = JudgeInput(post: F.post(published: F.utc("2023-01-28T14:02:11Z")), account: F.omarovaTelegram, subject: F.omarova,
                               firstSeenAt: F.utc("2023-02-20T10:15:01Z"), matches: F.allMatches)
        let alert = try #require(Judge.alerts(for: input, configuration: F.configuration, now: F.utc("2023-02-20T10:15:02Z")).first)
        return F.checked(alert)
    }

    func replacing(_ value: JSONValue, _ path: [String], with new: JSONValue?) -> JSONValue {
        guard case .object(var members) = value, let key = path.first else { return new ?? .null }
        if path.count == 1 {
            if let new {
                if let index = members.firstIndex(where: { $0.0 == key }) { members[index].1 = new } else { members.append((key, new)) }
            } else {
                members.removeAll { $0.0 == key }
            }
        } else if let index = members.firstIndex(where: { $0.0 == key }) {
            members[index].1 = replacing(members[index].1, Array(path.dropFirst()), with: new)
        }
        return .object(members)
    }

    @Test(arguments: [
        (["id"], JSONValue.string("3F6C0D2A9B1E4C7D8E9F00112233AABB")),
        (["kind"], .string("warning")),
        (["created_at"], .string("2023-02-30T10:15:02Z")),
        (["created_at"], .string("2023-02-20T10:15:02+06:00")),
        (["created_at"], .string("2023-02-20 10:15:02Z")),
        (["period", "from"], .string("2023-01-19T24:00:00+06:00")),
        (["period", "from"], .string("2023-01-19T00:00:00+6:00")),
        (["period", "prohibited"], .string("true")),
        (["subject", "district"], .integer(3)),
        (["subject", "tags"], .array([.integer(1)])),
        (["post", "published_at"], .string("yesterday")),
        (["post", "content_sha256"], .string("abc")),
        (["evidence", "chain_seq"], .integer(-1)),
        (["evidence", "chain_seq"], .number(1.5)),
        (["schema"], .string("campaignwatch.alert/2")),
        (["unexpected"], .string("x")),
        (["refers_to"], .string("3f6c0d2a9b1e4c7d8e9f00112233aabb")),
    ])
    func rejectsABrokenAlert(_ path: [String], _ value: JSONValue) throws {
        let broken = replacing(try alertJSON(), path, with: value)
        #expect(!F.schema.validate(broken).isEmpty, "accepted \(path) = \(value)")
    }

    @Test(arguments: [["id"], ["post", "observed_at"], ["evidence"], ["matches"], ["subject", "district"]])
    func rejectsAMissingMember(_ path: [String]) throws {
        #expect(!F.schema.validate(replacing(try alertJSON(), path, with: nil)).isEmpty)
    }

    @Test func aDeletionNeedsItsReference() throws {
        var json = replacing(try alertJSON(), ["kind"], with: .string("deletion"))
        #expect(!F.schema.validate(json).isEmpty)
        json = replacing(json, ["refers_to"], with: .string("3f6c0d2a9b1e4c7d8e9f00112233aabb"))
        json = replacing(json, ["deleted_at"], with: .string("2023-02-21T00:00:00Z"))
        #expect(F.schema.validate(json).isEmpty)
        #expect(!F.schema.validate(replacing(json, ["refers_to"], with: .null)).isEmpty)
    }

    @Test func strictDateTimes() {
        for good in ["2023-01-28T14:02:11Z", "2024-02-29T00:00:00+05:00", "2023-12-31T23:59:60Z", "2023-01-28T14:02:11.123Z", "2023-01-28t14:02:11z"] {
            #expect(JSONSchemaValidator.isRFC3339DateTime(good), "\(good)")
        }
        for bad in ["2023-02-29T00:00:00Z", "2023-01-28T14:02Z", "2023-01-28T14:02:11", "2023-01-28T14:02:11+0600", "2023-1-28T14:02:11Z",
                    "2023-01-28T14:02:11.Z", "2023-01-28T14:02:11Z ", "2023-04-31T00:00:00Z"] {
            #expect(!JSONSchemaValidator.isRFC3339DateTime(bad), "\(bad)")
        }
    }

    @Test func anUnknownKeywordIsNotSilentlyPassed() throws {
        let schema = JSONSchemaValidator(schema: try JSONValue.parse(#"{"type": "object", "oneOf": [true]}"#))
        #expect(schema.validate(.object([])) == [": unsupported schema keyword oneOf"])
    }
}

@Suite struct HexTests {
    @Test func lowerCaseDigitsOfAnyBytes() {
        #expect(Hex.lower([0x00, 0x09, 0x0A, 0x0F, 0x10, 0xA0, 0xFF]) == "00090a0f10a0ff")
        #expect(Hex.lower([UInt8]()) == "")
        #expect(Hex.lower([0xAB, 0xCD].lazy.map { $0 }) == "abcd", "a sequence that is not contiguous")
    }

    @Test func sha256IsTheDigestInLowerCaseHex() {
        // printf abc | sha256sum
        #expect(Hex.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.sha256([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }
}

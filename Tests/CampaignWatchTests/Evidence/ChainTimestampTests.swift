@testable import CampaignWatch
import CampaignWatchCore
import Foundation
import GRDB
import Logging
import Synchronization
import Testing

/// A time-stamping authority on loopback: `openssl ts -reply` behind the loopback HTTP server,
/// with a throwaway self-signed TSA certificate.
final class LocalTSA: Sendable {
    let directory: TemporaryDirectory
    let served = Mutex(0)

    static let openssl = "/usr/bin/openssl"

    init() throws {
        directory = try TemporaryDirectory("campaignwatch-tsa")
        let config = """
            [ tsa ]
            default_tsa = tsa_config1
            [ tsa_config1 ]
            serial = \(directory.path)/serial
            crypto_device = builtin
            signer_cert = \(directory.path)/tsa.crt
            signer_key = \(directory.path)/tsa.key
            signer_digest = sha256
            default_policy = 1.2.3.4.1
            digests = sha256
            accuracy = secs:1
            ordering = no
            tsa_name = no
            ess_cert_id_chain = no
            ess_cert_id_alg = sha256
            """
        try config.write(toFile: directory.path + "/tsa.cnf", atomically: true, encoding: .utf8)
        try "01\n".write(toFile: directory.path + "/serial", atomically: true, encoding: .utf8)
        let made = try Self.run(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", directory.path + "/tsa.key",
                                 "-out", directory.path + "/tsa.crt", "-subj", "/CN=campaignwatch test TSA", "-days", "2",
                                 "-addext", "extendedKeyUsage=critical,timeStamping",
                                 "-addext", "keyUsage=critical,digitalSignature"])
        guard made.status == 0 else { throw TSAError(message: made.output) }
    }

    var certificate: String { directory.path + "/tsa.crt" }

    /// Answers a POSTed query with `openssl ts -reply`.
    var route: LoopbackRoute {
        .handler { request in
            let n = self.served.withLock { $0 += 1; return $0 }
            let query = self.directory.path + "/q\(n).tsq", reply = self.directory.path + "/r\(n).tsr"
            guard request.method == "POST", request.header("content-type") == "application/timestamp-query",
                  (try? Data(request.body).write(to: URL(fileURLWithPath: query))) != nil,
                  let result = try? Self.run(["ts", "-reply", "-config", self.directory.path + "/tsa.cnf", "-queryfile", query,
                                              "-out", reply]),
                  result.status == 0, let body = FileManager.default.contents(atPath: reply) else {
                return LoopbackResponse(status: 400, body: .bytes(Array("bad query".utf8)))
            }
            return LoopbackResponse(status: 200, headers: [HTTPHeader("Content-Type", "application/timestamp-reply")],
                                    body: .bytes([UInt8](body)))
        }
    }

    struct TSAError: Error { var message: String }

    static func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ToolRun.run(openssl, arguments)
    }
}

@Suite(.serialized) struct ChainTimestampTests {
    @Test func theChainHeadIsTimestampedByALocalTSAAndVerifyChecksTheToken() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: LocalTSA.openssl), "openssl is needed (make deps installs it)")
        let tsa = try LocalTSA()
        let document = ServedDocument(TestFeed.rss([("p1", "Дорогие друзья, голосуйте за нас!", "10 Feb 2023 09:00:00 +0000")]))
        let harness = try PipelineHarness(accounts: [])
        harness.server.route("/feed.xml", document.route)
        harness.server.route("/tsr", tsa.route)
        harness.configuration.subjects[0].accounts = [Account(platform: .rss, handle: harness.url("/feed.xml"), url: harness.url("/feed.xml"))]
        harness.configuration.evidence.tsaURL = harness.url("/tsr")
        harness.configuration.evidence.timestampEvery = 3600

        _ = try await harness.round()
        let store = try harness.store()
        let stamps = try store.timestamps()
        #expect(stamps.count == 1)
        let stamp = try #require(stamps.first)
        let head = try #require(try store.chainHead())
        #expect(stamp.chainSeq == head.seq)
        #expect(stamp.chainHash == head.hash)
        #expect(harness.server.requests(path: "/tsr").first?.request.method == "POST")
        let info = try TimeStampToken.info(of: stamp.token)
        #expect(info.imprint == Hex.bytes(head.hash))
        #expect(info.genTime.map { abs($0.timeIntervalSinceNow) < 300 } == true)

        // openssl itself accepts the stored token for the chain hash, signed by the TSA.
        let token = tsa.directory.path + "/stored.tst"
        try Data(stamp.token).write(to: URL(fileURLWithPath: token))
        let verified = try LocalTSA.run(["ts", "-verify", "-token_in", "-in", token, "-digest", head.hash, "-CAfile", tsa.certificate])
        #expect(verified.status == 0, "\(verified.output)")
        #expect(verified.output.contains("Verification: OK"))

        // Not due again within the hour.
        document.set(TestFeed.rss([("p1", "Дорогие друзья, голосуйте за нас!", "10 Feb 2023 09:00:00 +0000"),
                                   ("p2", "Погода.", "10 Feb 2023 10:00:00 +0000")]), etag: "\"v2\"")
        _ = try await harness.round()
        #expect(try store.timestamps().count == 1)

        let verifier = EvidenceVerifier(store: store, archive: EvidenceArchive(stateDir: harness.configuration.stateDir))
        var report = try verifier.verify()
        #expect(report.holds, "\(report.problems)")
        #expect(report.timestamps == 1)

        // The bundle of the alert carries the token and the links up to the stamped head.
        let alert = try #require(try harness.spooledAlerts().first)
        let bundle = try EvidenceBundle.build(alertID: alert.id, store: store, archive: EvidenceArchive(stateDir: harness.configuration.stateDir))
        #expect(bundle.files.contains { $0.path == "timestamps/\(stamp.chainSeq).tst" && $0.bytes == stamp.token })

        // A token stored for another link than the one it imprints is found.
        try await store.pool.write { db in
            try db.execute(sql: "UPDATE chain_timestamp SET chain_seq = 1, chain_hash = (SELECT hash FROM chain WHERE seq = 1)")
        }
        report = try verifier.verify()
        #expect(report.problems == ["timestamp of link 1: the token imprints another hash"])
    }

    @Test func aRefusingOrBrokenTSAIsAnErrorAndNothingIsStored() async throws {
        let directory = try TemporaryDirectory("campaignwatch-tsa-broken")
        let server = try LoopbackHTTPServer(workers: 1)
        try server.start()
        defer { server.stop() }
        server.route("/tsr", .text("not DER"))
        let store = try StateStore(path: directory.path + "/state/campaignwatch.sqlite")
        try await store.write { db in
            var chain = try ChainWriter(db)
            try chain.append(ChainLink(seq: 0, at: Date(), event: .post, accountKey: "rss:x", postID: "p1"))
        }
        let stamper = try ChainTimestamper(store: store, settings: EvidenceSettings(tsaURL: server.url("/tsr")), poll: PollSettings(),
                                           logger: .init(label: "test") { _ in SwiftLogNoOpLogHandler() })
        await #expect(throws: EvidenceError.self) { try await stamper.stampIfDue(now: Date()) }
        #expect(try store.timestamps().isEmpty)
    }
}

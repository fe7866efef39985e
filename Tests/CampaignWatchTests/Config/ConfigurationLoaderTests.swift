import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct ConfigurationLoaderTests {
    @Test func theBaseConfigurationLoadsWithItsDefaults() throws {
        let tree = try ConfigTree([:])
        let result = tree.load()
        let configuration = try result.get()
        #expect(result.warnings.isEmpty, "\(result.warnings)")
        #expect(configuration.stateDir == tree.path("state"))
        #expect(configuration.spool == SpoolSettings(dir: tree.path("spool"), format: .json))
        #expect(configuration.poll == PollSettings())
        #expect(configuration.log.level == .info)
        #expect(configuration.evidence == EvidenceSettings())
        #expect(configuration.files == ["campaignwatch.yaml", "elections.d/kz.yaml", "rules.d/rules.yaml", "watchlists.d/kz.yaml"].map(tree.path))
        #expect(result.files == configuration.files)

        let election = try #require(configuration.elections.first)
        #expect(election.timeZone.identifier == "Asia/Almaty")
        #expect(election.ruleSelectors == ["call-to-vote", "support-en"])
        #expect(election.periods.map(\.kind) == [.preCampaign, .campaign, .silence])
        #expect(election.periods.map(\.prohibited) == [true, false, true])
        #expect(Timestamp.utc(election.periods[1].from) == "2023-02-18T12:00:00Z")
        #expect(Timestamp.utc(election.periods[2].to) == "2023-03-19T14:00:00Z")

        let subject = try #require(configuration.subjects.first)
        #expect(subject.role == .candidate)
        #expect(subject.names == ["Asel Omarova"])
        #expect(subject.accounts == [Account(platform: .telegram, handle: "asel_omarova_kz", url: "https://t.me/s/asel_omarova_kz")])
        #expect(configuration.rules.map(\.id) == ["call-to-vote-ru", "support-en"])
        #expect(configuration.rules[1].severity == .medium)
        #expect(configuration.rules[0].query == "голосуй*")
    }

    @Test func everySettingIsRead() throws {
        let tree = try ConfigTree([
            "campaignwatch.yaml": """
                state_dir: /var/lib/cw
                spool: { dir: ../spool, format: eml }
                include: [elections.d/*.yaml, rules.d/*.yaml, watchlists.d/*.yaml]
                poll:
                  interval: 10m
                  min_interval: 30s
                  max_interval: 1d
                  jitter: 25%
                  concurrency: 8
                  per_host: 1
                  timeout: 1m30s
                  max_body: 512KiB
                  user_agent: "campaignwatch/test (+https://example.org)"
                  proxy: socks5h://127.0.0.1:9050
                platforms:
                  telegram: { base_url: "http://127.0.0.1:8080/s/" }
                  mastodon: { base_url: "http://127.0.0.1:8081" }
                log: { level: debug }
                metrics: { textfile: metrics/cw.prom }
                evidence: { tsa_url: "https://freetsa.org/tsr", timestamp_every: 2h, keep_raw: false }

                """,
        ])
        let c = try tree.load().get()
        #expect(c.stateDir == "/var/lib/cw")
        #expect(c.spool.dir == URL(fileURLWithPath: tree.directory.path).deletingLastPathComponent().appendingPathComponent("spool").path)
        #expect(c.spool.format == .eml)
        #expect(c.poll.interval == 600 && c.poll.minInterval == 30 && c.poll.maxInterval == 86_400)
        #expect(c.poll.jitter == 0.25 && c.poll.concurrency == 8 && c.poll.perHost == 1 && c.poll.timeout == 90)
        #expect(c.poll.maxBody == 524_288)
        #expect(c.poll.userAgent == "campaignwatch/test (+https://example.org)")
        #expect(c.poll.proxy == "socks5h://127.0.0.1:9050")
        #expect(c.platforms[.telegram]?.baseURL == "http://127.0.0.1:8080/s/")
        #expect(c.platforms[.bluesky] == PlatformSettings.defaults[.bluesky])
        #expect(c.log.level == .debug)
        #expect(c.metrics.textfile == tree.path("metrics/cw.prom"))
        #expect(c.evidence == EvidenceSettings(tsaURL: "https://freetsa.org/tsr", timestampEvery: 7200, keepRaw: false))
        #expect(c.subjects[0].accounts[0].url == "http://127.0.0.1:8080/s/asel_omarova_kz")
    }

    @Test func accountsOfEveryPlatformGetTheirAddresses() throws {
        let tree = try ConfigTree([
            "watchlists.d/kz.yaml": """
                subjects:
                  - id: omarova
                    name: "Asel Omarova"
                    names: ["Омарова", "Asel Omarova", "Omarova"]
                    role: party
                    elections: [kz-mazhilis-2023]
                    district: Almaty
                    tags: [a, b]
                    accounts:
                      - telegram: asel_omarova_kz
                      - bluesky: omarova.bsky.social
                      - mastodon: "@asel@social.example.org"
                      - youtube: UC0123456789abcdefghijkl
                        poll: { interval: 30m, max_interval: 12h }
                      - rss: https://example.org/feed.xml
                      - atom: https://example.org/atom.xml
                      - jsonfeed: https://example.org/feed.json
                      - { telegram: other_channel, url: "http://127.0.0.1:9999/s/other_channel" }

                """,
            // Platforms given after the subjects in the same file still apply to them.
            "campaignwatch.yaml": """
                subjects:
                  - id: inline
                    name: Inline
                    elections: [kz-mazhilis-2023]
                    accounts: [{ bluesky: inline.example.org }]
                include: [elections.d/*.yaml, rules.d/*.yaml, watchlists.d/*.yaml]
                platforms:
                  bluesky: { base_url: "http://127.0.0.1:7000/" }

                """,
        ])
        let c = try tree.load().get()
        #expect(c.subjects.map(\.id) == ["inline", "omarova"])
        #expect(c.subjects[0].accounts[0].url.hasPrefix("http://127.0.0.1:7000/xrpc/app.bsky.feed.getAuthorFeed?actor=inline.example.org"))
        let s = c.subjects[1]
        #expect(s.names == ["Asel Omarova", "Омарова", "Omarova"])
        #expect(s.role == .party && s.district == "Almaty" && s.tags == ["a", "b"])
        #expect(s.accounts.map(\.platform) == [.telegram, .bluesky, .mastodon, .youtube, .rss, .atom, .jsonfeed, .telegram])
        #expect(s.accounts.map(\.url) == [
            "https://t.me/s/asel_omarova_kz",
            "http://127.0.0.1:7000/xrpc/app.bsky.feed.getAuthorFeed?actor=omarova.bsky.social&limit=50&filter=posts_with_replies",
            "https://social.example.org/api/v1/accounts/lookup?acct=asel",
            "https://www.youtube.com/feeds/videos.xml?channel_id=UC0123456789abcdefghijkl",
            "https://example.org/feed.xml", "https://example.org/atom.xml", "https://example.org/feed.json",
            "http://127.0.0.1:9999/s/other_channel",
        ])
        #expect(s.accounts[3].poll == PollOverride(interval: 1800, maxInterval: 43_200))
    }

    @Test func includesAreRelativeToTheIncludingFileAndMayNest() throws {
        let tree = try ConfigTree([
            "etc/campaignwatch.yaml": """
                state_dir: ../var/state
                include: [conf.d/*.yaml]

                """,
            "etc/conf.d/elections.yaml": """
                include: [../../shared/*.yaml, ../../shared/*.csv]
                elections:
                  - id: e1
                    name: E1
                    timezone: Asia/Bishkek
                    periods: [{ kind: silence, from: "2025-11-29T08:00", to: "2025-11-30T08:00" }]

                """,
            "shared/subjects.yaml": """
                subjects:
                  - { id: s1, name: S1, elections: [e1], accounts: [{ telegram: channel_one }] }

                """,
            "shared/more.csv": "subject_id,name,role,elections,district,tags,platform,handle,url\ns2,S2,,e1,,,telegram,channel_two,\n",
            "shared/ignored.txt": "not matched by the patterns",
        ], replacing: true)
        let result = tree.load("etc/campaignwatch.yaml")
        let c = try result.get()
        #expect(c.stateDir == tree.path("var/state"))
        #expect(c.subjects.map(\.id) == ["s1", "s2"])
        #expect(c.files == ["etc/campaignwatch.yaml", "etc/conf.d/elections.yaml", "shared/subjects.yaml", "shared/more.csv"].map(tree.path))
        #expect(result.warningPlaces(in: tree) == ["etc/campaignwatch.yaml:1:1"])   // no rules
    }

    @Test func unquotedTimesAndDatesAreReadAsWritten() throws {
        let tree = try ConfigTree(["elections.d/kz.yaml": """
            elections:
              - id: kz-mazhilis-2023
                name: Mazhilis 2023
                timezone: Asia/Almaty
                periods:
                  - kind: pre-campaign
                    from: 2023-01-19
                    to: 2023-02-18T18:00
                  - kind: campaign
                    from: 2023-02-18 18:00:00
                    to: 2023-03-17T18:00:00Z
                    prohibited: false

            """])
        let periods = try tree.load().get().elections[0].periods
        #expect(periods.map { Timestamp.utc($0.from) } == ["2023-01-18T18:00:00Z", "2023-02-18T12:00:00Z"])
        #expect(periods.map { Timestamp.utc($0.to) } == ["2023-02-18T12:00:00Z", "2023-03-17T18:00:00Z"])
    }

    @Test func aFileMatchedTwiceIsReadOnce() throws {
        let tree = try ConfigTree([
            "campaignwatch.yaml": """
                include: ["*.yaml", elections.d/*.yaml, elections.d/kz.yaml, rules.d/*.yaml, watchlists.d/*.yaml]

                """,
        ])
        let c = try tree.load().get()
        #expect(c.elections.count == 1)
        #expect(c.files.count == 4)
    }

    @Test func aPatternMatchingNothingIsAWarning() throws {
        let tree = try ConfigTree([:])
        try tree.write("campaignwatch.yaml", """
            include:
              - elections.d/*.yaml
              - rules.d/*.yaml
              - watchlists.d/*.yaml
              - extra.d/*.yaml

            """)
        let again = tree.load()
        #expect(again.errors.isEmpty)
        #expect(again.warningPlaces(in: tree) == ["campaignwatch.yaml:5:5"])
        #expect(again.warnings.first?.message.contains("`extra.d/*.yaml` matches no file") == true)
    }

    @Test func warningsDoNotFail() throws {
        let tree = try ConfigTree([
            "rules.d/rules.yaml": """
                rules:
                  - id: call-to-vote-ru
                    query: 'голосуй*'
                    tags: [call-to-vote]
                  - id: support-en
                    query: support
                  - id: never-used
                    query: unused

                """,
            "watchlists.d/more.yaml": """
                subjects:
                  - id: quiet
                    name: Quiet
                    elections: [kz-mazhilis-2023]

                """,
        ])
        let now = ISO8601DateFormatter().date(from: "2023-03-01T00:00:00Z")!
        let result = tree.load(now: now)
        #expect(result.configuration != nil)
        #expect(result.warningPlaces(in: tree) == ["elections.d/kz.yaml:6:9", "rules.d/rules.yaml:7:9", "watchlists.d/more.yaml:2:9"])
        #expect(result.warnings[0].message.contains("`pre-campaign` period of election `kz-mazhilis-2023` is over"))
        #expect(result.warnings[0].message.contains("2023-02-18T18:00:00+06:00"))
        #expect(result.warnings[1].message.contains("rule `never-used` is used by no election"))
        #expect(result.warnings[2].message.contains("subject `quiet` has no accounts"))
    }

    @Test func theQueryValidatorsProblemsAreReportedAtTheQuery() throws {
        let tree = try ConfigTree([
            "rules.d/rules.yaml": """
                rules:
                  - id: call-to-vote-ru
                    query: 'голосуй* NEAR/x нас'
                    tags: [call-to-vote]
                  - id: support-en
                    query: support AND
                  - id: folded
                    query: >
                      support
                      NEAR/3 us

                """,
        ])
        let result = tree.load { rule in
            switch rule.id {
            case "call-to-vote-ru": [.init(column: 10, message: "NEAR needs a number: write NEAR/5")]
            case "support-en": [.init(column: 9, message: "AND needs something after it"), .init(column: nil, message: "second")]
            default: [.init(column: 9, message: "folded")]
            }
        }
        #expect(result.errorPlaces(in: tree) == ["rules.d/rules.yaml:3:22", "rules.d/rules.yaml:6:12", "rules.d/rules.yaml:6:20",
                                                 "rules.d/rules.yaml:8:12"])
        #expect(result.errors[0].message == "rule `call-to-vote-ru`: NEAR needs a number: write NEAR/5")
        #expect(result.errors[1].message == "rule `support-en`: second")
        #expect(result.errors[3].message == "rule `folded`: folded (at character 9 of the query)")
    }

    @Test func theDefaultValidatorAcceptsEveryQuery() throws {
        let tree = try ConfigTree(["rules.d/rules.yaml": "rules:\n  - { id: call-to-vote-ru, query: '(((', tags: [call-to-vote] }\n  - { id: support-en, query: x }\n"])
        #expect(tree.load().errors.isEmpty)
    }
}

import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

/// Each mistake a monitor makes, reported at its exact `file:line:column` with a way to fix it.
@Suite struct ConfigurationErrorTests {
    @Test func anUnknownKeySuggestsTheNearestKnownOne() throws {
        let tree = try ConfigTree(["campaignwatch.yaml": "include: [elections.d/*.yaml, rules.d/*.yaml, watchlists.d/*.yaml]\npoll:\n  intervall: 5m\n"])
        expectOneError(tree.load(), in: tree, at: "campaignwatch.yaml:3:3", saying: "unknown key `intervall` in `poll`", "did you mean `interval`?")
    }

    @Test func anUnknownKeyDeepInAWatchlist() throws {
        let tree = try ConfigTree(["watchlists.d/kz.yaml": """
            subjects:
              - id: omarova
                name: "Asel Omarova"
                elections: [kz-mazhilis-2023]
                acounts:
                  - telegram: asel_omarova_kz

            """])
        expectOneError(tree.load(), in: tree, at: "watchlists.d/kz.yaml:5:5", saying: "did you mean `accounts`?")
    }

    @Test func aSettingInAnIncludedFileIsMisplaced() throws {
        let tree = try ConfigTree(["watchlists.d/settings.yaml": "poll:\n  interval: 5m\n"])
        expectOneError(tree.load(), in: tree, at: "watchlists.d/settings.yaml:1:1", saying: "`poll` is a setting of the main file")
    }

    @Test(arguments: [
        ("poll:\n  concurrency: many\n", "campaignwatch.yaml:2:16", "must be a whole number"),
        ("poll:\n  per_host: 0\n", "campaignwatch.yaml:2:13", "at least 1"),
        ("spool: /var/spool/campaignwatch\n", "campaignwatch.yaml:1:8", "must be a mapping"),
        ("spool: { format: maildir }\n", "campaignwatch.yaml:1:18", "one of: json, eml"),
        ("log: { level: verbose }\n", "campaignwatch.yaml:1:15", "not a valid log level"),
        ("poll:\n  interval: 300\n", "campaignwatch.yaml:2:13", "has no unit"),
        ("poll:\n  interval: 0s\n", "campaignwatch.yaml:2:13", "longer than 0s"),
        ("poll:\n  max_body: 10 megabytes\n", "campaignwatch.yaml:2:13", "not a unit of size"),
        ("poll:\n  jitter: 10\n", "campaignwatch.yaml:2:11", "not a percentage"),
        ("poll:\n  min_interval: 10m\n  interval: 5m\n", "campaignwatch.yaml:3:13", "must lie between"),
        ("poll:\n  min_interval: 2h\n  max_interval: 1h\n", "campaignwatch.yaml:2:17", "longer than `poll.max_interval`"),
        ("poll:\n  proxy: tor\n", "campaignwatch.yaml:2:10", "not a proxy address"),
        ("platforms:\n  telegam: { base_url: \"https://t.me/s/\" }\n", "campaignwatch.yaml:2:3", "did you mean `telegram`?"),
        ("platforms:\n  rss: { base_url: \"https://x.example\" }\n", "campaignwatch.yaml:2:20", "does not apply"),
        ("platforms:\n  telegram: { base_url: \"t.me/s/\" }\n", "campaignwatch.yaml:2:25", "not an http:// or https:// address"),
        ("evidence: { keep_raw: maybe }\n", "campaignwatch.yaml:1:23", "`true` or `false`"),
        ("state_dir:\n", "campaignwatch.yaml:1:11", "has no value"),
        ("include: watchlists.d/*.yaml\n", "campaignwatch.yaml:1:10", "must be a list"),
    ])
    func aWrongValueInTheMainFile(_ extra: String, _ place: String, _ phrase: String) throws {
        // The base's includes, on one line, then the setting under test.
        let main = extra.hasPrefix("include") ? extra
            : "include: [elections.d/*.yaml, rules.d/*.yaml, watchlists.d/*.yaml]\n" + extra
        let tree = try ConfigTree(["campaignwatch.yaml": main])
        let shifted = extra.hasPrefix("include") ? place : Self.shiftLine(place)
        let result = tree.load()
        if extra.hasPrefix("include") {
            // Nothing else is included, so the missing subjects are not reported over the real error.
            #expect(result.errorPlaces(in: tree).first == shifted)
            #expect(result.errors.first?.message.contains(phrase) == true, "\(result.errors)")
        } else {
            expectOneError(result, in: tree, at: shifted, saying: phrase)
        }
    }

    static func shiftLine(_ place: String) -> String {
        let parts = place.split(separator: ":")
        return "\(parts[0]):\(Int(parts[1])! + 1):\(parts[2])"
    }

    @Test func duplicateIdsSayWhereTheFirstOneIs() throws {
        let tree = try ConfigTree(["watchlists.d/more.yaml": """
            subjects:
              - id: omarova
                name: "Somebody else"
                elections: [kz-mazhilis-2023]

            """])
        let result = tree.load()
        expectOneError(result, in: tree, at: "watchlists.d/more.yaml:2:9", saying: "duplicate subject id `omarova`",
                       "first defined at \(tree.path("watchlists.d/kz.yaml")):2:9")
    }

    @Test func duplicateRuleAndElectionIds() throws {
        let tree = try ConfigTree([
            "rules.d/zz-more.yaml": "rules:\n  - { id: support-en, query: x }\n",
            "elections.d/zz-again.yaml": """
                elections:
                  - id: kz-mazhilis-2023
                    name: Again
                    timezone: Asia/Almaty
                    periods: [{ kind: silence, from: "2024-01-01", to: "2024-01-02" }]

                """,
        ])
        let result = tree.load()
        #expect(result.errorPlaces(in: tree) == ["elections.d/zz-again.yaml:2:9", "rules.d/zz-more.yaml:2:11"])
        #expect(result.errors[0].message.contains("duplicate election id"))
        #expect(result.errors[1].message.contains("duplicate rule id `support-en`: it is first defined at \(tree.path("rules.d/rules.yaml")):6:9"))
    }

    @Test func aDuplicateKeyInOneMapping() throws {
        let tree = try ConfigTree(["rules.d/rules.yaml": "rules:\n  - id: call-to-vote-ru\n    query: a\n    query: b\n    tags: [call-to-vote]\n  - { id: support-en, query: x }\n"])
        expectOneError(tree.load(), in: tree, at: "rules.d/rules.yaml:3:5", saying: "`query` appears more than once")
    }

    @Test func aYAMLSyntaxErrorIsLocated() throws {
        let tree = try ConfigTree(["watchlists.d/kz.yaml": "subjects:\n  - id: omarova\n    name: \"Asel Omarova\n    elections: [kz-mazhilis-2023]\n"])
        let result = tree.load()
        #expect(result.errors.first?.file == tree.path("watchlists.d/kz.yaml"))
        #expect(result.errors.first?.message.contains("YAML syntax error") == true)
        #expect((result.errors.first?.line ?? 0) >= 3)
    }

    @Test func aSubjectNamingAnUnknownElection() throws {
        let tree = try ConfigTree(["watchlists.d/kz.yaml": """
            subjects:
              - id: omarova
                name: "Asel Omarova"
                elections: [kz-mazhilis-2023, kz-mazhilis-2O23]
                accounts: [{ telegram: asel_omarova_kz }]

            """])
        expectOneError(tree.load(), in: tree, at: "watchlists.d/kz.yaml:4:35", saying: "unknown election `kz-mazhilis-2O23`",
                       "did you mean `kz-mazhilis-2023`?")
    }

    @Test func anElectionSelectingAnUnknownRuleOrTag() throws {
        let tree = try ConfigTree(["elections.d/kz.yaml": (ConfigTree.base["elections.d/kz.yaml"]!)
            .replacingOccurrences(of: "rules: [call-to-vote, support-en]", with: "rules: [call-to-vote, suport-en, nothing-like-it]")])
        let result = tree.load()
        #expect(result.errorPlaces(in: tree) == ["elections.d/kz.yaml:9:27", "elections.d/kz.yaml:9:38"])
        #expect(result.errors[0].message.contains("did you mean `support-en`?"))
        #expect(result.errors[1].message.contains("neither a rule id nor a rule tag"))
    }

    @Test func electionMistakes() throws {
        let tree = try ConfigTree(["elections.d/kz.yaml": """
            elections:
              - id: kz-mazhilis-2023
                name: "Mazhilis 2023"
                timezone: Asia/Almati
                periods:
                  - { kind: silence, from: "2023-03-18T00:00", to: "2023-03-19T20:00" }
              - id: kg-2025
                name: "Jogorku Kenesh 2025"
                timezone: Asia/Bishkek
                periods:
                  - { kind: pre-campaign, from: "2025-09-30", to: "2025-11-10" }
                  - { kind: campaign, from: "2025-11-09T00:00", to: "2025-11-29T08:00" }
                  - { kind: silence, from: "2025-11-30T08:00", to: "2025-11-29T08:00" }
                  - { kind: silent, from: "2025-12-01T08:00", to: "2025-12-02T08:00" }
                  - { kind: voting, from: "2025-11-31T08:00", to: "2025-12-30T20:00", prohibited: perhaps }
                  - { kind: runoff-silence, to: "2026-01-01T00:00" }
              - name: "No id"
                timezone: UTC
                periods: []

            """])
        let result = tree.load()
        #expect(result.errorPlaces(in: tree) == [
            "elections.d/kz.yaml:4:15",   // unknown time zone
            "elections.d/kz.yaml:12:9",   // overlaps the pre-campaign
            "elections.d/kz.yaml:13:56",  // to before from
            "elections.d/kz.yaml:14:17",  // unknown kind
            "elections.d/kz.yaml:15:31",  // no 31 November
            "elections.d/kz.yaml:15:87",  // not a boolean
            "elections.d/kz.yaml:16:9",   // no from
            "elections.d/kz.yaml:17:5",   // no id
            "elections.d/kz.yaml:19:14",  // empty periods
        ], "\(result.errors.map(\.description).joined(separator: "\n"))")
        let messages = result.errors.map(\.message)
        #expect(messages[0].contains("did you mean `Asia/Almaty`?"))
        #expect(messages[1].contains("overlaps the `pre-campaign` period at 11:9, which ends at 2025-11-10T00:00:00+06:00"))
        #expect(messages[2].contains("is not after `from`"))
        #expect(messages[3].contains("did you mean `silence`?"))
        #expect(messages[4].contains("no such day"))
        #expect(messages[6].contains("no `from`"))
        #expect(messages[7].contains("has no `id`"))
    }

    @Test func aSkippedLocalTimeIsAnError() throws {
        let tree = try ConfigTree(["elections.d/kz.yaml": (ConfigTree.base["elections.d/kz.yaml"]!)
            .replacingOccurrences(of: "timezone: Asia/Almaty", with: "timezone: Europe/Berlin")
            .replacingOccurrences(of: "\"2023-03-19T20:00\"", with: "\"2023-03-26T02:30\"")])
        expectOneError(tree.load(), in: tree, at: "elections.d/kz.yaml:8:56", saying: "does not exist in Europe/Berlin")
    }

    @Test func accountMistakes() throws {
        let tree = try ConfigTree(["watchlists.d/kz.yaml": """
            subjects:
              - id: omarova
                name: "Asel Omarova"
                elections: [kz-mazhilis-2023]
                accounts:
                  - { url: "https://example.org/feed.xml" }
                  - { telegram: asel_omarova_kz, bluesky: omarova.bsky.social }
                  - telegram: "@asel_omarova"
                  - mastodon: marat@mastodon.social
                  - youtube: UC123
                  - rss: example.org/feed.xml
                  - { telegram: valid_channel, url: "ftp://mirror.example.org/x" }
                  - https://example.org/feed.xml
                  - { twitter: asel }
                  - { telegram: another_one, poll: { interval: 1m, min_interval: 5m } }

            """])
        let result = tree.load()
        #expect(result.errorPlaces(in: tree) == [
            "watchlists.d/kz.yaml:6:9", "watchlists.d/kz.yaml:7:9", "watchlists.d/kz.yaml:8:19", "watchlists.d/kz.yaml:9:19",
            "watchlists.d/kz.yaml:10:18", "watchlists.d/kz.yaml:11:14", "watchlists.d/kz.yaml:12:41", "watchlists.d/kz.yaml:13:9",
            "watchlists.d/kz.yaml:14:11", "watchlists.d/kz.yaml:15:40",
        ], "\(result.errors.map(\.description).joined(separator: "\n"))")
        let m = result.errors.map(\.message)
        #expect(m[0].contains("no platform key"))
        #expect(m[1].contains("2 platform keys (telegram, bluesky)"))
        #expect(m[2].contains("without `@`: `asel_omarova`"))
        #expect(m[3].contains("`@marat@mastodon.social`"))
        #expect(m[4].contains("not a YouTube channel id"))
        #expect(m[5].contains("not an http:// or https:// address"))
        #expect(m[6].contains("not an http:// or https:// address"))
        #expect(m[7].contains("`- rss: https://example.org/feed.xml`"))
        #expect(m[8].contains("unknown key `twitter`"))
        #expect(m[9].contains("must lie between 5m and 6h"))
    }

    @Test func theSameAccountTwice() throws {
        let tree = try ConfigTree(["watchlists.d/more.yaml": """
            subjects:
              - id: other
                name: Other
                elections: [kz-mazhilis-2023]
                accounts: [{ telegram: asel_omarova_kz }]

            """])
        expectOneError(tree.load(), in: tree, at: "watchlists.d/more.yaml:5:28",
                       saying: "already watched for subject `omarova` at \(tree.path("watchlists.d/kz.yaml")):6:19")
    }

    @Test func missingRequiredKeysAndBadIds() throws {
        let tree = try ConfigTree(["watchlists.d/more.yaml": """
            subjects:
              - id: "Асель Омарова"
                name: Asel
                elections: [kz-mazhilis-2023]
              - id: nameless
                elections: [kz-mazhilis-2023]
              - id: no-elections
                name: X
                elections: []
                role: candidat

            """])
        let result = tree.load()
        #expect(result.errorPlaces(in: tree) == ["watchlists.d/more.yaml:2:9", "watchlists.d/more.yaml:5:5",
                                                 "watchlists.d/more.yaml:9:16", "watchlists.d/more.yaml:10:11"])
        #expect(result.errors[0].message.contains("Latin letters"))
        #expect(result.errors[1].message.contains("has no `name`"))
        #expect(result.errors[2].message.contains("name at least one"))
        #expect(result.errors[3].message.contains("did you mean `candidate`?"))
    }

    @Test func anEmptyWatchlist() throws {
        let tree = try ConfigTree(["watchlists.d/empty.yaml": "subjects: []\n"])
        expectOneError(tree.load(), in: tree, at: "watchlists.d/empty.yaml:1:11", saying: "the watchlist is empty")
    }

    @Test func anEmptyFile() throws {
        let tree = try ConfigTree(["watchlists.d/empty.yaml": "# nothing yet\n"])
        expectOneError(tree.load(), in: tree, at: "watchlists.d/empty.yaml:1:1", saying: "the file is empty")
    }

    @Test func noSubjectsAtAll() throws {
        let tree = try ConfigTree([:])
        try tree.remove("watchlists.d/kz.yaml")
        let result = tree.load()
        #expect(result.errorPlaces(in: tree) == ["campaignwatch.yaml:1:1"])
        #expect(result.errors.first?.message.contains("no subject is configured") == true)
        #expect(result.warningPlaces(in: tree) == ["campaignwatch.yaml:7:5"])   // watchlists.d/*.yaml matches nothing
    }

    @Test func aMissingPlainIncludeIsAnError() throws {
        let tree = try ConfigTree(["campaignwatch.yaml": "include:\n  - elections.d/kz.yaml\n  - rules.d/rules.yaml\n  - watchlists.d/kz.yml\n  - watchlists.d/kz.yaml\n"])
        expectOneError(tree.load(), in: tree, at: "campaignwatch.yaml:4:5", saying: "cannot include `watchlists.d/kz.yml`", "no such file")
    }

    @Test func aMatchThatIsNeitherYAMLNorCSV() throws {
        let tree = try ConfigTree(["campaignwatch.yaml": "include:\n  - elections.d/*\n  - rules.d/*.yaml\n  - watchlists.d/*.yaml\n",
                                   "elections.d/notes.txt": "remember the run-off"])
        expectOneError(tree.load(), in: tree, at: "campaignwatch.yaml:2:5", saying: "neither YAML", "notes.txt")
    }

    @Test func anUnreadableIncludedFile() throws {
        let tree = try ConfigTree([:])
        try FileManager.default.createSymbolicLink(atPath: tree.path("watchlists.d/broken.yaml"), withDestinationPath: tree.path("nowhere.yaml"))
        expectOneError(tree.load(), in: tree, at: "campaignwatch.yaml:7:5", saying: "cannot read", "broken.yaml", "No such file")
    }

    @Test func aMissingMainFile() throws {
        let tree = try ConfigTree([:])
        let result = tree.load("nope.yaml")
        #expect(result.errorPlaces(in: tree) == ["nope.yaml:1:1"])
        #expect(result.errors.first?.message.contains("check the path") == true)
    }

    @Test func notUTF8() throws {
        let tree = try ConfigTree([:])
        try Data([0x73, 0x75, 0x62, 0x6A, 0x65, 0x63, 0x74, 0x73, 0x3A, 0x0A, 0x2D, 0x20, 0xC0, 0x0A]).write(to: tree.directory.file("watchlists.d/kz.yaml"))
        let result = tree.load()
        #expect(result.errorPlaces(in: tree).first == "watchlists.d/kz.yaml:2:1")
        #expect(result.errors.first?.message.contains("UTF-8") == true)
    }

    /// Mistakes in four files at once are all reported, in file order.
    @Test func everyErrorIsReportedAtOnce() throws {
        let tree = try ConfigTree([
            "campaignwatch.yaml": "include: [elections.d/*.yaml, rules.d/*.yaml, watchlists.d/*.yaml, watchlists.d/*.csv]\npoll: { jitter: lots }\n",
            "elections.d/kz.yaml": (ConfigTree.base["elections.d/kz.yaml"]!).replacingOccurrences(of: "Asia/Almaty", with: "Almaty"),
            "rules.d/rules.yaml": (ConfigTree.base["rules.d/rules.yaml"]!).replacingOccurrences(of: "severity: high", with: "severity: urgent"),
            "watchlists.d/kz.yaml": (ConfigTree.base["watchlists.d/kz.yaml"]!).replacingOccurrences(of: "asel_omarova_kz", with: "t.me/asel_omarova_kz"),
            "watchlists.d/kg.csv": "subject_id,name,role,elections,district,tags,platform,handle,url\nkasymov,Bakyt Kasymov,candidate,kg-2025,,,telegram,bakyt_kasymov,\n",
        ])
        let result = tree.load()
        #expect(result.errorPlaces(in: tree) == ["campaignwatch.yaml:2:17", "elections.d/kz.yaml:4:15", "rules.d/rules.yaml:4:15",
                                                 "watchlists.d/kz.yaml:6:19", "watchlists.d/kg.csv:2:33"],
                "\(result.errors.map(\.description).joined(separator: "\n"))")
        #expect(result.configuration == nil)
        #expect(throws: ConfigurationErrors.self) { try result.get() }
        #expect(result.errors.allSatisfy { $0.description.hasPrefix($0.file + ":\($0.line):\($0.column): ") })
    }
}

/// Bluesky's per-account reading options: reposts and which replies.
@Suite struct BlueskyAccountOptionsTests {
    static func watchlist(_ account: String) -> String {
        """
        subjects:
          - id: omarova
            name: "Asel Omarova"
            elections: [kz-mazhilis-2023]
            accounts:
              - \(account)

        """
    }

    @Test func aBlueskyAccountTakesRepostsAndReplies() throws {
        let tree = try ConfigTree(["watchlists.d/kz.yaml": Self.watchlist("{ bluesky: omarova.example.org, reposts: true, replies: own-threads }")])
        let account = try #require(try tree.load().get().subjects.first { $0.id == "omarova" }?.accounts.first)
        #expect(account.reposts == true)
        #expect(account.replies == .ownThreads)
        let options = PlatformOptions().applying(account)
        #expect(options.includeReposts && options.replies == .ownThreads)
        // Not configured: the defaults stand.
        let plain = Account(platform: .bluesky, handle: "x.example.org", url: "")
        #expect(PlatformOptions().applying(plain) == PlatformOptions())
    }

    @Test func theyAreErrorsOnOtherPlatformsAndWithUnknownValues() throws {
        let tree = try ConfigTree(["watchlists.d/kz.yaml": Self.watchlist("{ telegram: asel_omarova_kz, reposts: true }")])
        expectOneError(tree.load(), in: tree, at: "watchlists.d/kz.yaml:6:38", saying: "apply to Bluesky accounts only")
        let typo = try ConfigTree(["watchlists.d/kz.yaml": Self.watchlist("{ bluesky: omarova.example.org, replies: some }")])
        expectOneError(typo.load(), in: typo, at: "watchlists.d/kz.yaml:6:50", saying: "`own-threads`")
    }
}

import CampaignWatch
import CampaignWatchCore
import Foundation
import Testing

@Suite struct CSVWatchlistTests {
    static let header = "subject_id,name,role,elections,district,tags,platform,handle,url\n"

    func tree(_ csv: String) throws -> ConfigTree {
        try ConfigTree([
            "campaignwatch.yaml": "include: [elections.d/*.yaml, rules.d/*.yaml, watchlists.d/*.csv]\n",
            "watchlists.d/kz.csv": csv,
        ])
    }

    @Test func rowsOfOneSubjectAreMerged() throws {
        let csv = "\u{FEFF}" + Self.header.replacingOccurrences(of: "\n", with: "\r\n")
            + "omarova,Asel Omarova,candidate,kz-mazhilis-2023,\"Almaty, district 3\",self-nominated;women,telegram,asel_omarova_kz,\r\n"
            + "omarova,,,,,list,bluesky,omarova.bsky.social,\r\n"
            + "omarova,Asel Omarova,,kz-mazhilis-2023,,,rss,https://example.org/feed.xml,\r\n"
            + "party,\"Party \"\"Green\"\"\",party,kz-mazhilis-2023,,,,,\r\n"
            + "media,Media,media,kz-mazhilis-2023,,,telegram,media_channel,http://127.0.0.1:8080/s/media_channel\r\n"
        let t = try tree(csv)
        let result = t.load()
        let c = try result.get()
        #expect(c.subjects.map(\.id) == ["omarova", "party", "media"])
        let omarova = c.subjects[0]
        #expect(omarova.district == "Almaty, district 3")
        #expect(omarova.tags == ["self-nominated", "women", "list"])
        #expect(omarova.accounts.map(\.platform) == [.telegram, .bluesky, .rss])
        #expect(c.subjects[1].name == "Party \"Green\"")
        #expect(c.subjects[1].accounts.isEmpty)
        #expect(c.subjects[2].accounts.first?.url == "http://127.0.0.1:8080/s/media_channel")
        #expect(result.warningPlaces(in: t) == ["watchlists.d/kz.csv:5:1"])   // the party has no accounts
        #expect(c.files.last == t.path("watchlists.d/kz.csv"))
    }

    @Test func columnsMayComeInAnyOrderWithNames() throws {
        let t = try tree("handle,platform,subject_id,name,elections,names\nasel_kz,telegram,omarova,Asel,kz-mazhilis-2023,Омарова; Omarova\n")
        let c = try t.load().get()
        #expect(c.subjects.first?.names == ["Asel", "Омарова", "Omarova"])
        #expect(c.subjects.first?.role == .candidate)
    }

    @Test func errorsNameTheRowAndColumn() throws {
        let csv = Self.header
            + "omarova,Asel Omarova,candidate,kz-mazhilis-2023,,,telegram,asel_omarova_kz,\n"       // row 2: fine
            + "omarova,Asel Omarov,,,,,bluesky,omarova.bsky.social,\n"                              // row 3: name differs
            + "kasymov,Bakyt,candidat,kz-mazhilis-2023,,,telegram,bakyt_kasymov,\n"                 // row 4: role
            + "temirov,Aibek,proxy,kz-mazhilis-2023; kg-2025,,,telegramm,aibek,\n"                 // row 5: platform
            + "ivanova,Ivanova,,kz-mazhilis-2023,,,youtube,@ivanova,\n"                             // row 6: handle
            + "short,row\n"                                                                          // row 7: width
            + ",Nobody,,kz-mazhilis-2023,,,,,\n"                                                     // row 8: no id
            + "zhanna,Zhanna,,,,,telegram,zhanna_kz,\n"                                              // row 9: no elections
            + "aliya,Aliya,,kz-mazhilis-2023; kg-2025,,,telegram,aliya_kz,\n"                        // row 10: unknown election
        let t = try tree(csv)
        let result = t.load()
        #expect(result.errorPlaces(in: t) == [
            "watchlists.d/kz.csv:3:9", "watchlists.d/kz.csv:4:15", "watchlists.d/kz.csv:5:49", "watchlists.d/kz.csv:6:45",
            "watchlists.d/kz.csv:7:1", "watchlists.d/kz.csv:8:1", "watchlists.d/kz.csv:9:1", "watchlists.d/kz.csv:10:32",
        ], "\(result.errors.map(\.description).joined(separator: "\n"))")
        let m = result.errors.map(\.message)
        #expect(m[0].hasPrefix("row 3, column `name`: `Asel Omarov` differs from `Asel Omarova` on row 2"))
        #expect(m[1].hasPrefix("row 4, column `role`:") && m[1].contains("did you mean `candidate`?"))
        #expect(m[2].hasPrefix("row 5, column `platform`:") && m[2].contains("did you mean `telegram`?"))
        #expect(m[3].hasPrefix("row 6, column `handle`:") && m[3].contains("channel id"))
        #expect(m[4].contains("row 7 has 2 fields but the header has 9"))
        #expect(m[5].hasPrefix("row 8, column `subject_id`: empty"))
        #expect(m[6].contains("subject `zhanna` has no `elections`"))
        #expect(m[7].contains("unknown election `kg-2025`"))
    }

    @Test func headerMistakes() throws {
        let t = try tree("subject_id,name,role,elections,district,tag,platform,handle,url\n")
        let result = t.load()
        #expect(result.errorPlaces(in: t) == ["watchlists.d/kz.csv:1:41"])
        #expect(result.errors.first?.message.contains("did you mean `tags`?") == true)
        let semicolons = try tree("subject_id;name;elections;platform;handle\nx;X;kz-mazhilis-2023;telegram;xxxxx\n")
        let r2 = semicolons.load()
        #expect(r2.errorPlaces(in: semicolons) == ["watchlists.d/kz.csv:1:1"])
        #expect(r2.errors.first?.message.contains("separated by `;`") == true)
        let missing = try tree("subject_id,name,elections,platform\nx,X,kz-mazhilis-2023,telegram\n")
        #expect(missing.load().errors.first?.message.contains("no `handle` column") == true)
    }

    @Test func anEmptyCSVWatchlist() throws {
        let headerOnly = try tree(Self.header)
        expectOneError(headerOnly.load(), in: headerOnly, at: "watchlists.d/kz.csv:1:1", saying: "header but no rows")
        let empty = try tree("")
        expectOneError(empty.load(), in: empty, at: "watchlists.d/kz.csv:1:1", saying: "the watchlist is empty")
    }

    @Test func aBrokenQuoteIsReportedWhereItOpens() throws {
        let t = try tree(Self.header + "omarova,\"Asel Omarova,candidate,kz-mazhilis-2023,,,telegram,asel_omarova_kz,\n")
        expectOneError(t.load(), in: t, at: "watchlists.d/kz.csv:2:9", saying: "never closed")
    }

    @Test func duplicatesAcrossYAMLAndCSV() throws {
        let t = try ConfigTree([
            "campaignwatch.yaml": "include: [elections.d/*.yaml, rules.d/*.yaml, watchlists.d/*.yaml, watchlists.d/*.csv]\n",
            "watchlists.d/kz.csv": Self.header + "omarova,Asel,,kz-mazhilis-2023,,,telegram,other_channel,\n",
        ])
        expectOneError(t.load(), in: t, at: "watchlists.d/kz.csv:2:1", saying: "duplicate subject id `omarova`")
    }
}

import CampaignWatchCore
import Testing

@Suite struct HTMLEntitiesTests {
    @Test func knowsTheWHATWGNames() {
        #expect(HTMLEntities.named.count == 2231)
        #expect(HTMLEntities.named["laquo;"] == "«")
        #expect(HTMLEntities.named["nbsp"] == "\u{A0}")
        #expect(HTMLEntities.named["NotEqualTilde;"] == "\u{2242}\u{338}")
    }

    @Test func numericReferencesFollowHTML() {
        #expect(HTMLEntities.numeric(0x96) == "\u{2013}")
        #expect(HTMLEntities.numeric(0) == "\u{FFFD}")
        #expect(HTMLEntities.numeric(0xD800) == "\u{FFFD}")
        #expect(HTMLEntities.numeric(0x416) == "Ж")
    }
}

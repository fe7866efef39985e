import CampaignWatchCore
import Testing

@Suite struct CSVTableTests {
    func parse(_ text: String) -> CSVTable { CSVTable.parse(Array(text.utf8)) }

    @Test func readsQuotedFieldsCRLFAndABOM() {
        let table = parse("\u{FEFF}a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\r\n1,2,3")
        #expect(table.problems.isEmpty)
        #expect(table.records.map { $0.fields.map(\.text) } == [["a", "b", "c"], ["x, y", "say \"hi\"", ""], ["1", "2", "3"]])
        #expect(table.records[1].fields[1].line == 2)
        #expect(table.records[1].fields[1].column == 8)
        #expect(table.records[1].fields[1].quoted)
        #expect(table.records[2].line == 3)
    }

    @Test func aQuotedLineBreakKeepsLaterLinesCounted() {
        let table = parse("id,text\n1,\"two\nlines\"\n2,after\n")
        #expect(table.problems.isEmpty)
        #expect(table.records.count == 3)
        #expect(table.records[1].fields[1].text == "two\nlines")
        #expect(table.records[2].line == 4)
        #expect(table.records[2].fields[1].column == 3)
    }

    @Test func columnsCountUnicodeScalars() {
        let table = parse("имя,handle\nАсель,asel\n")
        #expect(table.records[1].fields[1].column == 7)
    }

    @Test func blankLinesAndATrailingEmptyField() {
        let table = parse("a,b\n\n1,\n")
        #expect(table.records.count == 3)
        #expect(table.records[1].isBlank)
        #expect(table.records[2].fields.map(\.text) == ["1", ""])
    }

    @Test func anUnterminatedQuoteIsReportedWhereItOpens() {
        let table = parse("a,b\n1,\"open\n2,3\n")
        #expect(table.problems.count == 1)
        #expect(table.problems.first?.line == 2)
        #expect(table.problems.first?.column == 3)
        #expect(table.problems.first?.message.contains("never closed") == true)
    }

    @Test func strayQuotesAreReportedAndParsingGoesOn() {
        let table = parse("a,b\n1,ab\"c\n\"x\"y,2\n")
        #expect(table.problems.map(\.line) == [2, 3])
        #expect(table.problems.map(\.column) == [5, 4])
        #expect(table.records.count == 3)
    }

    @Test func invalidUTF8IsReportedWithItsLine() {
        var bytes = Array("a,b\n1,2\n".utf8)
        bytes += [0x41, 0xFF, 0x0A]
        let table = CSVTable.parse(bytes)
        #expect(table.problems.first?.line == 3)
        #expect(table.problems.first?.message.contains("UTF-8") == true)
    }
}

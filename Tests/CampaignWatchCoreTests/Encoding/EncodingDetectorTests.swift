@testable import CampaignWatchCore
import Testing

@Suite struct EncodingDetectorTests {
    @Test func charsetParameter() {
        #expect(EncodingDetector.charsetParameter("text/xml; charset=windows-1251") == "windows-1251")
        #expect(EncodingDetector.charsetParameter("application/rss+xml;CHARSET=\"koi8-r\"") == "koi8-r")
        #expect(EncodingDetector.charsetParameter("text/xml") == nil)
        #expect(EncodingDetector.charsetParameter("text/xml; boundary=x; charset=utf-8") == "utf-8")
    }

    @Test func labels() {
        #expect(Charset(label: "CP1251") == .singleByte(.windows1251))
        #expect(Charset(label: "x-cp1251") == .singleByte(.windows1251))
        #expect(Charset(label: "IBM866") == .singleByte(.cp866))
        #expect(Charset(label: "KOI8-U") == .singleByte(.koi8U))
        #expect(Charset(label: "latin1") == .singleByte(.windows1252))
        #expect(Charset(label: "UTF8") == .utf8)
        #expect(Charset(label: "Shift_JIS") == .iconv("shift_jis"))
        #expect(Charset(label: " ") == nil)
    }

    @Test func declarationIsReadOnlyAtTheStart() {
        let declared = Array("<?xml version='1.0' encoding = 'koi8-r' ?><rss/>".utf8)
        #expect(declared.withUnsafeBufferPointer { EncodingDetector.xmlDeclaredEncoding($0) } == "koi8-r")
        let late = Array("<rss><?xml version='1.0' encoding='koi8-r'?></rss>".utf8)
        #expect(late.withUnsafeBufferPointer { EncodingDetector.xmlDeclaredEncoding($0) } == nil)
    }

    @Test func singleByteTablesMatchTheStandards() {
        // Spot checks against the published code charts.
        let cp1251 = SingleByteEncoding.windows1251.upperHalf
        #expect(cp1251[0xC0 - 0x80] == 0x0410)  // А
        #expect(cp1251[0xFF - 0x80] == 0x044F)  // я
        #expect(cp1251[0xA8 - 0x80] == 0x0401)  // Ё
        let koi8r = SingleByteEncoding.koi8R.upperHalf
        #expect(koi8r[0xC1 - 0x80] == 0x0430)  // а
        #expect(koi8r[0xE1 - 0x80] == 0x0410)  // А
        let koi8u = SingleByteEncoding.koi8U.upperHalf
        #expect(koi8u[0xA4 - 0x80] == 0x0454)  // є
        #expect(koi8u[0xAD - 0x80] == 0x0491)  // ґ
        #expect(SingleByteEncoding.cp866.upperHalf[0x80 - 0x80] == 0x0410)
        #expect(SingleByteEncoding.iso8859_5.upperHalf[0xB0 - 0x80] == 0x0410)
    }

    @Test func utf8RepairReplacesMaximalSubparts() {
        let bytes: [UInt8] = [0x61, 0xF0, 0x9F, 0x98, 0x62, 0xC0, 0xAF, 0xED, 0xA0, 0x80, 0x63]
        let result = Transcoder.utf8(from: bytes, charset: .utf8)
        #expect(String(decoding: result.utf8, as: UTF8.self) == "a\u{FFFD}b\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}c")
        #expect(result.replaced == 6)
        #expect(result.firstReplacement == 1)
    }

    @Test func validatorFindsEveryBadByteInCyrillicText() {
        let text = Array("Кандидат провёл встречу с избирателями в Алматы".utf8)
        #expect(text.withUnsafeBufferPointer { UTF8Validator.firstInvalid($0) } == nil)
        for position in stride(from: 0, to: text.count, by: 1) where text[position] & 0xC0 != 0x80 {
            for bad: [UInt8] in [[0xFF], [0xC0, 0x80], [0xD0, 0x41], [0x80]] {
                let broken = Array(text[..<position]) + bad + Array(text[position...])
                #expect(broken.withUnsafeBufferPointer { UTF8Validator.firstInvalid($0) } == position, "\(bad) at \(position)")
            }
        }
    }

    @Test func utf16SurrogatesAndOddLength() {
        let bytes: [UInt8] = [0x3D, 0xD8, 0x00, 0xDE, 0x00, 0xD8, 0x41, 0x00, 0x42]
        let result = Transcoder.utf8(from: bytes, charset: .utf16LE)
        #expect(String(decoding: result.utf8, as: UTF8.self) == "😀\u{FFFD}A\u{FFFD}")
    }
}

import CampaignWatchCore
import Foundation

/// RFC 3161 time-stamp requests and tokens, as far as the chain needs them: a request for a
/// SHA-256 imprint, the token out of a response, and the imprint and time inside a token. The
/// TSA's signature is not checked here (that needs the TSA's certificate chain and belongs to
/// `openssl ts -verify`, which the bundle README shows); what is checked is that a token names
/// the chain hash it is stored for.
public enum TimeStampToken {
    /// 2.16.840.1.101.3.4.2.1
    public static let sha256OID: [UInt8] = [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01]
    /// 1.2.840.113549.1.9.16.1.4 (id-ct-TSTInfo)
    static let tstInfoOID: [UInt8] = [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x09, 0x10, 0x01, 0x04]

    public struct Info: Sendable, Hashable {
        public var hashAlgorithm: [UInt8]
        public var imprint: [UInt8]
        public var genTime: Date?
        public var nonce: [UInt8]?
    }

    /// A DER TimeStampReq for `digest` (32 bytes of SHA-256), asking for the TSA's certificate.
    public static func request(digest: [UInt8], nonce: [UInt8]) -> [UInt8] {
        let algorithm = DER.sequence(DER.element(0x06, sha256OID) + [0x05, 0x00])
        let imprint = DER.sequence(algorithm + DER.element(0x04, digest))
        return DER.sequence(DER.element(0x02, [0x01]) + imprint + DER.element(0x02, nonce) + [0x01, 0x01, 0xFF])
    }

    /// A positive 8-byte nonce.
    public static func makeNonce() -> [UInt8] {
        var bytes = (0..<8).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = (bytes[0] & 0x3F) | 0x40
        return bytes
    }

    /// The token inside a TimeStampResp; an error carrying the TSA's status when it refused.
    public static func token(fromResponse bytes: [UInt8]) throws(DER.Error) -> [UInt8] {
        let response = try DER.children(of: try DER.element(in: bytes, at: 0, expecting: 0x30), in: bytes)
        guard let statusInfo = response.first, statusInfo.tag == 0x30 else { throw DER.Error("no PKIStatusInfo") }
        let status = try DER.children(of: statusInfo, in: bytes)
        guard let code = status.first, code.tag == 0x02 else { throw DER.Error("no status in PKIStatusInfo") }
        let value = bytes[code.content].reduce(0) { $0 << 8 | Int($1) }
        guard value == 0 || value == 1 else { throw DER.Error("the time-stamping authority refused the request (status \(value))") }
        guard response.count >= 2, response[1].tag == 0x30 else { throw DER.Error("the response holds no token") }
        return Array(bytes[response[1].whole])
    }

    /// The imprint, time and nonce inside a token (a CMS ContentInfo holding SignedData over TSTInfo).
    public static func info(of token: [UInt8]) throws(DER.Error) -> Info {
        let contentInfo = try DER.children(of: try DER.element(in: token, at: 0, expecting: 0x30), in: token)
        guard contentInfo.count >= 2, contentInfo[1].tag == 0xA0 else { throw DER.Error("not a CMS ContentInfo") }
        guard let signedData = try DER.children(of: contentInfo[1], in: token).first, signedData.tag == 0x30 else {
            throw DER.Error("no SignedData")
        }
        let fields = try DER.children(of: signedData, in: token)
        guard fields.count >= 3, fields[2].tag == 0x30 else { throw DER.Error("no encapsulated content") }
        let encapsulated = try DER.children(of: fields[2], in: token)
        guard encapsulated.count == 2, Array(token[encapsulated[0].content]) == tstInfoOID, encapsulated[1].tag == 0xA0,
              let octets = try DER.children(of: encapsulated[1], in: token).first, octets.tag == 0x04 else {
            throw DER.Error("the token does not hold a TSTInfo")
        }
        let tstBytes = Array(token[octets.content])
        let tst = try DER.children(of: try DER.element(in: tstBytes, at: 0, expecting: 0x30), in: tstBytes)
        guard tst.count >= 5, tst[2].tag == 0x30 else { throw DER.Error("TSTInfo has no message imprint") }
        let imprint = try DER.children(of: tst[2], in: tstBytes)
        guard imprint.count == 2, imprint[1].tag == 0x04,
              let algorithm = try DER.children(of: imprint[0], in: tstBytes).first, algorithm.tag == 0x06 else {
            throw DER.Error("TSTInfo's message imprint cannot be read")
        }
        let genTime = tst[4].tag == 0x18 ? generalizedTime(Array(tstBytes[tst[4].content])) : nil
        let nonce = tst.dropFirst(5).first { $0.tag == 0x02 }.map { Array(tstBytes[$0.content]) }
        return Info(hashAlgorithm: Array(tstBytes[algorithm.content]), imprint: Array(tstBytes[imprint[1].content]),
                    genTime: genTime, nonce: nonce)
    }

    /// `YYYYMMDDHHMMSS[.f…]Z`.
    static func generalizedTime(_ bytes: [UInt8]) -> Date? {
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.count >= 15, text.hasSuffix("Z") else { return nil }
        let d = Array(text.utf8)
        func part(_ at: Int, _ count: Int) -> String { String(decoding: d[at..<at + count], as: UTF8.self) }
        var rfc = "\(part(0, 4))-\(part(4, 2))-\(part(6, 2))T\(part(8, 2)):\(part(10, 2)):\(part(12, 2))"
        if d[14] == UInt8(ascii: ".") {
            let fraction = String(decoding: d[15..<(d.count - 1)], as: UTF8.self)
            rfc += "." + String((fraction + "000").prefix(3))
        }
        return Timestamp.parse(rfc + "Z")
    }
}

/// Just enough DER: definite lengths, one element at a time.
public enum DER {
    public struct Error: Swift.Error, Sendable, Hashable, CustomStringConvertible {
        public var message: String
        init(_ message: String) { self.message = message }
        public var description: String { "RFC 3161: \(message)" }
    }

    public struct Element: Sendable, Hashable {
        public var tag: UInt8
        public var whole: Range<Int>
        public var content: Range<Int>
    }

    static func element(in bytes: [UInt8], at offset: Int, expecting tag: UInt8? = nil) throws(Error) -> Element {
        guard offset + 2 <= bytes.count else { throw Error("truncated at byte \(offset)") }
        let found = bytes[offset]
        if let tag, found != tag { throw Error(String(format: "expected tag 0x%02x at byte %d, found 0x%02x", tag, offset, found)) }
        var index = offset + 1
        var length = Int(bytes[index])
        index += 1
        if length & 0x80 != 0 {
            let count = length & 0x7F
            guard count >= 1, count <= 4, index + count <= bytes.count else { throw Error("bad length at byte \(offset)") }
            length = 0
            for _ in 0..<count {
                length = length << 8 | Int(bytes[index])
                index += 1
            }
        }
        guard index + length <= bytes.count else { throw Error("element at byte \(offset) runs past the end") }
        return Element(tag: found, whole: offset..<(index + length), content: index..<(index + length))
    }

    static func children(of parent: Element, in bytes: [UInt8]) throws(Error) -> [Element] {
        var out: [Element] = []
        var offset = parent.content.lowerBound
        while offset < parent.content.upperBound {
            let child = try element(in: bytes, at: offset)
            guard child.whole.upperBound <= parent.content.upperBound else { throw Error("element at byte \(offset) overruns its parent") }
            out.append(child)
            offset = child.whole.upperBound
        }
        return out
    }

    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var out = [tag]
        if content.count < 0x80 {
            out.append(UInt8(content.count))
        } else {
            var length = content.count
            var digits: [UInt8] = []
            while length > 0 {
                digits.insert(UInt8(length & 0xFF), at: 0)
                length >>= 8
            }
            out.append(0x80 | UInt8(digits.count))
            out += digits
        }
        return out + content
    }

    static func sequence(_ content: [UInt8]) -> [UInt8] { element(0x30, content) }
}

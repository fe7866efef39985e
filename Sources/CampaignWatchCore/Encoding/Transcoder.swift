#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns bytes in any supported encoding into valid UTF-8. Bytes that are not valid in the
/// encoding become U+FFFD; nothing here fails on bad input.
public enum Transcoder {
    public struct Result: Sendable {
        public var utf8: [UInt8]
        /// How many U+FFFD were put in place of undecodable bytes.
        public var replaced: Int
        /// iconv does not know the encoding: the bytes were read as UTF-8 instead.
        public var unsupported: Bool = false
        /// Offset in `utf8` of the first U+FFFD put in, when known (else 0 when any was).
        public var firstReplacement: Int?

        init(utf8: [UInt8], replaced: Int, unsupported: Bool = false, firstReplacement: Int? = nil) {
            self.utf8 = utf8
            self.replaced = replaced
            self.unsupported = unsupported
            self.firstReplacement = firstReplacement ?? (replaced > 0 ? 0 : nil)
        }
    }

    /// `bytes` (after a BOM of `skip` bytes) decoded from `charset` into UTF-8.
    /// `knownValid`: the caller has checked that the bytes are valid UTF-8.
    public static func utf8(from bytes: [UInt8], charset: Charset, skip: Int = 0, knownValid: Bool = false) -> Result {
        bytes.withUnsafeBufferPointer { whole in
            let p = UnsafeBufferPointer(rebasing: whole[min(skip, whole.count)...])
            switch charset {
            case .utf8:
                guard !knownValid, let bad = UTF8Validator.firstInvalid(p) else {
                    return Result(utf8: skip == 0 ? bytes : Array(p), replaced: 0)
                }
                let (fixed, replaced) = UTF8Validator.repair(p, firstInvalid: bad)
                return Result(utf8: fixed, replaced: replaced, firstReplacement: bad)
            case .singleByte(let encoding):
                return Result(utf8: decodeSingleByte(p, table: SingleByteDecoder.shared(encoding)), replaced: 0)
            case .utf16LE, .utf16:
                return decodeUTF16(p, bigEndian: false)
            case .utf16BE:
                return decodeUTF16(p, bigEndian: true)
            case .utf32LE, .utf32:
                return decodeUTF32(p, bigEndian: false)
            case .utf32BE:
                return decodeUTF32(p, bigEndian: true)
            case .iconv(let name):
                if let result = decodeWithIconv(p, name: name) { return result }
                var fallback = utf8(from: Array(p), charset: .utf8)
                fallback.unsupported = true
                return fallback
            }
        }
    }

    static func decodeSingleByte(_ p: UnsafeBufferPointer<UInt8>, table: SingleByteDecoder) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(p.count * 2)
        table.encoded.withUnsafeBufferPointer { encoded in
            for byte in p {
                if byte < 0x80 { out.append(byte); continue }
                let packed = encoded[Int(byte) - 0x80]
                out.append(UInt8(truncatingIfNeeded: packed))
                out.append(UInt8(truncatingIfNeeded: packed >> 8))
                if packed >> 24 == 3 { out.append(UInt8(truncatingIfNeeded: packed >> 16)) }
            }
        }
        return out
    }

    @inline(__always)
    static func appendScalar(_ value: UInt32, to out: inout [UInt8]) {
        switch value {
        case 0..<0x80:
            out.append(UInt8(value))
        case 0x80..<0x800:
            out.append(UInt8(0xC0 | (value >> 6)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            out.append(UInt8(0xE0 | (value >> 12)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        default:
            out.append(UInt8(0xF0 | (value >> 18)))
            out.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            out.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            out.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    static func decodeUTF16(_ p: UnsafeBufferPointer<UInt8>, bigEndian: Bool) -> Result {
        var out = [UInt8]()
        out.reserveCapacity(p.count * 3 / 2)
        var replaced = 0
        let units = p.count / 2
        @inline(__always) func unit(_ k: Int) -> UInt32 {
            let a = UInt32(p[2 * k]), b = UInt32(p[2 * k + 1])
            return bigEndian ? (a << 8 | b) : (b << 8 | a)
        }
        var k = 0
        while k < units {
            let u = unit(k)
            k += 1
            if u >= 0xD800 && u <= 0xDBFF {
                if k < units {
                    let low = unit(k)
                    if low >= 0xDC00 && low <= 0xDFFF {
                        k += 1
                        appendScalar(0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00), to: &out)
                        continue
                    }
                }
                out.append(contentsOf: UTF8Validator.replacement); replaced += 1
            } else if u >= 0xDC00 && u <= 0xDFFF {
                out.append(contentsOf: UTF8Validator.replacement); replaced += 1
            } else {
                appendScalar(u, to: &out)
            }
        }
        if p.count % 2 != 0 { out.append(contentsOf: UTF8Validator.replacement); replaced += 1 }
        return Result(utf8: out, replaced: replaced)
    }

    static func decodeUTF32(_ p: UnsafeBufferPointer<UInt8>, bigEndian: Bool) -> Result {
        var out = [UInt8]()
        out.reserveCapacity(p.count)
        var replaced = 0
        var i = 0
        while i + 4 <= p.count {
            let b = (UInt32(p[i]), UInt32(p[i + 1]), UInt32(p[i + 2]), UInt32(p[i + 3]))
            let value = bigEndian ? (b.0 << 24 | b.1 << 16 | b.2 << 8 | b.3) : (b.3 << 24 | b.2 << 16 | b.1 << 8 | b.0)
            if value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF) {
                out.append(contentsOf: UTF8Validator.replacement); replaced += 1
            } else {
                appendScalar(value, to: &out)
            }
            i += 4
        }
        if i < p.count { out.append(contentsOf: UTF8Validator.replacement); replaced += 1 }
        return Result(utf8: out, replaced: replaced)
    }

    /// glibc's iconv for everything without a built-in table; nil when iconv does not know `name`.
    /// An undecodable byte is replaced and skipped so one bad byte cannot end the document.
    static func decodeWithIconv(_ p: UnsafeBufferPointer<UInt8>, name: String) -> Result? {
        let descriptor = iconv_open("UTF-8", name)
        if descriptor == iconv_t(bitPattern: -1) { return nil }
        defer { iconv_close(descriptor) }
        guard let base = p.baseAddress, !p.isEmpty else { return Result(utf8: [], replaced: 0) }
        var out = [UInt8](repeating: 0, count: max(64, p.count * 2))
        var produced = 0
        var replaced = 0
        var input = UnsafeMutablePointer(mutating: UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self))
        var inputLeft = p.count
        while inputLeft > 0 {
            if out.count - produced < 16 { out.append(contentsOf: repeatElement(0, count: out.count)) }
            let (result, code, written) = out.withUnsafeMutableBufferPointer { buffer -> (Int, Int32, Int) in
                var output: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(buffer.baseAddress! + produced)
                    .assumingMemoryBound(to: CChar.self)
                var outputLeft = buffer.count - produced
                var inputPointer: UnsafeMutablePointer<CChar>? = input
                let result = iconv(descriptor, &inputPointer, &inputLeft, &output, &outputLeft)
                let code = result == -1 ? errno : 0
                input = inputPointer!
                return (result, code, buffer.count - produced - outputLeft)
            }
            produced += written
            if result != -1 { break }
            switch code {
            case E2BIG:
                out.append(contentsOf: repeatElement(0, count: out.count))
            default:
                // EILSEQ or EINVAL (a sequence cut short at the end): replace one byte, go on.
                if out.count - produced < 3 { out.append(contentsOf: repeatElement(0, count: out.count)) }
                out[produced] = 0xEF; out[produced + 1] = 0xBF; out[produced + 2] = 0xBD
                produced += 3
                replaced += 1
                input += 1
                inputLeft -= 1
            }
        }
        out.removeSubrange(produced...)
        // iconv emits valid UTF-8, but a lenient converter could pass bad bytes through.
        return out.withUnsafeBufferPointer { buffer in
            if let bad = UTF8Validator.firstInvalid(buffer) {
                let (fixed, more) = UTF8Validator.repair(buffer, firstInvalid: bad)
                return Result(utf8: fixed, replaced: replaced + more)
            }
            return Result(utf8: out, replaced: replaced)
        }
    }
}

/// A single-byte encoding's upper half as ready-made UTF-8: byte 0 and 1 (and 2) of the
/// encoding in the low bytes, the length in the top byte.
final class SingleByteDecoder: Sendable {
    let encoded: [UInt32]
    let scalars: [UInt16]

    private init(_ encoding: SingleByteEncoding) {
        scalars = encoding.upperHalf
        encoded = scalars.map { scalar in
            var bytes = [UInt8]()
            Transcoder.appendScalar(UInt32(scalar), to: &bytes)
            var packed = UInt32(bytes.count) << 24
            for (index, byte) in bytes.enumerated() { packed |= UInt32(byte) << (8 * UInt32(index)) }
            return packed
        }
    }

    private static let all: [SingleByteEncoding: SingleByteDecoder] = Dictionary(
        uniqueKeysWithValues: SingleByteEncoding.allCases.map { ($0, SingleByteDecoder($0)) })

    static func shared(_ encoding: SingleByteEncoding) -> SingleByteDecoder { all[encoding]! }
}

import CZlib

/// zlib compression for the loopback server's encoded bodies. Test and demo data only, so a
/// zlib failure yields an empty result rather than an error.
public enum Zlib {
    public enum Format: Sendable {
        /// `Content-Encoding: gzip`.
        case gzip
        /// `Content-Encoding: deflate`, which HTTP defines as the zlib format (RFC 1950).
        case zlib

        var windowBits: Int32 {
            switch self {
            case .gzip: 15 + 16
            case .zlib: 15
            }
        }
    }

    public static func compress(_ input: [UInt8], format: Format, level: Int32 = 6) -> [UInt8] {
        guard let deflater = Deflater(format: format, level: level) else { return [] }
        var copy = input
        copy.withUnsafeMutableBufferPointer { deflater.feed($0, last: true) }
        return deflater.output
    }

    /// A gzip stream that inflates to `decodedBytes` zero bytes: about a thousandth of that on
    /// the wire. What a hostile or broken server can send to exhaust a client's memory.
    public static func gzipBomb(decodedBytes: Int) -> [UInt8] {
        guard let deflater = Deflater(format: .gzip, level: 9) else { return [] }
        var zeros = [UInt8](repeating: 0, count: 1 << 20)
        var remaining = decodedBytes
        repeat {
            let count = min(remaining, zeros.count)
            remaining -= count
            zeros.withUnsafeMutableBufferPointer {
                deflater.feed(UnsafeMutableBufferPointer(rebasing: $0[0..<count]), last: remaining == 0)
            }
        } while remaining > 0
        return deflater.output
    }

    private final class Deflater {
        private var stream = z_stream()
        private var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        private(set) var output: [UInt8] = []

        init?(format: Format, level: Int32) {
            guard czlib_deflate_init2(&stream, level, format.windowBits) == Z_OK else { return nil }
        }

        deinit { deflateEnd(&stream) }

        func feed(_ piece: UnsafeMutableBufferPointer<UInt8>, last: Bool) {
            stream.next_in = piece.baseAddress
            stream.avail_in = uInt(piece.count)
            repeat {
                let produced = buffer.withUnsafeMutableBufferPointer { out -> Int in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    _ = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH)
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: buffer[0..<produced])
            } while stream.avail_out == 0 || (last && stream.avail_in > 0)
        }
    }
}

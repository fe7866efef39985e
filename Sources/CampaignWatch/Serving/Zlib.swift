import CZlib

/// zlib compression for the loopback server's encoded bodies. Test and demo data only, so
/// failures are reported as an empty result rather than thrown.
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
        var output: [UInt8] = []
        stream(format: format, level: level) { feed in
            var copy = input
            copy.withUnsafeMutableBufferPointer { feed($0, true) }
        } into: { output.append(contentsOf: $0) }
        return output
    }

    /// A gzip stream that inflates to `decodedBytes` zero bytes: about a thousandth of that on
    /// the wire. What a hostile or broken server can send to exhaust a client's memory.
    public static func gzipBomb(decodedBytes: Int) -> [UInt8] {
        var output: [UInt8] = []
        var zeros = [UInt8](repeating: 0, count: 1 << 20)
        stream(format: .gzip, level: 9) { feed in
            var remaining = decodedBytes
            while remaining > 0 {
                let count = min(remaining, zeros.count)
                remaining -= count
                zeros.withUnsafeMutableBufferPointer { feed(UnsafeMutableBufferPointer(rebasing: $0[0..<count]), remaining == 0) }
            }
        } into: { output.append(contentsOf: $0) }
        return output
    }

    /// Runs deflate over whatever `produce` feeds it (the Bool marks the last piece).
    private static func stream(
        format: Format, level: Int32,
        produce: ((UnsafeMutableBufferPointer<UInt8>, Bool) -> Void) -> Void,
        into consume: (UnsafeRawBufferPointer) -> Void
    ) {
        var z = z_stream()
        guard czlib_deflate_init2(&z, level, format.windowBits) == Z_OK else { return }
        defer { deflateEnd(&z) }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        produce { piece, last in
            z.next_in = piece.baseAddress
            z.avail_in = uInt(piece.count)
            repeat {
                let produced = buffer.withUnsafeMutableBufferPointer { out -> Int in
                    z.next_out = out.baseAddress
                    z.avail_out = uInt(out.count)
                    _ = deflate(&z, last ? Z_FINISH : Z_NO_FLUSH)
                    return out.count - Int(z.avail_out)
                }
                buffer.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
            } while z.avail_out == 0 || (last && z.avail_in > 0)
        }
    }
}

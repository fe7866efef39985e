import CZlib

/// A zlib failure, with zlib's own message.
public struct CompressionError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The stream ends before its end marker (a cut-off download).
        case truncated
        /// zlib rejected the data (wrong header, bad checksum, invalid codes).
        case corrupt
        /// The output would exceed the caller's limit (a decompression bomb, or simply too big).
        case tooLarge
        /// zlib itself failed (out of memory, version mismatch).
        case library
    }

    public var kind: Kind
    public var message: String
    public var description: String { message }

    /// The one place a zlib return code becomes a Swift error.
    static func check(_ code: Int32, _ stream: z_stream, _ operation: String) throws(CompressionError) {
        guard code != Z_OK && code != Z_STREAM_END else { return }
        let detail = stream.msg.map { String(cString: $0) } ?? String(cString: zError(code))
        let kind: Kind = code == Z_DATA_ERROR || code == Z_NEED_DICT ? .corrupt : .library
        throw CompressionError(kind: kind, message: "\(operation) failed: \(detail)")
    }
}

/// gzip (RFC 1952), zlib (RFC 1950) and raw deflate, through zlib, with a bound on output.
public enum Gzip {
    public enum Format: Sendable {
        case gzip
        case zlib
        case rawDeflate
        /// gzip or zlib, told from the header (HTTP `Content-Encoding: deflate` is sent either way).
        case automatic

        var windowBits: Int32 {
            switch self {
            case .gzip: 15 + 16
            case .zlib: 15
            case .rawDeflate: -15
            case .automatic: 15 + 32
            }
        }
    }

    /// The gzip magic number 1f 8b.
    public static func isCompressed(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// Decompresses `bytes`, refusing to produce more than `limit` bytes. Concatenated gzip
    /// members (as `cat a.gz b.gz` makes) are all read.
    public static func decompress(_ bytes: [UInt8], format: Format = .gzip, limit: Int = 256 << 20) throws(CompressionError) -> [UInt8] {
        let name = format == .gzip ? "gzip" : "deflate"
        var stream = z_stream()
        try CompressionError.check(czlib_inflate_init2(&stream, format.windowBits), stream, "\(name) setup")
        defer { inflateEnd(&stream) }
        var out = [UInt8]()
        out.reserveCapacity(min(limit, max(bytes.count * 4, 4096)))
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) in
            guard let base = input.baseAddress, input.count <= Int(UInt32.max) else {
                throw CompressionError(kind: .truncated, message: "\(name) data is empty")
            }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = UInt32(input.count)
            while true {
                let (code, produced) = chunk.withUnsafeMutableBufferPointer { buffer -> (Int32, Int) in
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    let code = inflate(&stream, Z_NO_FLUSH)
                    return (code, buffer.count - Int(stream.avail_out))
                }
                if produced > 0 {
                    guard out.count + produced <= limit else {
                        throw CompressionError(kind: .tooLarge, message: "\(name) data expands past \(limit) bytes (refused)")
                    }
                    out.append(contentsOf: chunk[0..<produced])
                }
                switch code {
                case Z_STREAM_END:
                    // Another gzip member may follow; anything else after the end is ignored.
                    let rest = Int(stream.avail_in)
                    guard format == .gzip, rest >= 2, let next = stream.next_in, next[0] == 0x1F, next[1] == 0x8B else { return }
                    try CompressionError.check(inflateReset(&stream), stream, "\(name) reset")
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    if stream.avail_in == 0 {
                        throw CompressionError(kind: .truncated,
                                               message: "truncated \(name) data: the stream ends after \(input.count) bytes without its end marker")
                    }
                default:
                    try CompressionError.check(code, stream, "\(name) decompression")
                }
            }
        }
        return out
    }

    /// gzip-compresses `bytes` (deflate with a gzip header and trailer).
    public static func compress(_ bytes: [UInt8], level: Int32 = 6) throws(CompressionError) -> [UInt8] {
        var stream = z_stream()
        try CompressionError.check(czlib_deflate_init2(&stream, level, 15 + 16), stream, "gzip setup")
        defer { deflateEnd(&stream) }
        var out = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 32)
        let written = try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) -> Int in
            try out.withUnsafeMutableBufferPointer { (output) throws(CompressionError) -> Int in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress ?? UnsafePointer(output.baseAddress!))
                stream.avail_in = UInt32(input.count)
                stream.next_out = output.baseAddress
                stream.avail_out = UInt32(output.count)
                let code = deflate(&stream, Z_FINISH)
                guard code == Z_STREAM_END else {
                    try CompressionError.check(code == Z_OK ? Z_BUF_ERROR : code, stream, "gzip compression")
                    return 0
                }
                return output.count - Int(stream.avail_out)
            }
        }
        out.removeSubrange(written...)
        return out
    }
}

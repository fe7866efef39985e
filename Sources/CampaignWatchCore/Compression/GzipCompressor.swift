import CZlib

/// A gzip compressor that keeps its zlib stream between calls (`deflateReset`), for many small
/// inputs in a row: setting up a deflate stream allocates a few hundred kilobytes, more work
/// than compressing an item of a feed. Each call produces one whole gzip member.
///
/// Not for concurrent use: one caller at a time (a pool hands instances out), which is why it is
/// `@unchecked Sendable`.
public final class GzipCompressor: @unchecked Sendable {
    /// zlib keeps a pointer back to its stream: it must not move, so it lives on the heap.
    private let stream: UnsafeMutablePointer<z_stream>
    private var ready = false
    public let level: Int32

    public init(level: Int32 = 1) {
        self.level = level
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
    }

    deinit {
        if ready { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses `bytes` into one gzip member appended to `out`; returns its length.
    @discardableResult
    public func compress(_ bytes: [UInt8], appendingTo out: inout [UInt8]) throws(CompressionError) -> Int {
        if ready {
            try CompressionError.check(deflateReset(stream), stream.pointee, "gzip reset")
        } else {
            try CompressionError.check(czlib_deflate_init2(stream, level, 15 + 16), stream.pointee, "gzip setup")
            ready = true
        }
        let start = out.count
        let bound = Int(deflateBound(stream, UInt(bytes.count))) + 32
        out.append(contentsOf: repeatElement(0, count: bound))
        let written = try bytes.withUnsafeBufferPointer { (input) throws(CompressionError) -> Int in
            try out.withUnsafeMutableBufferPointer { (output) throws(CompressionError) -> Int in
                var empty: UInt8 = 0
                return try withUnsafeMutablePointer(to: &empty) { (nothing) throws(CompressionError) -> Int in
                    stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress ?? UnsafePointer(nothing))
                    stream.pointee.avail_in = UInt32(input.count)
                    stream.pointee.next_out = output.baseAddress! + start
                    stream.pointee.avail_out = UInt32(bound)
                    let code = deflate(stream, Z_FINISH)
                    guard code == Z_STREAM_END else {
                        try CompressionError.check(code == Z_OK ? Z_BUF_ERROR : code, stream.pointee, "gzip compression")
                        return 0
                    }
                    return bound - Int(stream.pointee.avail_out)
                }
            }
        }
        out.removeSubrange((start + written)...)
        return written
    }

    /// One gzip member of `bytes`.
    public func compress(_ bytes: [UInt8]) throws(CompressionError) -> [UInt8] {
        var out: [UInt8] = []
        try compress(bytes, appendingTo: &out)
        return out
    }
}

extension Gzip {
    /// Appends a gzip member holding `bytes` in stored (uncompressed) deflate blocks: any gzip
    /// reader reads it, and writing it costs a CRC-32 and a copy. For small inputs, where
    /// building Huffman trees costs more than the few hundred bytes it saves.
    public static func appendStored(_ bytes: [UInt8], to out: inout [UInt8]) {
        // Header: magic, deflate, no flags, no time, no extra flags, OS unknown.
        out += [0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xFF]
        var start = 0
        repeat {
            let count = min(65_535, bytes.count - start)
            let final: UInt8 = start + count == bytes.count ? 1 : 0
            out += [final, UInt8(count & 0xFF), UInt8(count >> 8), UInt8(~count & 0xFF), UInt8((~count >> 8) & 0xFF)]
            out += bytes[start..<(start + count)]
            start += count
        } while start < bytes.count
        let crc = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        let size = UInt32(truncatingIfNeeded: bytes.count)
        for value in [crc, size] {
            out += [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 24)]
        }
    }
}

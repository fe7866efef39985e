import CZlib
import Foundation

/// A zip archive (PKWARE APPNOTE) with stored, uncompressed entries: every unzip tool and
/// Python's zipfile read it, and a bundle's bytes stay exactly as they are in the directory.
struct ZipWriter {
    private var out: [UInt8] = []
    private var central: [UInt8] = []
    private var count = 0
    private let time: UInt16
    private let date: UInt16

    init(modified: Date) {
        var parts = tm()
        var seconds = time_t(modified.timeIntervalSince1970)
        gmtime_r(&seconds, &parts)
        time = UInt16(parts.tm_hour) << 11 | UInt16(parts.tm_min) << 5 | UInt16(parts.tm_sec / 2)
        date = UInt16(max(parts.tm_year - 80, 0)) << 9 | UInt16(parts.tm_mon + 1) << 5 | UInt16(parts.tm_mday)
    }

    mutating func add(path: String, bytes: [UInt8]) {
        let name = Array(path.utf8)
        let crc = bytes.withUnsafeBufferPointer { UInt32(crc32(0, $0.baseAddress, uInt($0.count))) }
        let offset = UInt32(out.count)
        // Local file header; flag bit 11: the name is UTF-8.
        append32(&out, 0x0403_4B50)
        append16(&out, 20); append16(&out, 0x0800); append16(&out, 0)
        append16(&out, time); append16(&out, date)
        append32(&out, crc); append32(&out, UInt32(bytes.count)); append32(&out, UInt32(bytes.count))
        append16(&out, UInt16(name.count)); append16(&out, 0)
        out += name
        out += bytes
        // Central directory entry.
        append32(&central, 0x0201_4B50)
        append16(&central, 0x0314); append16(&central, 20); append16(&central, 0x0800); append16(&central, 0)
        append16(&central, time); append16(&central, date)
        append32(&central, crc); append32(&central, UInt32(bytes.count)); append32(&central, UInt32(bytes.count))
        append16(&central, UInt16(name.count)); append16(&central, 0); append16(&central, 0)
        append16(&central, 0); append16(&central, 0)
        append32(&central, 0o100644 << 16)
        append32(&central, offset)
        central += name
        count += 1
    }

    mutating func finish() -> [UInt8] {
        let start = UInt32(out.count)
        var result = out + central
        append32(&result, 0x0605_4B50)
        append16(&result, 0); append16(&result, 0)
        append16(&result, UInt16(count)); append16(&result, UInt16(count))
        append32(&result, UInt32(central.count)); append32(&result, start)
        append16(&result, 0)
        return result
    }

    private func append16(_ bytes: inout [UInt8], _ value: UInt16) {
        bytes.append(UInt8(value & 0xFF)); bytes.append(UInt8(value >> 8))
    }

    private func append32(_ bytes: inout [UInt8], _ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8((value >> UInt32(shift)) & 0xFF)) }
    }
}

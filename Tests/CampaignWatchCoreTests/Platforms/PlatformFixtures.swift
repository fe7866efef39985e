import Foundation

/// Reads files of Tests/Fixtures/platforms, found from this source file's path.
enum PlatformFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/platforms")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func text(_ name: String) throws -> String {
        String(decoding: try bytes(name), as: UTF8.self)
    }

    static func date(_ text: String) -> Date {
        guard let date = ISO8601DateFormatter.full.date(from: text) ?? ISO8601DateFormatter.plain.date(from: text) else {
            fatalError("bad date in a test: \(text)")
        }
        return date
    }
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let full: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()

    nonisolated(unsafe) static let plain = ISO8601DateFormatter()
}

extension Array where Element == UInt8 {
    /// Whether `other` occurs in this array as a contiguous run.
    func containsRun(_ other: [UInt8]) -> Bool {
        guard !other.isEmpty, other.count <= count else { return other.isEmpty }
        for start in 0...(count - other.count) where self[start] == other[0] {
            if self[start..<(start + other.count)].elementsEqual(other) { return true }
        }
        return false
    }
}

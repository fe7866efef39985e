import Foundation

/// JSON Lines input of `campaignwatch match --jsonl`: posts as `parse` prints them, or any
/// object with an `id` and a `text`.
public enum JSONLines {
    public struct Post: Sendable, Hashable {
        public var id: String
        public var text: String
        public var title: String?
        public var subject: String?
        public var publishedAt: String?
    }

    public struct LineError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Calls `body` with each line (1-based number, bytes without the newline), reading in chunks.
    public static func forEachLine(_ handle: FileHandle, _ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        var pending: [UInt8] = []
        var number = 0
        while true {
            let chunk = try handle.read(upToCount: 1 << 20) ?? Data()
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = 0
            while let newline = pending[start...].firstIndex(of: 0x0A) {
                number += 1
                try body(number, pending[start..<newline])
                start = newline + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty {
            number += 1
            try body(number, pending[...])
        }
    }

    public static func post(_ line: ArraySlice<UInt8>) throws(LineError) -> Post {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(line), options: [])
        } catch {
            throw LineError(description: "not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] ?? "cannot parse"))")
        }
        guard let fields = object as? [String: Any] else { throw LineError(description: "expected a JSON object with \"id\" and \"text\"") }
        let id: String
        switch fields["id"] {
        case let s as String: id = s
        case let n as NSNumber: id = n.stringValue
        default: throw LineError(description: "\"id\" must be a string or a number")
        }
        guard let text = fields["text"] as? String else { throw LineError(description: "\"text\" must be a string (post \(id))") }
        return Post(id: id, text: text, title: fields["title"] as? String, subject: fields["subject"] as? String,
                    publishedAt: fields["published_at"] as? String)
    }
}

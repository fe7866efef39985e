/// Builds readable plain text the way a browser lays out `white-space: normal` content: runs of
/// whitespace become one space, line breaks come only from `<br>` and block boundaries, and no
/// line starts or ends with a space. Works on UTF-8 bytes.
struct PlainTextBuilder {
    private(set) var bytes: [UInt8] = []
    private var pendingSpace = false
    /// Newlines the next content must be preceded by (1 after a block, 2 after a paragraph).
    private var pendingBreaks = 0

    init() {
        bytes.reserveCapacity(256)
    }

    var isEmpty: Bool { bytes.isEmpty }

    mutating func appendCollapsing(_ text: UnsafeBufferPointer<UInt8>) {
        var index = 0
        let count = text.count
        while index < count {
            let byte = text[index]
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D, 0x0C:
                pendingSpace = true
                index += 1
            case 0xC2 where index + 1 < count && text[index + 1] == 0xA0:
                // A no-break space is a space to a reader and to the rules; it is not collapsed.
                flushPending()
                bytes.append(0x20)
                index += 2
            default:
                flushPending()
                bytes.append(byte)
                index += 1
            }
        }
    }

    mutating func appendCollapsing(_ text: String) {
        var text = text
        text.withUTF8 { appendCollapsing($0) }
    }

    /// Text inside `<pre>`: kept as written.
    mutating func appendPreformatted(_ text: UnsafeBufferPointer<UInt8>) {
        guard !text.isEmpty else { return }
        flushPending()
        bytes.append(contentsOf: text)
    }

    /// A `<br>`: always a new line, even several in a row (an empty line is the author's choice).
    mutating func lineBreak() {
        if pendingBreaks > 0, !bytes.isEmpty { materialiseBreaks() }
        pendingBreaks = 0
        pendingSpace = false
        trimTrailingSpaces()
        bytes.append(0x0A)
    }

    /// The edge of a block element: the next content starts on a new line (`newlines` 2 leaves
    /// an empty line between paragraphs). Nothing is written until content follows.
    mutating func blockBoundary(_ newlines: Int) {
        pendingBreaks = max(pendingBreaks, newlines)
        pendingSpace = false
    }

    /// A separator between inline cells (table cells, list of options): one space.
    mutating func softSpace() {
        pendingSpace = true
    }

    private mutating func flushPending() {
        if bytes.isEmpty {
            pendingBreaks = 0
            pendingSpace = false
            return
        }
        if pendingBreaks > 0 {
            materialiseBreaks()
        } else if pendingSpace, let last = bytes.last, last != 0x0A, last != 0x20 {
            bytes.append(0x20)
        }
        pendingBreaks = 0
        pendingSpace = false
    }

    private mutating func materialiseBreaks() {
        trimTrailingSpaces()
        var trailing = 0
        var index = bytes.count - 1
        while index >= 0, bytes[index] == 0x0A {
            trailing += 1
            index -= 1
        }
        if pendingBreaks > trailing {
            bytes.append(contentsOf: repeatElement(0x0A, count: pendingBreaks - trailing))
        }
        pendingBreaks = 0
    }

    private mutating func trimTrailingSpaces() {
        while let last = bytes.last, last == 0x20 { bytes.removeLast() }
    }

    /// The text without leading or trailing blank space.
    func finish() -> String {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x0A { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x0A { end -= 1 }
        return String(decoding: bytes[start..<end], as: UTF8.self)
    }
}

import CByteScan

/// The tokenizer behind `HTMLText`: one pass over UTF-8, writing text as it goes.
struct HTMLTextRenderer {
    var out: [UInt8]
    private(set) var links: [String] = []
    private(set) var images: [String] = []
    /// An `&lt;` before a letter or an `&amp;` before a name was decoded: the text may hold markup
    /// that was escaped twice, worth a second look.
    private(set) var mayHoldEscapedMarkup = false

    private let singleLine: Bool
    private let collectURLs: Bool
    /// Whitespace owed before the next visible character: 0 none, 1 space, 2 line break, 3 blank line.
    private var pending: UInt8 = 0
    private var preDepth = 0
    private var cdataOpen = false
    private let index = HTMLEntityIndex.shared

    init(capacity: Int, singleLine: Bool, collectURLs: Bool) {
        out = []
        out.reserveCapacity(capacity)
        self.singleLine = singleLine
        self.collectURLs = collectURLs
    }

    /// Writes into `buffer`'s storage (taken over, emptied, its capacity kept).
    init(reusing buffer: inout [UInt8], capacity: Int, singleLine: Bool, collectURLs: Bool) {
        out = []
        swap(&out, &buffer)
        out.removeAll(keepingCapacity: true)
        out.reserveCapacity(capacity)
        self.singleLine = singleLine
        self.collectURLs = collectURLs
    }

    /// The end of a run of plain bytes (not whitespace, markup, a reference, U+00A0's lead byte,
    /// DEL or the `]` that may close a CDATA section) and single spaces starting at `start`
    /// (a block at a time in `cbs_html_run_end`).
    @inline(__always)
    private static func runEnd(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        cbs_html_run_end(p.baseAddress!, start, p.count)
    }

    // MARK: - Whitespace

    @inline(__always) private mutating func space() { if pending == 0 { pending = 1 } }
    @inline(__always) private mutating func block() { if pending < 2 { pending = 2 } }
    @inline(__always) private mutating func lineBreak() { pending = pending >= 2 ? 3 : 2 }

    @inline(__always) private mutating func flush() {
        guard pending != 0 else { return }
        if !out.isEmpty {
            if pending == 1 || singleLine {
                out.append(0x20)
            } else {
                out.append(0x0A)
                if pending == 3 { out.append(0x0A) }
            }
        }
        pending = 0
    }

    /// A decoded character: whitespace joins the pending whitespace, anything else is written.
    @inline(__always) private mutating func character(_ scalar: UInt32) {
        switch scalar {
        case 0x0A: if preDepth > 0 { lineBreak() } else { space() }
        case 0x0D: if preDepth == 0 { space() }
        case 0...0x20, 0x7F, 0xA0: space()
        default:
            flush()
            Transcoder.appendScalar(scalar, to: &out)
        }
    }

    private mutating func decodedValue(_ value: Range<Int>) {
        if value.count == 1 { character(UInt32(index.values[value.lowerBound])); return }
        if value.count == 2, index.values[value.lowerBound] == 0xC2, index.values[value.lowerBound + 1] == 0xA0 {
            space()
            return
        }
        flush()
        out.append(contentsOf: index.values[value])
    }

    // MARK: - Text

    /// Plain text: whitespace collapsed, line breaks kept, nothing decoded.
    mutating func renderPlain(_ p: UnsafeBufferPointer<UInt8>) {
        preDepth = 1
        var i = 0
        let n = p.count
        while i < n {
            let byte = p[i]
            if byte == 0x0A {
                lineBreak(); i += 1
            } else if byte == 0x0D {
                // CR LF is one break, made by the LF; a lone CR is a break of its own.
                if i + 1 >= n || p[i + 1] != 0x0A { lineBreak() }
                i += 1
            } else if byte <= 0x20 || byte == 0x7F {
                space(); i += 1
            } else if byte == 0xC2, i + 1 < n, p[i + 1] == 0xA0 {
                space(); i += 2
            } else {
                flush()
                var j = i + 1
                while j < n {
                    let c = p[j]
                    if c <= 0x20 || c == 0xC2 || c == 0x7F { break }
                    j += 1
                }
                out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                i = j
            }
        }
        preDepth = 0
    }

    mutating func render(_ p: UnsafeBufferPointer<UInt8>) {
        var i = 0
        let n = p.count
        while i < n {
            let byte = p[i]
            switch byte {
            case UInt8(ascii: "<"):
                i = tag(p, i)
            case UInt8(ascii: "&"):
                i = reference(p, i, escapedMarkupCheck: true)
            case 0x0A:
                if preDepth > 0 { lineBreak() } else { space() }
                i += 1
            case 0x0D:
                if preDepth == 0 { space() }
                i += 1
            case 0...0x20, 0x7F:
                space()
                i += 1
            case 0xC2 where i + 1 < n && p[i + 1] == 0xA0:
                space()
                i += 2
            case UInt8(ascii: "]") where cdataOpen && i + 2 < n && p[i + 1] == UInt8(ascii: "]") && p[i + 2] == UInt8(ascii: ">"):
                cdataOpen = false
                i += 3
            default:
                flush()
                // Copy a run of text at once; single spaces between words stay inside the run.
                let j = Self.runEnd(p, from: i + 1)
                if p[j - 1] == 0x20 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<(j - 1)]))
                    space()
                } else {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<j]))
                }
                i = j
            }
        }
    }

    /// `&…;` at `i`: decoded when it is a reference, else a literal `&`.
    private mutating func reference(_ p: UnsafeBufferPointer<UInt8>, _ i: Int, escapedMarkupCheck: Bool) -> Int {
        let j = i + 1
        let n = p.count
        if j < n, p[j] == UInt8(ascii: "#") {
            guard let (length, value, _) = NumericReference.parse(p, at: j) else {
                character(0x26)
                return j
            }
            let scalar = HTMLEntities.numeric(value).value
            if escapedMarkupCheck { checkEscapedMarkup(scalar, p, j + length) }
            character(scalar)
            return j + length
        }
        if let (length, value) = index.match(p, at: j, inAttribute: !escapedMarkupCheck) {
            if escapedMarkupCheck, value.count == 1 { checkEscapedMarkup(UInt32(index.values[value.lowerBound]), p, j + length) }
            decodedValue(value)
            return j + length
        }
        character(0x26)
        return j
    }

    @inline(__always)
    private mutating func checkEscapedMarkup(_ scalar: UInt32, _ p: UnsafeBufferPointer<UInt8>, _ next: Int) {
        guard next < p.count else { return }
        let following = p[next]
        if scalar == 0x3C, following.isASCIILetter || following == UInt8(ascii: "/") || following == UInt8(ascii: "!") {
            mayHoldEscapedMarkup = true
        } else if scalar == 0x26, following.isASCIILetter || following == UInt8(ascii: "#") {
            mayHoldEscapedMarkup = true
        }
    }

    // MARK: - Tags

    private func find(_ p: UnsafeBufferPointer<UInt8>, _ terminator: StaticString, from start: Int) -> Int? {
        let count = terminator.utf8CodeUnitCount
        let bytes = terminator.utf8Start
        var i = start
        while i + count <= p.count {
            if p[i] == bytes[0] {
                var equal = true
                for k in 1..<count where p[i + k] != bytes[k] { equal = false; break }
                if equal { return i }
            }
            i += 1
        }
        return nil
    }

    private mutating func tag(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let n = p.count
        guard i + 1 < n else { character(0x3C); return i + 1 }
        let next = p[i + 1]
        if next == UInt8(ascii: "!") {
            if i + 3 < n, p[i + 2] == UInt8(ascii: "-"), p[i + 3] == UInt8(ascii: "-") {
                return find(p, "-->", from: i + 4).map { $0 + 3 } ?? n
            }
            if let end = find(p, "<![CDATA[", from: i), end == i {
                cdataOpen = true
                return i + 9
            }
            return (find(p, ">", from: i + 2) ?? n - 1) + 1
        }
        if next == UInt8(ascii: "?") { return (find(p, ">", from: i + 2) ?? n - 1) + 1 }
        var j = i + 1
        let closing = next == UInt8(ascii: "/")
        if closing { j += 1 }
        guard j < n, p[j].isASCIILetter else { character(0x3C); return i + 1 }
        let nameStart = j
        while j < n, p[j].isASCIIAlphanumeric || p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: ":") { j += 1 }
        let nameEnd = j
        let kind = HTMLElements.kind(UnsafeBufferPointer(rebasing: p[nameStart..<nameEnd]))
        var attributes = Attributes()
        let wanted: Attributes.Wanted
        switch kind {
        case .image: wanted = collectURLs ? [.alt, .src] : [.alt]
        case .anchor where collectURLs: wanted = [.href]
        default: wanted = []
        }
        j = attributes.parse(p, from: j, wanted: wanted)
        switch kind {
        case .skip:
            if !closing && !attributes.selfClosing { return skipContent(p, from: j, name: p[nameStart..<nameEnd]) }
        case .block:
            block()
        case .lineBreak:
            lineBreak()
        case .cell:
            space()
        case .image:
            if let alt = attributes.alt, !alt.isEmpty {
                space()
                text(p, alt)
                space()
            }
            if collectURLs, let src = attributes.src { images.append(decodedString(p, src)) }
        case .anchor:
            if collectURLs, !closing, let href = attributes.href { links.append(decodedString(p, href)) }
        case .pre:
            block()
            preDepth = closing ? max(0, preDepth - 1) : preDepth + 1
        case .inline, .unknown:
            break
        }
        return j
    }

    /// Past the end tag of a script, style or template, or to the end when there is none.
    private func skipContent(_ p: UnsafeBufferPointer<UInt8>, from start: Int, name: Slice<UnsafeBufferPointer<UInt8>>) -> Int {
        var i = start
        let n = p.count
        while i + 1 < n {
            if p[i] == UInt8(ascii: "<"), p[i + 1] == UInt8(ascii: "/"), i + 2 + name.count <= n {
                var equal = true
                for (k, byte) in name.enumerated() where p[i + 2 + k].asciiLowercased != byte.asciiLowercased {
                    equal = false
                    break
                }
                if equal {
                    let after = i + 2 + name.count
                    if after >= n || !p[after].isASCIIAlphanumeric {
                        return (find(p, ">", from: after) ?? n - 1) + 1
                    }
                }
            }
            i += 1
        }
        return n
    }

    /// Attribute text (alt) with references decoded and whitespace collapsed.
    private mutating func text(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
        var i = range.lowerBound
        while i < range.upperBound {
            let byte = p[i]
            if byte == UInt8(ascii: "&") {
                i = reference(UnsafeBufferPointer(rebasing: p[..<range.upperBound]), i, escapedMarkupCheck: false)
            } else if byte <= 0x20 || byte == 0x7F {
                space(); i += 1
            } else if byte == 0xC2, i + 1 < range.upperBound, p[i + 1] == 0xA0 {
                space(); i += 2
            } else {
                flush(); out.append(byte); i += 1
            }
        }
    }

    private func decodedString(_ p: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        var renderer = HTMLTextRenderer(capacity: range.count, singleLine: true, collectURLs: false)
        renderer.text(p, range)
        return String(decoding: renderer.out, as: UTF8.self)
    }
}

/// The attributes of one start tag, read as far as the tag's `>` (a `>` inside quotes does
/// not end it).
struct Attributes {
    struct Wanted: OptionSet {
        let rawValue: UInt8
        static let alt = Wanted(rawValue: 1)
        static let src = Wanted(rawValue: 2)
        static let href = Wanted(rawValue: 4)
    }

    var alt: Range<Int>?
    var src: Range<Int>?
    var href: Range<Int>?
    var selfClosing = false

    /// Returns the offset just past the tag.
    mutating func parse(_ p: UnsafeBufferPointer<UInt8>, from start: Int, wanted: Wanted) -> Int {
        var i = start
        let n = p.count
        while i < n {
            let byte = p[i]
            if byte == UInt8(ascii: ">") { return i + 1 }
            if byte == UInt8(ascii: "/") {
                if i + 1 < n, p[i + 1] == UInt8(ascii: ">") { selfClosing = true; return i + 2 }
                i += 1
                continue
            }
            if byte.isXMLWhitespace { i += 1; continue }
            // Attribute name.
            let nameStart = i
            while i < n, !p[i].isXMLWhitespace, p[i] != UInt8(ascii: "="), p[i] != UInt8(ascii: ">"),
                  !(p[i] == UInt8(ascii: "/") && i + 1 < n && p[i + 1] == UInt8(ascii: ">")) { i += 1 }
            let nameEnd = i
            while i < n, p[i].isXMLWhitespace { i += 1 }
            guard i < n, p[i] == UInt8(ascii: "=") else { continue }
            i += 1
            while i < n, p[i].isXMLWhitespace { i += 1 }
            guard i < n else { break }
            let value: Range<Int>
            if p[i] == UInt8(ascii: "\"") || p[i] == UInt8(ascii: "'") {
                let quote = p[i]
                let valueStart = i + 1
                i = valueStart
                while i < n, p[i] != quote { i += 1 }
                value = valueStart..<i
                if i < n { i += 1 }
            } else {
                let valueStart = i
                while i < n, !p[i].isXMLWhitespace, p[i] != UInt8(ascii: ">") { i += 1 }
                value = valueStart..<i
            }
            if !wanted.isEmpty {
                let length = nameEnd - nameStart
                func named(_ text: StaticString) -> Bool {
                    guard length == text.utf8CodeUnitCount else { return false }
                    for k in 0..<length where p[nameStart + k].asciiLowercased != text.utf8Start[k] { return false }
                    return true
                }
                if wanted.contains(.alt), named("alt") { alt = value }
                else if wanted.contains(.src), named("src") { src = value }
                else if wanted.contains(.href), named("href") { href = value }
            }
        }
        return n
    }
}

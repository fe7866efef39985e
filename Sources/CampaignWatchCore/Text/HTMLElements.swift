/// What the plain-text rendering does with each HTML element.
enum HTMLElements {
    enum Kind: Sendable {
        /// Content dropped: script, style, template.
        case skip
        /// A line break before and after.
        case block
        case lineBreak
        /// Table cells: a space between them.
        case cell
        /// Replaced by its alt text.
        case image
        case anchor
        case pre
        /// Known HTML without effect on the text.
        case inline
        case unknown

        /// Whether the element puts a space between the words around it when normalising for
        /// the matcher (`MarkupStripper`): blocks, line breaks, table cells and preformatted
        /// blocks do, as a browser lays them out; skipped content, images, links, inline and
        /// unknown elements (rendered inline) do not, so `го<span></span>лосуйте` is one word.
        var separatesWords: Bool {
            switch self {
            case .block, .lineBreak, .cell, .pre: true
            case .skip, .image, .anchor, .inline, .unknown: false
            }
        }
    }

    /// Element names (ASCII-lowercased, up to 16 bytes packed into a UInt128) and their kinds,
    /// open addressing in 256 slots. Looked up for every tag of every item's HTML: the standard
    /// Dictionary's seeded hashing of a UInt128 cost more than the rest of reading a tag.
    private struct Table {
        private var keys = [UInt128](repeating: 0, count: 256)
        private var kinds = [Kind](repeating: .unknown, count: 256)

        @inline(__always)
        private static func slot(_ key: UInt128) -> Int {
            let mixed = (UInt64(truncatingIfNeeded: key) ^ UInt64(truncatingIfNeeded: key >> 64)) &* 0x9E37_79B9_7F4A_7C15
            return Int(mixed >> 56)
        }

        mutating func add(_ key: UInt128, _ kind: Kind) {
            var i = Self.slot(key)
            while keys[i] != 0 && keys[i] != key { i = (i + 1) & 255 }
            keys[i] = key
            kinds[i] = kind
        }

        @inline(__always)
        func kind(_ key: UInt128) -> Kind {
            var i = Self.slot(key)
            while true {
                let found = keys[i]
                if found == key { return kinds[i] }
                if found == 0 { return .unknown }
                i = (i + 1) & 255
            }
        }
    }

    private static let table: Table = {
        var table = Table()
        func add(_ kind: Kind, _ names: String) {
            for name in names.split(separator: " ") { table.add(key(Array(name.utf8)), kind) }
        }
        add(.skip, "script style template")
        add(.block, """
            address article aside blockquote body caption center dd details dialog dir div dl dt fieldset \
            figcaption figure footer form h1 h2 h3 h4 h5 h6 header hgroup hr html legend li main menu nav \
            ol p search section summary table tbody tfoot thead tr ul option
            """)
        add(.lineBreak, "br")
        add(.cell, "td th")
        add(.image, "img")
        add(.anchor, "a")
        add(.pre, "pre listing xmp plaintext")
        add(.inline, """
            abbr acronym audio b bdi bdo big button canvas cite code data del dfn em embed font i iframe \
            input ins kbd label map mark meter noscript object picture q rp rt ruby s samp select small \
            source span strike strong sub sup svg textarea time track tt u var video wbr head title meta \
            link base col colgroup area param
            """)
        return table
    }()

    @inline(__always)
    static func key(_ name: some Collection<UInt8>) -> UInt128 {
        var key: UInt128 = 0
        var shift: UInt128 = 0
        for byte in name {
            key |= UInt128(byte.asciiLowercased) << shift
            shift += 8
        }
        return key
    }

    /// HTML elements without an end tag, so a re-serialised `<br/>` does not become two breaks.
    private static let voidElements: Set<UInt128> = Set(
        "area base br col embed hr img input link meta param source track wbr".split(separator: " ").map { key(Array($0.utf8)) })

    static func isVoid(_ name: UnsafeBufferPointer<UInt8>) -> Bool {
        name.count <= 6 && voidElements.contains(key(name))
    }

    @inline(__always)
    static func kind(_ name: some Collection<UInt8>) -> Kind {
        guard name.count <= 16, name.count > 0 else { return .unknown }
        return table.kind(key(name))
    }
}

/// Whether text holds HTML, for fields whose type the feed does not give.
enum HTMLSniffer {
    /// A tag of a known element (`<p>`, `</b>`, `<br/>`, `<img …>`) or a reference
    /// (`&amp;`, `&#8212;`, `&nbsp;`).
    static func looksLikeHTML(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = p.count
        var i = 0
        while i < n {
            let byte = p[i]
            if byte == UInt8(ascii: "<") {
                var j = i + 1
                if j < n, p[j] == UInt8(ascii: "/") { j += 1 }
                let start = j
                while j < n, p[j].isASCIIAlphanumeric { j += 1 }
                if j > start, j - start <= 16, j == n || p[j].isXMLWhitespace || p[j] == UInt8(ascii: ">") || p[j] == UInt8(ascii: "/") {
                    if HTMLElements.kind(UnsafeBufferPointer(rebasing: p[start..<j])) != .unknown { return true }
                }
                if i + 3 < n, p[i + 1] == UInt8(ascii: "!"), p[i + 2] == UInt8(ascii: "-"), p[i + 3] == UInt8(ascii: "-") { return true }
            } else if byte == UInt8(ascii: "&"), i + 1 < n {
                if p[i + 1] == UInt8(ascii: "#") {
                    if let (_, _, terminated) = NumericReference.parse(p, at: i + 1), terminated { return true }
                } else {
                    var j = i + 1
                    while j < n, j - i <= 33, p[j].isASCIIAlphanumeric { j += 1 }
                    if j > i + 1, j < n, p[j] == UInt8(ascii: ";"),
                       HTMLEntityIndex.shared.value(of: UnsafeBufferPointer(rebasing: p[(i + 1)...j])) != nil {
                        return true
                    }
                }
            }
            i += 1
        }
        return false
    }
}

import CLibXML2

/// The state machine behind the streaming XML reader: SAX events in, posts out as each item
/// ends. One instance reads one document. A struct, so that a SAX callback costs one exclusive
/// access to it rather than one per property it touches.
struct XMLFeedHandler {
    enum Role {
        case document, container, feed, item, person, mediaGroup, source, skip, captured
    }

    struct Frame {
        var role: Role
        var pushedBase: Bool
    }

    enum Target {
        case feedTitle, feedLink, title, dcTitle, mediaTitle, link, guid, id, category, keywords
        case text(ItemFields.TextSlot)
        case date(ItemFields.DateSlot)
        case personName, personEmail, personURI, dcCreator, itunesAuthor
    }

    /// How child elements of a text field are kept.
    enum Markup {
        /// Text only (their tags are dropped, their text kept).
        case none
        /// HTML source: tags re-serialised, text kept as source.
        case source
        /// XHTML: tags re-serialised, text escaped so it stays text.
        case escaped
    }

    struct Capture {
        var target: Target
        var mode: TextValue.Mode
        var markup: Markup
        var depth: Int
        /// Where the text starts in its arena, and which arena: the item's or the feed's.
        var start: Int
        var inItem: Bool
        var sawChildren = false
    }

    struct Person {
        var owner: Role
        var name: String?
        var email: String?
        var uri: String?
        var text: [UInt8] = []
    }

    struct FeedFields {
        var title: String?
        var link: String?
        var authors: [String] = []
    }

    static let maxFieldBytes = 16 << 20

    // Input and settings.
    /// The text as served (before repair), from which raw items are cut.
    let served: UnsafeBufferPointer<UInt8>
    let log: XMLInputRepair.Log
    let documentURL: String?
    let keepRaw: Bool
    let maxDepth: Int
    let reading: FeedParser.XMLReading
    let onPost: (consuming Post) -> Void
    var ctxt: xmlParserCtxtPtr?

    // Results.
    var feed = FeedFields()
    var version: String?
    var rootName: String?
    var isAtom = false
    var warnings: [String] = []
    var problemCount = 0
    var errorCount = 0
    var failure: FeedParseError?
    /// libxml2 met a byte that is not UTF-8 in a document read unchecked.
    var stoppedAtInvalidUTF8 = false
    /// Posts built so far, including those an earlier attempt handed over.
    var postCount = 0

    // Reading state.
    private var frames: [Frame] = []
    private var bases: [String] = []
    private var capture: Capture?
    /// The text of the current item's fields, one after another (reused from item to item),
    /// and of the feed's own fields.
    private var itemArena: [UInt8] = []
    private var feedArena: [UInt8] = []
    private var scratch: [UInt8] = []
    private var truncatedField = false
    private var item: ItemFields?
    /// Where the current item's start tag begins in the text as served.
    private var itemStart = 0
    private var person: Person?
    private var duplicates = DuplicateIDs()
    private var names: InternedNames?
    /// Direct-mapped cache of classified (name, namespace) pointer pairs.
    private var elementCache = [CachedElement](repeating: CachedElement(), count: 256)

    private struct CachedElement {
        var name: UInt = 0
        var namespace: UInt = 0
        var element: FeedVocabulary.Element = .unknown
    }

    init(served: UnsafeBufferPointer<UInt8>, log: XMLInputRepair.Log, documentURL: String?, keepRaw: Bool, maxDepth: Int,
         reading: FeedParser.XMLReading, onPost: @escaping (consuming Post) -> Void) {
        self.reading = reading
        self.served = served
        self.log = log
        self.documentURL = documentURL
        self.keepRaw = keepRaw
        self.maxDepth = maxDepth
        self.onPost = onPost
        itemArena.reserveCapacity(64 << 10)
        scratch.reserveCapacity(16 << 10)
        frames.reserveCapacity(32)
    }

    mutating func attach(_ ctxt: xmlParserCtxtPtr) {
        self.ctxt = ctxt
        names = InternedNames(ctxt.pointee.dict)
    }

    // MARK: - Problems

    mutating func warn(_ message: String) {
        problemCount += 1
        if warnings.count < XMLInputRepair.maxReportedRepairs { warnings.append(message) }
    }

    mutating func error(_ error: xmlErrorPtr) {
        let e = error.pointee
        guard e.level != XML_ERR_WARNING else { return }
        var message = e.message.map { String(cString: $0) } ?? "error \(e.code)"
        message = message.trimmingWhitespace()
        // Reading unchecked UTF-8, libxml2 would go on as if the rest were Latin-1: stop here and
        // let the document be checked and repaired first.
        if reading.stopAtInvalidUTF8, e.code == Int32(XML_ERR_INVALID_CHAR.rawValue), message.hasPrefix("Input is not proper UTF-8") {
            stoppedAtInvalidUTF8 = true
            if let ctxt { xmlStopParser(ctxt) }
            return
        }
        // An undeclared prefix is read by its conventional meaning; nothing is lost.
        if e.domain == Int32(XML_FROM_NAMESPACE.rawValue) {
            warn("line \(e.line): \(message)")
            return
        }
        errorCount += 1
        warn("line \(e.line): \(message)")
    }

    private mutating func stop(_ reason: FeedParseError) {
        if failure == nil { failure = reason }
        if let ctxt { xmlStopParser(ctxt) }
    }

    /// libxml2 drops every entity reference, `&amp;` included, once the document is known not to
    /// be well-formed; errors are counted here instead, so tell it all is well before it reads on.
    @inline(__always) private func keepReferences() {
        if errorCount > 0, let ctxt { ctxt.pointee.wellFormed = 1 }
    }

    private var offset: Int { Int(cxml_input_offset(ctxt)) }

    private var currentLine: Int { Int(ctxt?.pointee.input?.pointee.line ?? 0) }

    // MARK: - Elements

    private mutating func element(_ localname: UnsafePointer<UInt8>, _ prefix: UnsafePointer<UInt8>?,
                         _ uri: UnsafePointer<UInt8>?) -> FeedVocabulary.Element {
        let name = UInt(bitPattern: localname)
        let space = uri.map { UInt(bitPattern: $0) } ?? prefix.map { UInt(bitPattern: $0) | 1 } ?? 0
        let slot = Int(truncatingIfNeeded: ((name >> 3) ^ (space >> 5)) & 255)
        if elementCache[slot].name == name && elementCache[slot].namespace == space { return elementCache[slot].element }
        let namespace: FeedVocabulary.Namespace
        if let uri {
            namespace = FeedVocabulary.namespaces[String(cString: uri)] ?? .other
        } else if let prefix {
            namespace = FeedVocabulary.conventionalPrefixes[String(cString: prefix)] ?? .other
        } else {
            namespace = .core
        }
        let element = FeedVocabulary.element(namespace, String(cString: localname))
        // Names come from the parser's dictionary and live as long as it does; only then is the
        // pointer a safe key.
        if let dict = ctxt?.pointee.dict, xmlDictOwns(dict, localname) == 1,
           uri.map({ xmlDictOwns(dict, $0) == 1 }) ?? prefix.map({ xmlDictOwns(dict, $0) == 1 }) ?? true {
            elementCache[slot] = CachedElement(name: name, namespace: space, element: element)
        }
        return element
    }

    mutating func start(_ localname: UnsafePointer<UInt8>, _ prefix: UnsafePointer<UInt8>?, _ uri: UnsafePointer<UInt8>?,
               _ count: Int, _ attributes: UnsafeMutablePointer<UnsafePointer<UInt8>?>?) {
        keepReferences()
        guard failure == nil, !stoppedAtInvalidUTF8 else { return }
        if frames.count >= maxDepth {
            stop(.nestingTooDeep(maxDepth))
            return
        }
        let attrs = AttributeList(names: names!, pointers: attributes, count: count)
        var pushedBase = false
        if let base = attrs.xmlBase {
            bases.append(URLResolver.resolve(base, against: bases.last ?? documentURL))
            pushedBase = true
        }
        if capture != nil {
            serializeStart(localname, attrs)
            frames.append(Frame(role: .captured, pushedBase: pushedBase))
            return
        }
        let element = element(localname, prefix, uri)
        let role: Role
        switch frames.last?.role ?? .document {
        case .document: role = root(element, localname, uri, attrs)
        case .container: role = containerChild(element, attrs)
        case .feed: role = feedChild(element, attrs)
        case .item where element == .item || element == .entry:
            // An item opened inside an unclosed item: the first ends where the second begins.
            errorCount += 1
            warn("line \(currentLine): <\(String(cString: localname))> inside an unclosed item (the first item ends there)")
            finishItem(servedEnd: tagStart())
            frames[frames.count - 1].role = .container
            role = beginItem(attrs)
        case .item: role = itemChild(element, attrs)
        case .mediaGroup: role = mediaChild(element, attrs)
        case .person: role = personChild(element)
        case .source: role = element == .author ? beginPerson(owner: .source) : .skip
        case .skip, .captured: role = .skip
        }
        frames.append(Frame(role: role, pushedBase: pushedBase))
    }

    private mutating func root(_ element: FeedVocabulary.Element, _ localname: UnsafePointer<UInt8>,
                      _ uri: UnsafePointer<UInt8>?, _ attrs: AttributeList) -> Role {
        rootName = String(cString: localname)
        switch element {
        case .rss:
            version = attrs.value(names!.version)
            return .container
        case .feed:
            isAtom = true
            let namespace = uri.map { String(cString: $0) }
            version = namespace == "http://purl.org/atom/ns#" || attrs.value(names!.version) == "0.3" ? "0.3" : "1.0"
            return .feed
        case .rdfRoot:
            version = "1.0"
            return .container
        case .channel:
            return .feed
        default:
            return .container
        }
    }

    private mutating func containerChild(_ element: FeedVocabulary.Element, _ attrs: AttributeList) -> Role {
        switch element {
        case .channel, .feed: .feed
        case .item, .entry: beginItem(attrs)
        default: .skip
        }
    }

    private mutating func feedChild(_ element: FeedVocabulary.Element, _ attrs: AttributeList) -> Role {
        switch element {
        case .item, .entry:
            return beginItem(attrs)
        case .title:
            beginCapture(.feedTitle, isAtom ? .text : .guess, attrs)
        case .link:
            if let href = attrs.value(names!.href) {
                let rel = attrs.value(names!.rel)?.lowercased() ?? "alternate"
                let type = attrs.value(names!.type)?.lowercased()
                if rel == "alternate", feed.link == nil, type == nil || type!.utf8Contains("html") {
                    feed.link = URLResolver.resolve(href, against: bases.last ?? documentURL)
                }
                return .skip
            }
            beginCapture(.feedLink, .text)
        case .author:
            return beginPerson(owner: .feed)
        default:
            return .skip
        }
        return .captured
    }

    private mutating func itemChild(_ element: FeedVocabulary.Element, _ attrs: AttributeList) -> Role {
        switch element {
        case .title: beginCapture(.title, isAtom ? .text : .guess, attrs)
        case .dcTitle: beginCapture(.dcTitle, .guess)
        case .mediaTitle: beginCapture(.mediaTitle, .text, attrs)
        case .link:
            if let href = attrs.value(names!.href) {
                let rel = attrs.value(names!.rel)?.lowercased() ?? "alternate"
                let url = resolve(href)
                if rel == "enclosure" {
                    item!.media.append(url)
                } else if let url {
                    item!.links.append(ItemFields.Link(rel: rel, type: attrs.value(names!.type), href: url))
                }
                return .skip
            }
            beginCapture(.link, .text)
        case .description: beginCapture(.text(.description), .guess)
        case .summary:
            guard !isBinary(attrs) else { return .skip }
            beginCapture(.text(.summary), isAtom ? .text : .guess, attrs)
        case .content:
            // Out-of-line (`src`) and base64 content hold no text to read.
            guard attrs.value(names!.src) == nil, !isBinary(attrs) else { return .skip }
            beginCapture(.text(.content), isAtom ? .text : .guess, attrs)
        case .contentEncoded: beginCapture(.text(.contentEncoded), .guess)
        case .dcDescription: beginCapture(.text(.dcDescription), .guess)
        case .mediaDescription: beginCapture(.text(.mediaDescription), .text, attrs)
        case .guid:
            if let permaLink = attrs.value(names!.isPermaLink) { item!.guidIsPermaLink = permaLink.lowercased() != "false" }
            beginCapture(.guid, .text)
        case .id: beginCapture(.id, .text)
        case .pubDate: beginCapture(.date(.pubDate), .text)
        case .published: beginCapture(.date(.published), .text)
        case .updated: beginCapture(.date(.updated), .text)
        case .issued: beginCapture(.date(.issued), .text)
        case .modified: beginCapture(.date(.modified), .text)
        case .created: beginCapture(.date(.created), .text)
        case .dcDate: beginCapture(.date(.dcDate), .text)
        case .dctermsIssued: beginCapture(.date(.dctermsIssued), .text)
        case .dctermsCreated: beginCapture(.date(.dctermsCreated), .text)
        case .dctermsModified: beginCapture(.date(.dctermsModified), .text)
        case .author: return beginPerson(owner: .item)
        case .dcCreator: beginCapture(.dcCreator, .text)
        case .itunesAuthor: beginCapture(.itunesAuthor, .text)
        case .category:
            if let term = attrs.value(names!.term) ?? attrs.value(names!.label) {
                item!.tags.append(HTMLText.collapsingWhitespace(term, singleLine: true))
                return .skip
            }
            beginCapture(.category, .text)
        case .dcSubject: beginCapture(.category, .text)
        case .mediaKeywords: beginCapture(.keywords, .text)
        case .enclosure:
            let url = resolve(attrs.value(names!.url))
            item!.media.append(url)
            return .skip
        case .mediaContent:
            let url = resolve(attrs.value(names!.url))
            item!.media.append(url)
            return .mediaGroup
        case .mediaThumbnail:
            let url = resolve(attrs.value(names!.url))
            item!.media.append(url)
            return .skip
        case .itunesImage:
            let url = resolve(attrs.value(names!.href))
            item!.media.append(url)
            return .skip
        case .mediaGroup: return .mediaGroup
        case .source: return .source
        default: return .skip
        }
        return .captured
    }

    private mutating func mediaChild(_ element: FeedVocabulary.Element, _ attrs: AttributeList) -> Role {
        switch element {
        case .mediaContent:
            let url = resolve(attrs.value(names!.url))
            item?.media.append(url)
            return .mediaGroup
        case .mediaThumbnail:
            let url = resolve(attrs.value(names!.url))
            item?.media.append(url)
            return .skip
        case .mediaTitle where item != nil: beginCapture(.mediaTitle, .text, attrs)
        case .mediaDescription where item != nil: beginCapture(.text(.mediaDescription), .text, attrs)
        case .mediaKeywords where item != nil: beginCapture(.keywords, .text)
        default: return .skip
        }
        return .captured
    }

    private mutating func personChild(_ element: FeedVocabulary.Element) -> Role {
        switch element {
        case .name: beginCapture(.personName, .text)
        case .email: beginCapture(.personEmail, .text)
        case .uri: beginCapture(.personURI, .text)
        default: return .skip
        }
        return .captured
    }

    /// The mode a `type` (and Atom 0.3 `mode`) attribute gives; nil when there is none.
    private func textMode(_ attrs: AttributeList) -> TextValue.Mode? {
        let mode = attrs.value(names!.mode)?.lowercased()
        guard let type = attrs.value(names!.type)?.lowercased().trimmingWhitespace(), !type.isEmpty else {
            return mode == "escaped" ? .guess : nil
        }
        switch type {
        case "html", "text/html": return .html
        case "xhtml", "application/xhtml+xml": return .html
        case "text", "text/plain", "plain": return mode == "escaped" ? .guess : .text
        default:
            if type.hasSuffix("+xml") || type.hasSuffix("/xml") { return .html }
            if type.hasPrefix("text/") { return .text }
            return .text
        }
    }

    private func isBinary(_ attrs: AttributeList) -> Bool {
        if attrs.value(names!.mode)?.lowercased() == "base64" { return true }
        guard let type = attrs.value(names!.type)?.lowercased() else { return false }
        return type.utf8Contains("/") && !type.hasPrefix("text/") && !type.hasSuffix("xml") && !type.utf8Contains("html")
    }

    /// Inline XHTML (Atom `type="xhtml"`, or Atom 0.3 HTML in `mode="xml"`): its text must stay text.
    private func isXHTML(_ attrs: AttributeList) -> Bool {
        let type = attrs.value(names!.type)?.lowercased() ?? ""
        let mode = attrs.value(names!.mode)?.lowercased()
        if type == "xhtml" || type == "application/xhtml+xml" { return mode != "escaped" }
        if type.hasSuffix("+xml") || type.hasSuffix("/xml") { return true }
        if (type == "html" || type == "text/html") && mode == "xml" { return true }
        return false
    }

    // MARK: - Items, people, captures

    private mutating func beginItem(_ attrs: AttributeList) -> Role {
        item = ItemFields()
        itemArena.removeAll(keepingCapacity: true)
        if let about = attrs.value(names!.about) { item!.rdfAbout = about.trimmingWhitespace() }
        itemStart = tagStart()
        return .item
    }

    /// Offset in the text as served of the `<` of the start tag just read: the read position is
    /// just past its `>`, and `<` cannot occur inside a start tag.
    private func tagStart() -> Int {
        var start = min(log.inputOffset(offset), served.count) - 1
        while start > 0, served[start] != UInt8(ascii: "<") { start -= 1 }
        return max(0, start)
    }

    private mutating func beginPerson(owner: Role) -> Role {
        guard owner != .item && owner != .source || item != nil else { return .skip }
        person = Person(owner: owner)
        return .person
    }

    /// `type="text"`, `type="html"` or no `type`, without `mode`: what nearly every feed says,
    /// read without making strings. Nil for anything else.
    private func commonTextMode(_ attrs: AttributeList) -> (mode: TextValue.Mode?, xhtml: Bool)? {
        guard attrs.rawValue(names!.mode) == nil else { return nil }
        guard let type = attrs.rawValue(names!.type) else { return (nil, false) }
        if type.equalsASCIIIgnoringCase("text") { return (.text, false) }
        if type.equalsASCIIIgnoringCase("html") { return (.html, false) }
        return nil
    }

    private mutating func beginCapture(_ target: Target, _ defaultMode: TextValue.Mode, _ attrs: AttributeList? = nil) {
        let mode: TextValue.Mode
        let xhtml: Bool
        if let attrs {
            if let common = commonTextMode(attrs) {
                mode = common.mode ?? defaultMode
                xhtml = common.xhtml
            } else {
                mode = textMode(attrs) ?? defaultMode
                xhtml = isXHTML(attrs)
            }
        } else {
            mode = defaultMode
            xhtml = false
        }
        let inItem = item != nil
        capture = Capture(target: target, mode: mode, markup: xhtml ? .escaped : (mode == .text ? .none : .source),
                          depth: frames.count, start: inItem ? itemArena.count : feedArena.count, inItem: inItem)
        truncatedField = false
    }

    mutating func characters(_ bytes: UnsafePointer<UInt8>, _ count: Int) {
        if let capture {
            let chunk = UnsafeBufferPointer(start: bytes, count: count)
            let fits = capture.inItem
                ? Self.append(chunk, escaping: capture.markup == .escaped, to: &itemArena, from: capture.start)
                : Self.append(chunk, escaping: capture.markup == .escaped, to: &feedArena, from: capture.start)
            if !fits && !truncatedField {
                truncatedField = true
                warn("a text field longer than \(Self.maxFieldBytes >> 20) MiB was cut short")
            }
        } else if person != nil, frames.last?.role == .person, person!.text.count < 4096 {
            person!.text.append(contentsOf: UnsafeBufferPointer(start: bytes, count: count))
        }
    }

    /// False when the field is already at its size limit (the chunk is dropped).
    private static func append(_ chunk: UnsafeBufferPointer<UInt8>, escaping: Bool, to arena: inout [UInt8], from start: Int) -> Bool {
        guard arena.count - start + chunk.count <= maxFieldBytes else { return false }
        guard escaping else {
            arena.append(contentsOf: chunk)
            return true
        }
        for byte in chunk {
            switch byte {
            case UInt8(ascii: "&"): arena.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): arena.append(contentsOf: "&lt;".utf8)
            default: arena.append(byte)
            }
        }
        return true
    }

    /// A placeholder the repair left: the text it stands for, as if libxml2 had read it.
    mutating func processingInstruction(_ target: UnsafePointer<UInt8>) {
        keepReferences()
        guard log.nextSideText < log.sideTexts.count else { return }
        let name = XMLInputRepair.placeholderTarget.utf8
        var k = 0
        for byte in name {
            guard target[k] == byte else { return }
            k += 1
        }
        guard target[k] == 0 else { return }
        let index = log.nextSideText
        log.nextSideText += 1
        switch log.sideTexts[index] {
        case .input(let range):
            if let base = served.baseAddress, !range.isEmpty { characters(base + range.lowerBound, range.count) }
        case .escaped(let range):
            charactersDecoding(UnsafeBufferPointer(rebasing: served[range]))
        case .decoded(let bytes):
            bytes.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress, !buffer.isEmpty { characters(base, buffer.count) }
            }
            log.sideTexts[index] = .decoded([])  // handed over: free it
        }
    }

    /// `characters` for text whose predefined and numeric references are still to be decoded:
    /// decoded straight into the field's arena when it keeps text as it is.
    private mutating func charactersDecoding(_ run: UnsafeBufferPointer<UInt8>) {
        guard let capture, capture.markup != .escaped else {
            guard capture != nil || person != nil && frames.last?.role == .person else { return }
            var decoded: [UInt8] = []
            decoded.reserveCapacity(run.count)
            _ = XMLInputRepair.decodeRun(run, into: &decoded, splitCDATAEnd: false)
            decoded.withUnsafeBufferPointer { buffer in
                if let base = buffer.baseAddress, !buffer.isEmpty { characters(base, buffer.count) }
            }
            return
        }
        let fits = capture.inItem
            ? Self.appendDecoding(run, to: &itemArena, from: capture.start)
            : Self.appendDecoding(run, to: &feedArena, from: capture.start)
        if !fits && !truncatedField {
            truncatedField = true
            warn("a text field longer than \(Self.maxFieldBytes >> 20) MiB was cut short")
        }
    }

    /// False when the decoded text would take the field past its size limit (it is dropped).
    private static func appendDecoding(_ run: UnsafeBufferPointer<UInt8>, to arena: inout [UInt8], from start: Int) -> Bool {
        let before = arena.count
        _ = XMLInputRepair.decodeRun(run, into: &arena, splitCDATAEnd: false)
        guard arena.count - start <= maxFieldBytes else {
            arena.removeSubrange(before...)
            return false
        }
        return true
    }

    /// Markup re-serialised into the capture's arena.
    private mutating func appendMarkup(_ bytes: UnsafeBufferPointer<UInt8>) {
        if capture!.inItem { itemArena.append(contentsOf: bytes) } else { feedArena.append(contentsOf: bytes) }
    }

    private mutating func appendMarkup(_ text: StaticString) {
        appendMarkup(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    private mutating func serializeStart(_ localname: UnsafePointer<UInt8>, _ attrs: AttributeList) {
        guard capture!.markup != .none else { return }
        capture!.sawChildren = true
        var length = 0
        while localname[length] != 0 { length += 1 }
        appendMarkup("<")
        appendMarkup(UnsafeBufferPointer(start: localname, count: length))
        if let alt = attrs.value(names!.alt) {
            var escaped = Array(" alt=\"".utf8)
            for byte in alt.utf8 {
                switch byte {
                case UInt8(ascii: "\""): escaped.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "&"): escaped.append(contentsOf: "&amp;".utf8)
                default: escaped.append(byte)
                }
            }
            escaped.append(UInt8(ascii: "\""))
            escaped.withUnsafeBufferPointer { appendMarkup($0) }
        }
        appendMarkup(">")
    }

    private mutating func serializeEnd(_ localname: UnsafePointer<UInt8>?) {
        guard capture!.markup != .none, let localname else { return }
        var length = 0
        while localname[length] != 0 { length += 1 }
        let name = UnsafeBufferPointer(start: localname, count: length)
        if HTMLElements.isVoid(name) { return }
        appendMarkup("</")
        appendMarkup(name)
        appendMarkup(">")
    }

    mutating func end(_ localname: UnsafePointer<UInt8>?) {
        keepReferences()
        guard let frame = frames.popLast() else { return }
        defer { if frame.pushedBase { bases.removeLast() } }
        if let capture {
            if frames.count > capture.depth {
                serializeEnd(localname)
                return
            }
            finishCapture(capture)
            self.capture = nil
            return
        }
        switch frame.role {
        case .item: finishItem()
        case .person: finishPerson()
        default: break
        }
    }

    /// After the last chunk: items a truncated or broken document left open are read as they are.
    mutating func finishDocument() {
        while !frames.isEmpty { end(nil) }
    }

    /// The base last resolved against, parsed once for the many links that share it.
    private var parsedBase: (text: String, base: URLResolver.Base)?

    private mutating func resolve(_ url: String?) -> String? {
        guard let url else { return nil }
        let trimmed = url.trimmingWhitespace()
        guard !trimmed.isEmpty else { return nil }
        if URLResolver.hasScheme(trimmed) { return trimmed }
        guard let base = bases.last ?? feed.link ?? documentURL else { return trimmed }
        if parsedBase?.text != base {
            guard let parsed = URLResolver.Base(base.trimmingWhitespace()) else { return trimmed }
            parsedBase = (base, parsed)
        }
        return parsedBase!.base.resolve(trimmed)
    }

    private mutating func finishCapture(_ capture: Capture) {
        var mode = capture.mode
        if mode == .guess && capture.sawChildren { mode = .html }
        let value = TextValue(range: capture.start..<(capture.inItem ? itemArena.count : feedArena.count), mode: mode)
        switch capture.target {
        case .feedTitle:
            if feed.title == nil { feed.title = feedArena.withUnsafeBufferPointer { value.plainText(in: $0, singleLine: true, scratch: &scratch) } }
        case .feedLink:
            if feed.link == nil, let link = feedArena.withUnsafeBufferPointer({ value.trimmed(in: $0) }) {
                feed.link = URLResolver.resolve(link, against: bases.last ?? documentURL)
            }
        case .title: item?.title = value
        case .dcTitle: item?.dcTitle = value
        case .mediaTitle: if item?.mediaTitle == nil { item?.mediaTitle = value }
        case .link:
            let url = resolve(trimmed(value, capture))
            if item?.link == nil { item?.link = url }
        case .guid:
            let guid = trimmed(value, capture)
            item?.guid = guid
        case .id:
            let id = trimmed(value, capture)
            item?.atomID = id
        case .category:
            let tag = plain(value, capture)
            item?.tags.append(tag)
        case .keywords:
            for keyword in (plain(value, capture) ?? "").split(separator: ",") {
                item?.tags.append(keyword.trimmingWhitespace())
            }
        case .text(let slot):
            if item?.texts[slot.rawValue] == nil { item?.texts[slot.rawValue] = value }
        case .date(let slot):
            if item?.dates[slot.rawValue] == nil { item?.dates[slot.rawValue] = value }
        case .personName:
            let name = plain(value, capture)
            person?.name = name
        case .personEmail:
            let email = trimmed(value, capture)
            person?.email = email
        case .personURI:
            let uri = trimmed(value, capture)
            person?.uri = uri
        case .dcCreator:
            if let author = plain(value, capture).flatMap(AuthorName.fromText) { item?.authors.append(author) }
        case .itunesAuthor:
            let author = plain(value, capture)
            item?.itunesAuthor = author
        }
    }

    private mutating func plain(_ value: TextValue, _ capture: Capture) -> String? {
        if capture.inItem {
            return itemArena.withUnsafeBufferPointer { value.plainText(in: $0, singleLine: true, scratch: &scratch) }
        }
        return feedArena.withUnsafeBufferPointer { value.plainText(in: $0, singleLine: true, scratch: &scratch) }
    }

    private func trimmed(_ value: TextValue, _ capture: Capture) -> String? {
        (capture.inItem ? itemArena : feedArena).withUnsafeBufferPointer { value.trimmed(in: $0) }
    }

    private mutating func finishPerson() {
        guard let person else { return }
        self.person = nil
        let author: String?
        if person.name != nil || person.email != nil {
            author = AuthorName.fromPerson(name: person.name, email: person.email, uri: person.uri)
        } else {
            author = AuthorName.fromText(String(decoding: person.text, as: UTF8.self))
        }
        guard let author else { return }
        switch person.owner {
        case .item: item?.authors.append(author)
        case .source: item?.sourceAuthors.append(author)
        default: feed.authors.append(author)
        }
    }

    /// `servedEnd`: where the item ends in the text as served, when not at the read position.
    private mutating func finishItem(servedEnd: Int? = nil) {
        // Moved out, not copied: a copy would retain and release every string the item holds.
        guard let fields = item.take() else { return }
        person = nil
        capture = nil
        let outputEnd = offset
        let itemEnd = max(itemStart, min(servedEnd ?? log.inputOffset(outputEnd), served.count))
        guard var post = itemArena.withUnsafeBufferPointer({ arena in
            fields.post(arena: arena, feedAuthors: isAtom ? feed.authors : [], scratch: &scratch)
        }) else { return }
        post.recovered = errorCount > 0 || (log.firstRepairOffset.map { $0 < outputEnd } ?? false)
        if keepRaw { post.raw = Array(UnsafeBufferPointer(rebasing: served[itemStart..<itemEnd])) }
        guard duplicates.admit(&post) else { return }
        postCount += 1
        if postCount > reading.skipPosts { onPost(post) }
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Equal to the lower-case ASCII `text`, ignoring ASCII case.
    func equalsASCIIIgnoringCase(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        for k in 0..<count where self[k].asciiLowercased != text.utf8Start[k] { return false }
        return true
    }
}

import CLibXML2

/// Streams a repaired UTF-8 document through libxml2's SAX2 push parser in chunks, so libxml2's
/// own buffer stays small whatever the document's size. Recovering, no network, no DTD, no
/// entity substitution (see `XMLInputRepair` for what reaches it).
enum XMLFeedReader {
    static let chunkSize = 256 << 10

    struct Outcome {
        var version: String?
        var title: String?
        var link: String?
        var warnings: [String]
        var problemCount: Int
        var postCount: Int
        var stoppedAtInvalidUTF8 = false
    }

    /// Reads `text` (UTF-8) through `XMLInputRepair` into libxml2, a piece at a time: neither
    /// the repair nor libxml2 holds a copy of the whole document. Raw items are cut from `text`
    /// (as served) through the repair's edit map.
    static func read(_ text: UnsafeBufferPointer<UInt8>, problemOffset: Int?, documentURL: String?,
                     options: FeedParseOptions, reading: FeedParser.XMLReading,
                     onPost: (consuming Post) -> Void) throws(FeedParseError) -> Outcome {
        var repair = XMLInputRepair(text, problemOffset: problemOffset, checkUTF8: reading.stopAtInvalidUTF8)
        return try withoutActuallyEscaping(onPost) { (onPost) throws(FeedParseError) -> Outcome in
            let box = XMLFeedHandlerBox(XMLFeedHandler(
                served: text, log: repair.log, documentURL: documentURL, keepRaw: options.keepRaw,
                maxDepth: options.maxDepth, reading: reading, onPost: onPost))
            let context = Unmanaged.passRetained(box)
            defer { context.release() }
            var sax = saxHandler()
            guard let ctxt = xmlCreatePushParserCtxt(&sax, context.toOpaque(), nil, 0, nil) else {
                throw .malformed("libxml2 could not create a parser")
            }
            defer { xmlFreeParserCtxt(ctxt) }
            _ = xmlCtxtUseOptions(ctxt, cxml_feed_sax_options())
            _ = xmlSwitchEncoding(ctxt, XML_CHAR_ENCODING_UTF8)
            box.handler.attach(ctxt)

            var more = true
            while more, box.handler.failure == nil, !box.handler.stoppedAtInvalidUTF8, ctxt.pointee.disableSAX == 0 {
                more = try repair.next { piece in
                    guard let base = piece.baseAddress, box.handler.failure == nil, !box.handler.stoppedAtInvalidUTF8 else { return }
                    var offset = 0
                    while offset < piece.count, ctxt.pointee.disableSAX == 0 {
                        let size = min(chunkSize, piece.count - offset)
                        _ = UnsafeRawPointer(base + offset).withMemoryRebound(to: CChar.self, capacity: size) {
                            xmlParseChunk(ctxt, $0, Int32(size), 0)
                        }
                        offset += size
                    }
                }
            }
            if box.handler.failure == nil, !box.handler.stoppedAtInvalidUTF8 { _ = xmlParseChunk(ctxt, nil, 0, 1) }
            if let failure = box.handler.failure { throw failure }
            if box.handler.stoppedAtInvalidUTF8 {
                return Outcome(version: nil, title: nil, link: nil, warnings: [], problemCount: 0,
                               postCount: box.handler.postCount, stoppedAtInvalidUTF8: true)
            }
            box.handler.finishDocument()
            let handler = box.handler
            let title = handler.feed.title
            let lines = lineNumbers(of: repair.repairs.map(\.offset), in: text)
            let repairWarnings = zip(lines, repair.repairs).map { "line \($0): \($1.message)" }
            return Outcome(version: handler.version, title: title, link: handler.feed.link,
                           warnings: repairWarnings + handler.warnings,
                           problemCount: repair.repairCount + handler.problemCount, postCount: handler.postCount)
        }
    }

    /// SAX2 callbacks only for what a feed needs: no DTD, entity or document callbacks, so
    /// nothing can declare, resolve or load anything through libxml2.
    private static func saxHandler() -> xmlSAXHandler {
        var sax = xmlSAXHandler()
        sax.initialized = cxml_sax2_magic()
        sax.startElementNs = { context, localname, prefix, uri, _, _, attributeCount, _, attributes in
            guard let localname else { return }
            withHandler(context) { $0.start(localname, prefix, uri, Int(attributeCount), attributes) }
        }
        sax.endElementNs = { context, localname, _, _ in
            withHandler(context) { $0.end(localname) }
        }
        sax.characters = { context, bytes, count in
            guard let bytes, count > 0 else { return }
            withHandler(context) { $0.characters(bytes, Int(count)) }
        }
        sax.cdataBlock = sax.characters
        sax.processingInstruction = { context, target, _ in
            guard let target else { return }
            withHandler(context) { $0.processingInstruction(target) }
        }
        sax.serror = { context, error in
            guard let context, let error else { return }
            withHandler(context) { $0.error(error) }
        }
        return sax
    }
}

/// Holds the handler for libxml2's `void *` user data.
final class XMLFeedHandlerBox {
    /// Unchecked: libxml2 calls back one callback at a time on the parsing thread, and the
    /// reader reads the handler only between calls into libxml2, so accesses never overlap; the
    /// runtime check on every callback cost about 3% of a parse.
    @exclusivity(unchecked) var handler: XMLFeedHandler
    init(_ handler: XMLFeedHandler) { self.handler = handler }
}

/// The handler behind libxml2's user data, without a retain and release per callback (the
/// reader holds the box for the whole parse).
/// Line numbers of ascending offsets, in one pass.
func lineNumbers(of offsets: [Int], in bytes: UnsafeBufferPointer<UInt8>) -> [Int] {
    var lines: [Int] = []
    var line = 1, position = 0
    for offset in offsets {
        let end = min(offset, bytes.count)
        while position < end {
            if bytes[position] == 0x0A { line += 1 }
            position += 1
        }
        lines.append(line)
    }
    return lines
}

@inline(__always)
private func withHandler(_ context: UnsafeMutableRawPointer?, _ body: (inout XMLFeedHandler) -> Void) {
    Unmanaged<XMLFeedHandlerBox>.fromOpaque(context!)._withUnsafeGuaranteedRef { body(&$0.handler) }
}

/// Attribute and namespace names the reader compares, interned in the parser's dictionary so a
/// pointer comparison finds them.
struct InternedNames {
    let href, rel, type, url, term, label, isPermaLink, about, base, xml, src, mode, version, alt: UnsafePointer<UInt8>?

    init(_ dict: xmlDictPtr?) {
        func intern(_ name: String) -> UnsafePointer<UInt8>? {
            name.withCString { xmlDictLookup(dict, UnsafeRawPointer($0).assumingMemoryBound(to: UInt8.self), -1) }
        }
        href = intern("href"); rel = intern("rel"); type = intern("type"); url = intern("url")
        term = intern("term"); label = intern("label"); isPermaLink = intern("isPermaLink")
        about = intern("about"); base = intern("base"); xml = intern("xml"); src = intern("src")
        mode = intern("mode"); version = intern("version"); alt = intern("alt")
    }
}

/// The attributes libxml2 hands a start-element callback: five pointers each (local name,
/// prefix, URI, value start, value end).
struct AttributeList {
    let names: InternedNames
    let pointers: UnsafeMutablePointer<UnsafePointer<UInt8>?>?
    let count: Int

    func value(_ name: UnsafePointer<UInt8>?) -> String? {
        guard let pointers, let name else { return nil }
        for index in 0..<count where pointers[5 * index] == name {
            return decode(index)
        }
        return nil
    }

    /// The value's bytes as libxml2 holds them (`&` still as `&#38;`), for quick comparisons.
    func rawValue(_ name: UnsafePointer<UInt8>?) -> UnsafeBufferPointer<UInt8>? {
        guard let pointers, let name else { return nil }
        for index in 0..<count where pointers[5 * index] == name {
            guard let start = pointers[5 * index + 3], let end = pointers[5 * index + 4] else { return UnsafeBufferPointer(start: nil, count: 0) }
            return UnsafeBufferPointer(start: start, count: end - start)
        }
        return nil
    }

    var xmlBase: String? {
        guard let pointers else { return nil }
        for index in 0..<count where pointers[5 * index] == names.base && pointers[5 * index + 1] == names.xml {
            return decode(index)
        }
        return nil
    }

    /// The value; libxml2 hands `&` (from `&amp;` or `&#38;`) over as `&#38;` when it does not
    /// substitute entities.
    private func decode(_ index: Int) -> String {
        guard let start = pointers![5 * index + 3], let end = pointers![5 * index + 4] else { return "" }
        let bytes = UnsafeBufferPointer(start: start, count: end - start)
        guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
        var decoded = [UInt8]()
        decoded.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "&"), i + 4 < bytes.count, bytes[i + 1] == UInt8(ascii: "#"),
               bytes[i + 2] == UInt8(ascii: "3"), bytes[i + 3] == UInt8(ascii: "8"), bytes[i + 4] == UInt8(ascii: ";") {
                decoded.append(UInt8(ascii: "&"))
                i += 5
            } else {
                decoded.append(bytes[i])
                i += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }
}

import CLibXML2

/// A libxml2 failure, with the library's own message where it gave one.
public struct MarkupError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    /// The line libxml2 reported, when it reported one.
    public var line: Int?

    public var description: String {
        if let line { return "line \(line): \(message)" }
        return message
    }
}

/// A parsed HTML or XML document (libxml2's tree), freed when the last reference goes.
///
/// Nodes are plain pointers into the tree: read them only inside `withRoot`, which keeps the
/// document alive for as long as the closure runs.
final class MarkupDocument {
    private let document: xmlDocPtr
    /// The parser recovered past at least one well-formedness error. Asked of XML only: the HTML
    /// parser repairs every page the way browsers do, so "recovered" would say nothing there.
    let recovered: Bool
    /// libxml2's first complaint when `recovered`, for messages.
    let recoveryMessage: MarkupError?

    private init(document: xmlDocPtr, recovered: Bool, recoveryMessage: MarkupError?) {
        self.document = document
        self.recovered = recovered
        self.recoveryMessage = recoveryMessage
    }

    deinit {
        xmlFreeDoc(document)
    }

    private static let initialised: Void = { xmlInitParser() }()

    /// Parses HTML the way a browser would (recovering from every error), never touching the
    /// network. `encoding` overrides what the page declares (Telegram serves UTF-8 and fragments
    /// declare nothing).
    static func html(_ bytes: [UInt8], encoding: String? = "UTF-8") throws(MarkupError) -> MarkupDocument {
        _ = initialised
        guard !bytes.isEmpty else { throw MarkupError(message: "the document is empty") }
        guard bytes.count <= Int(Int32.max) else { throw MarkupError(message: "the document is larger than libxml2 can read") }
        guard let context = htmlNewParserCtxt() else { throw MarkupError(message: "libxml2 could not allocate an HTML parser") }
        defer { htmlFreeParserCtxt(context) }
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                htmlCtxtReadMemory(context, pointer, Int32(buffer.count), nil, encoding, cxml_safe_html_text_options())
            }
        }
        guard let parsed else { throw lastError(context) ?? MarkupError(message: "libxml2 could not read the HTML") }
        return MarkupDocument(document: parsed, recovered: false, recoveryMessage: nil)
    }

    /// Parses XML with the project's safe options: no DTD, no network, no entity substitution.
    static func xml(_ bytes: [UInt8]) throws(MarkupError) -> MarkupDocument {
        _ = initialised
        guard !bytes.isEmpty else { throw MarkupError(message: "the document is empty") }
        guard bytes.count <= Int(Int32.max) else { throw MarkupError(message: "the document is larger than libxml2 can read") }
        guard let context = xmlNewParserCtxt() else { throw MarkupError(message: "libxml2 could not allocate an XML parser") }
        defer { xmlFreeParserCtxt(context) }
        let parsed: xmlDocPtr? = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) { pointer in
                xmlCtxtReadMemory(context, pointer, Int32(buffer.count), nil, nil, cxml_safe_xml_options())
            }
        }
        guard let parsed else { throw lastError(context) ?? MarkupError(message: "libxml2 could not read the XML") }
        let wellFormed = context.pointee.wellFormed != 0
        return MarkupDocument(document: parsed, recovered: !wellFormed, recoveryMessage: wellFormed ? nil : lastError(context))
    }

    private static func lastError(_ context: xmlParserCtxtPtr) -> MarkupError? {
        guard let error = xmlCtxtGetLastError(context), error.pointee.code != 0 else { return nil }
        var message = error.pointee.message.map { String(cString: $0) } ?? "error \(error.pointee.code)"
        while message.last?.isWhitespace == true { message.removeLast() }
        return MarkupError(message: message, line: error.pointee.line > 0 ? Int(error.pointee.line) : nil)
    }

    /// Runs `body` with the root element while the tree is guaranteed to stay allocated.
    func withRoot<Result, Failure: Error>(_ body: (MarkupNode?) throws(Failure) -> Result) throws(Failure) -> Result {
        defer { withExtendedLifetime(self) {} }
        return try body(xmlDocGetRootElement(document).map { MarkupNode($0, document: document) })
    }
}

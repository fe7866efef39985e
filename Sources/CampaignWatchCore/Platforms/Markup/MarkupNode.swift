import CLibXML2

/// One node of a `MarkupDocument`'s tree: a pointer, valid only inside `MarkupDocument.withRoot`.
///
/// Names, attributes and classes are compared as bytes without building Strings, because a
/// Telegram page is walked once per message for a dozen classes.
struct MarkupNode {
    let pointer: xmlNodePtr
    let document: xmlDocPtr

    init(_ pointer: xmlNodePtr, document: xmlDocPtr) {
        self.pointer = pointer
        self.document = document
    }

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool { pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE }

    /// Lower-case for HTML (libxml2's HTML parser folds tag names); the local name for XML.
    var name: String {
        guard let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    func hasName(_ expected: String) -> Bool {
        guard let name = pointer.pointee.name else { return false }
        return Self.cString(name, equals: expected)
    }

    var namespaceURI: String? {
        guard let namespace = pointer.pointee.ns, let href = namespace.pointee.href else { return nil }
        return String(cString: href)
    }

    func isElement(_ localName: String, namespace: String) -> Bool {
        guard isElement, hasName(localName), let ns = pointer.pointee.ns, let href = ns.pointee.href else { return false }
        return Self.cString(href, equals: namespace)
    }

    var firstChild: MarkupNode? { pointer.pointee.children.map { MarkupNode($0, document: document) } }
    var nextSibling: MarkupNode? { pointer.pointee.next.map { MarkupNode($0, document: document) } }
    var parent: MarkupNode? {
        guard let parent = pointer.pointee.parent, parent.pointee.type == XML_ELEMENT_NODE else { return nil }
        return MarkupNode(parent, document: document)
    }

    var children: Children { Children(first: firstChild) }

    struct Children: Sequence, IteratorProtocol {
        private var upcoming: MarkupNode?
        init(first: MarkupNode?) { upcoming = first }
        mutating func next() -> MarkupNode? {
            guard let current = upcoming else { return nil }
            upcoming = current.nextSibling
            return current
        }
    }

    var elementChildren: [MarkupNode] { children.filter(\.isElement) }

    /// The bytes of a text node's content (empty for other nodes).
    func withTextBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard isText, let content = pointer.pointee.content else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: content, count: Self.length(content)))
    }

    /// An attribute's value with entities already decoded by the parser.
    func attribute(_ attributeName: String) -> String? {
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name, Self.cString(name, equals: attributeName) {
                var value = ""
                var child = current.pointee.children
                while let node = child {
                    if let content = node.pointee.content { value += String(cString: content) }
                    child = node.pointee.next
                }
                return value
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// True when the `class` attribute lists `className` as one of its whitespace-separated words.
    func hasClass(_ className: String) -> Bool {
        guard isElement else { return false }
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let name = current.pointee.name, Self.cString(name, equals: "class") {
                var child = current.pointee.children
                while let node = child {
                    if let content = node.pointee.content, Self.classList(content, contains: className) { return true }
                    child = node.pointee.next
                }
                return false
            }
            attribute = current.pointee.next
        }
        return false
    }

    /// True when some class of the element starts with `prefix` (newer Telegram markup adds
    /// classes such as `tgme_widget_message_edited_mark`).
    func hasClass(withPrefix prefix: String) -> Bool {
        guard let classes = attribute("class") else { return false }
        return classes.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\u{0C}" })
            .contains { $0.hasPrefix(prefix) }
    }

    /// All of the element's text, in document order, as the parser decoded it.
    var textContent: String {
        var bytes: [UInt8] = []
        appendText(of: self, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    private func appendText(of node: MarkupNode, to bytes: inout [UInt8]) {
        if node.isText {
            node.withTextBytes { bytes.append(contentsOf: $0) }
            return
        }
        for child in node.children { appendText(of: child, to: &bytes) }
    }

    /// Depth-first search below this node (not the node itself).
    func first(where predicate: (MarkupNode) -> Bool) -> MarkupNode? {
        var stack: [MarkupNode] = []
        var cursor = firstChild
        while true {
            while let node = cursor {
                if node.isElement {
                    if predicate(node) { return node }
                    if let child = node.firstChild {
                        if let sibling = node.nextSibling { stack.append(sibling) }
                        cursor = child
                        continue
                    }
                }
                cursor = node.nextSibling
            }
            guard let resume = stack.popLast() else { return nil }
            cursor = resume
        }
    }

    /// Every element below this node that matches, in document order. `descendInto` stops the
    /// walk at elements whose insides must not be searched (a quoted reply inside a message).
    func all(where predicate: (MarkupNode) -> Bool, descendInto: (MarkupNode) -> Bool = { _ in true }) -> [MarkupNode] {
        var found: [MarkupNode] = []
        collect(into: &found, predicate, descendInto)
        return found
    }

    private func collect(into found: inout [MarkupNode], _ predicate: (MarkupNode) -> Bool, _ descendInto: (MarkupNode) -> Bool) {
        for child in children where child.isElement {
            if predicate(child) { found.append(child) }
            if descendInto(child) { child.collect(into: &found, predicate, descendInto) }
        }
    }

    func first(withClass className: String) -> MarkupNode? { first { $0.hasClass(className) } }

    func hasAncestor(within limit: MarkupNode, where predicate: (MarkupNode) -> Bool) -> Bool {
        var current = parent
        while let node = current, node.pointer != limit.pointer {
            if predicate(node) { return true }
            current = node.parent
        }
        return false
    }

    /// The element re-serialised by libxml2: the fallback when its bytes as served cannot be cut
    /// out of the input.
    func serializedHTML() -> [UInt8]? {
        guard let buffer = xmlBufferCreate() else { return nil }
        defer { xmlBufferFree(buffer) }
        guard xmlNodeDump(buffer, document, pointer, 0, 0) >= 0, let content = xmlBufferContent(buffer) else { return nil }
        return Array(UnsafeBufferPointer(start: content, count: Int(xmlBufferLength(buffer))))
    }

    static func cString(_ pointer: UnsafePointer<xmlChar>, equals expected: String) -> Bool {
        var index = 0
        for byte in expected.utf8 {
            if pointer[index] != byte { return false }
            index += 1
        }
        return pointer[index] == 0
    }

    private static func classList(_ list: UnsafePointer<xmlChar>, contains className: String) -> Bool {
        let length = Self.length(list)
        let target = Array(className.utf8)
        var start = 0
        while start < length {
            while start < length, isSpace(list[start]) { start += 1 }
            var end = start
            while end < length, !isSpace(list[end]) { end += 1 }
            if end - start == target.count {
                var equal = true
                for offset in 0..<target.count where list[start + offset] != target[offset] {
                    equal = false
                    break
                }
                if equal { return true }
            }
            start = end
        }
        return false
    }

    static func length(_ pointer: UnsafePointer<xmlChar>) -> Int {
        var count = 0
        while pointer[count] != 0 { count += 1 }
        return count
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }
}

/// Tells the format from the content (never from a URL or file name): after whitespace, `{`
/// is JSON; `<` is XML, and the root element (past the declaration, comments, processing
/// instructions and a DOCTYPE) says which XML format.
enum FeedSniffer {
    enum Kind: Equatable {
        /// `start`: where the document begins (after text a broken server wrote before it).
        case xml(FeedFormat, start: Int)
        case json(start: Int)
    }

    static func sniff(_ p: UnsafeBufferPointer<UInt8>) -> Result<Kind, FeedParseError> {
        var i = 0
        let n = p.count
        while i < n, p[i].isXMLWhitespace || p[i] == 0xEF && i + 2 < n && p[i + 1] == 0xBB && p[i + 2] == 0xBF {
            i += p[i] == 0xEF ? 3 : 1
        }
        guard i < n else { return .failure(.emptyInput) }
        if p[i] == UInt8(ascii: "{") { return .success(.json(start: i)) }
        if p[i] == UInt8(ascii: "[") { return .failure(.notAFeed("a JSON array, not a JSON Feed object")) }
        var rootFailure: FeedParseError?
        if p[i] == UInt8(ascii: "<") {
            switch root(p, from: i) {
            case .some(let (name, _)):
                if let format = format(ofRoot: name) { return .success(.xml(format, start: i)) }
                rootFailure = .notAFeed(describe(root: name))
                // An HTML page is what it says; a stray tag (a PHP warning's <b>) may precede the feed.
                if name.lowercased() == "html" { return .failure(rootFailure!) }
            case .none:
                return .failure(.notAFeed("XML without a root element"))
            }
        }
        // Text before the document (a PHP warning, a stray line): look for the feed a little further on.
        let window = min(n, i + 65_536)
        var k = i
        while k < window {
            if p[k] == UInt8(ascii: "<"), let (name, _) = root(p, from: k), let format = format(ofRoot: name) {
                return .success(.xml(format, start: k))
            }
            k += 1
        }
        return .failure(rootFailure ?? .notAFeed(describeText(p, from: i)))
    }

    static func format(ofRoot qualifiedName: String) -> FeedFormat? {
        let local = qualifiedName.split(separator: ":").last.map(String.init) ?? qualifiedName
        switch local {
        case "rss", "channel": return .rss
        case "RDF": return .rdf
        case "feed": return .atom
        default: return nil
        }
    }

    /// The qualified name of the root element and the offset of its `<`.
    static func root(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> (String, Int)? {
        var i = start
        let n = p.count
        func skip(past terminator: [UInt8]) {
            while i + terminator.count <= n {
                if p[i] == terminator[0], Array(p[i..<i + terminator.count]) == terminator { i += terminator.count; return }
                i += 1
            }
            i = n
        }
        while i < n {
            if p[i].isXMLWhitespace { i += 1; continue }
            guard p[i] == UInt8(ascii: "<"), i + 1 < n else { return nil }
            let next = p[i + 1]
            if next == UInt8(ascii: "?") { skip(past: Array("?>".utf8)); continue }
            if next == UInt8(ascii: "!") {
                if i + 3 < n, p[i + 2] == UInt8(ascii: "-"), p[i + 3] == UInt8(ascii: "-") { skip(past: Array("-->".utf8)); continue }
                // DOCTYPE, with an internal subset in brackets.
                var depth = 0
                i += 2
                while i < n {
                    let byte = p[i]
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                        i += 1
                        while i < n, p[i] != byte { i += 1 }
                    } else if byte == UInt8(ascii: "[") {
                        depth += 1
                    } else if byte == UInt8(ascii: "]") {
                        depth -= 1
                    } else if byte == UInt8(ascii: ">"), depth <= 0 {
                        i += 1
                        break
                    }
                    i += 1
                }
                continue
            }
            let nameStart = i + 1
            var j = nameStart
            while j < n, !p[j].isXMLWhitespace, p[j] != UInt8(ascii: ">"), p[j] != UInt8(ascii: "/"), j - nameStart < 64 { j += 1 }
            guard j > nameStart else { return nil }
            return (String(decoding: UnsafeBufferPointer(rebasing: p[nameStart..<j]), as: UTF8.self), i)
        }
        return nil
    }

    static func describe(root name: String) -> String {
        switch name.lowercased() {
        case "html": "an HTML page (root element <html>)"
        case "opml": "an OPML outline, not a feed"
        default: "XML whose root element is <\(name)>, not <rss>, <rdf:RDF> or <feed>"
        }
    }

    static func describeText(_ p: UnsafeBufferPointer<UInt8>, from start: Int) -> String {
        let sample = p[start..<min(p.count, start + 64)]
        let printable = sample.filter { $0 >= 0x20 || $0.isXMLWhitespace }.count
        if printable * 10 < sample.count * 9 { return "binary data, not text" }
        let text = String(decoding: sample, as: UTF8.self).replacingControlCharacters()
        return "text that is neither XML nor JSON (starts with “\(text.prefix(40))”)"
    }
}

extension String {
    func replacingControlCharacters() -> String {
        String(String.UnicodeScalarView(unicodeScalars.map { $0.value < 0x20 ? " " : $0 }))
    }
}

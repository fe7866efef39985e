/// Reads RSS 0.9x/2.0, RSS 1.0 (RDF), Atom 0.3/1.0 and JSON Feed 1.0/1.1 from bytes: pure,
/// bytes and what is known about them in, posts out.
///
/// The pipeline: gzip is undone when the bytes start with its magic number; the encoding is
/// decided (`EncodingDetector`) and the text decoded to UTF-8; the format is told from the
/// content (`FeedSniffer`) unless the caller names it; XML is repaired where libxml2 would
/// stumble (`XMLInputRepair`) and streamed through libxml2's SAX parser; JSON goes through a
/// small JSON reader. Broken documents are read as far as they go; posts read after a problem
/// carry `recovered`, and `ParsedFeed.warnings` says what the problems were.
public enum FeedParser {
    /// Parses a whole document and returns its posts.
    public static func parse(_ bytes: [UInt8], source: FeedSource = FeedSource(), format: FeedFormat? = nil,
                             options: FeedParseOptions = FeedParseOptions()) throws(FeedParseError) -> ParsedFeed {
        var posts: [Post] = []
        var feed = try parse(bytes, source: source, format: format, options: options) { posts.append($0) }
        feed.posts = posts
        return feed
    }

    /// Parses a document and hands each post over as soon as its item ends, so memory does
    /// not grow with the number of posts. The returned feed's `posts` is empty.
    public static func parse(_ bytes: [UInt8], source: FeedSource = FeedSource(), format: FeedFormat? = nil,
                             options: FeedParseOptions = FeedParseOptions(),
                             onPost: (consuming Post) -> Void) throws(FeedParseError) -> ParsedFeed {
        guard !bytes.isEmpty else { throw .emptyInput }
        var input = bytes
        if Gzip.isCompressed(input) {
            do {
                input = try Gzip.decompress(input, limit: options.maxDecompressedBytes)
            } catch {
                throw .compression(error.description)
            }
            guard !input.isEmpty else { throw .emptyInput }
        }

        // UTF-8 XML is not checked up front: libxml2 checks every character it reads and reports
        // the first bad byte, and only then is the document decoded again, checked and repaired
        // (the posts already handed over are not handed over twice).
        let quick = EncodingDetector.detect(input, contentType: source.contentType, checkUTF8: false)
        if quick.charset == .utf8, !quick.validUTF8, format != .jsonfeed {
            switch try attempt(input, decision: quick, source: source, format: format, options: options,
                               stopAtInvalidUTF8: true, skipPosts: 0, onPost: onPost) {
            case .parsed(let feed): return feed
            case .invalidUTF8(let delivered):
                let decision = EncodingDetector.detect(input, contentType: source.contentType)
                return try attempt(input, decision: decision, source: source, format: format, options: options,
                                   stopAtInvalidUTF8: false, skipPosts: delivered, onPost: onPost).feed
            }
        }
        let decision = quick.charset == .utf8 && !quick.validUTF8
            ? EncodingDetector.detect(input, contentType: source.contentType) : quick
        return try attempt(input, decision: decision, source: source, format: format, options: options,
                           stopAtInvalidUTF8: false, skipPosts: 0, onPost: onPost).feed
    }

    enum Attempt {
        case parsed(ParsedFeed)
        /// libxml2 met a byte that is not UTF-8 after this many posts were handed over.
        case invalidUTF8(delivered: Int)

        var feed: ParsedFeed {
            if case .parsed(let feed) = self { return feed }
            preconditionFailure("a checked document cannot stop at invalid UTF-8")
        }
    }

    /// Decodes `input` as `decision` says and parses it. With `stopAtInvalidUTF8` the text is
    /// taken as UTF-8 unchecked, and the attempt ends at the first byte libxml2 finds is not.
    static func attempt(_ input: [UInt8], decision: EncodingDetector.Decision, source: FeedSource, format: FeedFormat?,
                        options: FeedParseOptions, stopAtInvalidUTF8: Bool, skipPosts: Int,
                        onPost: (consuming Post) -> Void) throws(FeedParseError) -> Attempt {
        let decoded = Transcoder.utf8(from: input, charset: decision.charset, skip: decision.bomLength,
                                      knownValid: decision.validUTF8 || stopAtInvalidUTF8)
        var warnings: [String] = []
        var problems = 0
        if let note = decision.note { warnings.append("encoding: \(note)"); problems += 1 }
        if decoded.unsupported {
            warnings.append("encoding: \(decision.charset) is not known here; read as UTF-8")
            problems += 1
        }
        if decoded.replaced > 0 {
            try refuseIfUnreadable(decoded, charset: decision.charset)
            warnings.append("encoding: \(decoded.replaced) byte sequence(s) not valid \(decision.charset) replaced by U+FFFD")
            problems += 1
        }

        return try decoded.utf8.withUnsafeBufferPointer { (text) throws(FeedParseError) -> Attempt in
            let kind: FeedSniffer.Kind
            switch FeedSniffer.sniff(text) {
            case .success(let sniffed):
                kind = sniffed
            case .failure(let error):
                // A named format still needs the right family of syntax.
                guard let format, case .notAFeed = error, let start = firstNonBlank(text) else {
                    if stopAtInvalidUTF8 { return .invalidUTF8(delivered: 0) }  // judge it once it is checked
                    throw error
                }
                kind = format.isXML ? .xml(format, start: start) : .json(start: start)
            }
            var feed: ParsedFeed
            switch (kind, format) {
            case (.json, nil) where stopAtInvalidUTF8:
                return .invalidUTF8(delivered: 0)  // JSON is read checked
            case (.json(let start), nil), (.json(let start), .jsonfeed?):
                feed = try JSONFeedParser.parse(UnsafeBufferPointer(rebasing: text[start...]),
                                                documentURL: source.documentURL, options: options, onPost: onPost)
            case (.json, let named?):
                throw .notAFeed("the document is JSON, not \(named.rawValue)")
            case (.xml(_, _), .jsonfeed?):
                throw .notAFeed("the document is XML, not a JSON Feed")
            case (.xml(let sniffed, let start), let named):
                // Posts after a replaced byte or skipped text were read past a problem.
                var problemOffset = decoded.firstReplacement.map { max(0, $0 - start) }
                if start > 0, text[0..<start].contains(where: { !$0.isXMLWhitespace }) {
                    warnings.append("\(start) bytes of text before the document skipped")
                    problems += 1
                    problemOffset = 0
                }
                let reading = XMLReading(stopAtInvalidUTF8: stopAtInvalidUTF8, skipPosts: skipPosts)
                switch try parseXML(UnsafeBufferPointer(rebasing: text[start...]), format: named ?? sniffed,
                                    documentURL: source.documentURL, options: options, problemOffset: problemOffset,
                                    reading: reading, onPost: onPost) {
                case .parsed(let parsed): feed = parsed
                case .invalidUTF8(let delivered): return .invalidUTF8(delivered: delivered)
                }
            }
            feed.encoding = decision.charset.description
            feed.warnings = warnings + feed.warnings
            feed.problemCount += problems
            if feed.warnings.count > XMLInputRepair.maxReportedRepairs {
                feed.warnings.removeLast(feed.warnings.count - XMLInputRepair.maxReportedRepairs)
            }
            return .parsed(feed)
        }
    }

    struct XMLReading {
        var stopAtInvalidUTF8: Bool
        /// Posts already handed over by an earlier attempt.
        var skipPosts: Int
    }

    static func parseXML(_ text: UnsafeBufferPointer<UInt8>, format: FeedFormat, documentURL: String?,
                         options: FeedParseOptions, problemOffset: Int?, reading: XMLReading,
                         onPost: (consuming Post) -> Void) throws(FeedParseError) -> Attempt {
        let outcome = try XMLFeedReader.read(text, problemOffset: problemOffset, documentURL: documentURL,
                                             options: options, reading: reading, onPost: onPost)
        if outcome.stoppedAtInvalidUTF8 { return .invalidUTF8(delivered: outcome.postCount) }
        return .parsed(ParsedFeed(format: format, version: outcome.version, title: outcome.title, link: outcome.link,
                                  warnings: outcome.warnings, problemCount: outcome.problemCount))
    }

    /// A document whose text is mostly replacement characters says nothing: refuse it rather
    /// than hand on posts of U+FFFD.
    static func refuseIfUnreadable(_ decoded: Transcoder.Result, charset: Charset) throws(FeedParseError) {
        var nonASCII = 0
        for byte in decoded.utf8 where byte >= 0xC0 { nonASCII += 1 }
        if decoded.replaced >= 16 && decoded.replaced * 4 > nonASCII {
            throw .invalidEncoding("\(decoded.replaced) byte sequence(s) are not valid \(charset), and no declared encoding reads them")
        }
    }

    static func firstNonBlank(_ p: UnsafeBufferPointer<UInt8>) -> Int? {
        p.firstIndex { !$0.isXMLWhitespace }
    }
}

extension UTF8Validator {
    /// A `String` of UTF-8 bytes, ill-formed sequences replaced by U+FFFD.
    ///
    /// Same result as `String(decoding:as:)`, but checked with this validator, which reads
    /// Cyrillic and Kazakh eight bytes at a time: the standard library's own check goes a scalar
    /// at a time and costs several times more on such text than building the string does. Only
    /// bytes this validator accepts are handed over unchecked.
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        guard firstInvalid(bytes) == nil else { return String(decoding: bytes, as: UTF8.self) }
        return unsafe String(copying: UTF8Span(unchecked: bytes.span))
    }

    static func string(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBufferPointer { string($0) }
    }
}

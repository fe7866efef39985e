/// A character encoding a document can be read from.
public enum Charset: Sendable, Hashable, CustomStringConvertible {
    case utf8
    case utf16LE, utf16BE
    case utf32LE, utf32BE
    /// UTF-16 or UTF-32 named without a byte order: the BOM or the byte pattern decides it.
    case utf16, utf32
    case singleByte(SingleByteEncoding)
    /// Any other encoding, by the name glibc's iconv knows it.
    case iconv(String)

    /// The charset a label names (`charset=` parameter, `encoding=` declaration), or nil when
    /// the label is empty. Labels follow the WHATWG Encoding Standard where it differs from the
    /// IANA registry: `iso-8859-1` and `us-ascii` read as windows-1252, which is what servers
    /// sending those labels actually send.
    public init?(label: String) {
        var name = label.lowercased()
        name.removeAll { $0 == "\"" || $0 == "'" || $0 == " " || $0 == "\t" }
        if name.isEmpty { return nil }
        switch name {
        case "utf-8", "utf8", "unicode-1-1-utf-8", "x-unicode20utf8", "unicode20utf8": self = .utf8
        case "utf-16le", "utf16le", "unicodefffe": self = .utf16LE
        case "utf-16be", "utf16be": self = .utf16BE
        case "utf-16", "utf16", "unicode", "ucs-2", "iso-10646-ucs-2", "csunicode": self = .utf16
        case "utf-32le", "utf32le", "ucs-4le": self = .utf32LE
        case "utf-32be", "utf32be", "ucs-4be": self = .utf32BE
        case "utf-32", "utf32", "ucs-4", "iso-10646-ucs-4": self = .utf32
        case "windows-1251", "cp1251", "win-1251", "win1251", "x-cp1251", "windows1251", "ms-cyrl", "1251":
            self = .singleByte(.windows1251)
        case "koi8-r", "koi8r", "koi8", "cskoi8r", "koi", "koi8_r": self = .singleByte(.koi8R)
        case "koi8-u", "koi8u", "koi8-ru", "koi8_u": self = .singleByte(.koi8U)
        case "iso-8859-5", "iso8859-5", "iso_8859-5", "iso88595", "iso_8859-5:1988", "cyrillic",
             "csisolatincyrillic", "iso-ir-144", "l5":
            self = .singleByte(.iso8859_5)
        case "cp866", "ibm866", "866", "csibm866", "ibm-866", "dos-866": self = .singleByte(.cp866)
        case "x-mac-cyrillic", "mac-cyrillic", "maccyrillic", "x-mac-ukrainian": self = .singleByte(.macCyrillic)
        case "windows-1252", "cp1252", "x-cp1252", "win-1252", "iso-8859-1", "iso8859-1", "iso_8859-1",
             "iso88591", "latin1", "latin-1", "l1", "iso-ir-100", "csisolatin1", "ibm819", "cp819",
             "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us", "us", "ansi_x3.4-1986":
            self = .singleByte(.windows1252)
        default: self = .iconv(name)
        }
    }

    public var description: String {
        switch self {
        case .utf8: "utf-8"
        case .utf16LE: "utf-16le"
        case .utf16BE: "utf-16be"
        case .utf16: "utf-16"
        case .utf32LE: "utf-32le"
        case .utf32BE: "utf-32be"
        case .utf32: "utf-32"
        case .singleByte(let encoding): encoding.label
        case .iconv(let name): name
        }
    }

    /// UTF-8 and the single-byte encodings agree with ASCII on the bytes below 0x80.
    var isASCIICompatible: Bool {
        switch self {
        case .utf8, .singleByte: true
        case .utf16LE, .utf16BE, .utf16, .utf32LE, .utf32BE, .utf32: false
        case .iconv: true
        }
    }

    var isUnicode: Bool {
        switch self {
        case .utf8, .utf16LE, .utf16BE, .utf16, .utf32LE, .utf32BE, .utf32: true
        case .singleByte, .iconv: false
        }
    }
}

/// The single-byte encodings decoded from built-in tables (the Cyrillic ones of the region, and
/// the Latin one that stands in for ISO-8859-1).
public enum SingleByteEncoding: Sendable, Hashable, CaseIterable {
    case windows1251, koi8R, koi8U, iso8859_5, cp866, macCyrillic, windows1252

    public var label: String {
        switch self {
        case .windows1251: "windows-1251"
        case .koi8R: "koi8-r"
        case .koi8U: "koi8-u"
        case .iso8859_5: "iso-8859-5"
        case .cp866: "ibm866"
        case .macCyrillic: "x-mac-cyrillic"
        case .windows1252: "windows-1252"
        }
    }

    /// Scalars of the bytes 0x80–0xFF.
    var upperHalf: [UInt16] {
        switch self {
        case .windows1251: Self.windows1251Table
        case .koi8R: Self.koi8RTable
        case .koi8U: Self.koi8UTable
        case .iso8859_5: Self.iso8859_5Table
        case .cp866: Self.cp866Table
        case .macCyrillic: Self.macCyrillicTable
        case .windows1252: Self.windows1252Table
        }
    }
}

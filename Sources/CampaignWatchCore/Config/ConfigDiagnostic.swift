/// One problem found in the configuration, located where a monitor can jump to it.
///
/// `line` and `column` count from 1 (columns in Unicode scalars, as editors and libyaml do);
/// a problem with the file as a whole (unreadable, empty) is at 1:1.
public struct ConfigDiagnostic: Sendable, Hashable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable {
        case error, warning
    }

    public var severity: Severity
    public var file: String
    public var line: Int
    public var column: Int
    /// A sentence that says what is wrong and how to fix it.
    public var message: String

    public init(_ severity: Severity, file: String, line: Int, column: Int, message: String) {
        self.severity = severity
        self.file = file
        self.line = max(line, 1)
        self.column = max(column, 1)
        self.message = message
    }

    public var location: ConfigLocation { ConfigLocation(file: file, line: line, column: column) }

    /// `file:line:column: message`, the form compilers use, so editors can jump to it.
    public var description: String { "\(file):\(line):\(column): \(message)" }
}

/// Where something was written in the configuration.
public struct ConfigLocation: Sendable, Hashable, CustomStringConvertible {
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// Every error the loader found (never only the first), with the warnings beside them.
public struct ConfigurationErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ConfigDiagnostic]
    public var warnings: [ConfigDiagnostic]

    public init(errors: [ConfigDiagnostic], warnings: [ConfigDiagnostic] = []) {
        self.errors = errors
        self.warnings = warnings
    }

    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

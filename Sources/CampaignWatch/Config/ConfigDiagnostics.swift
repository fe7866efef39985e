import CampaignWatchCore

/// Collects the errors and warnings of one load, in the order they were found.
final class ConfigDiagnostics {
    private(set) var errors: [ConfigDiagnostic] = []
    private(set) var warnings: [ConfigDiagnostic] = []

    func error(_ location: ConfigLocation, _ message: String) {
        errors.append(ConfigDiagnostic(.error, file: location.file, line: location.line, column: location.column, message: message))
    }

    func warning(_ location: ConfigLocation, _ message: String) {
        warnings.append(ConfigDiagnostic(.warning, file: location.file, line: location.line, column: location.column, message: message))
    }
}

/// A value read from the configuration together with where it was written.
struct Located<Value> {
    var value: Value
    var location: ConfigLocation
}

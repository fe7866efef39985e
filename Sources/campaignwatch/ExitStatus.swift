import ArgumentParser

/// Exit statuses of the command-line contract (sysexits values where one fits).
enum ExitStatus {
    static let success = ExitCode(0)
    static let failure = ExitCode(1)
    static let usage = ExitCode(64)
    /// Input that cannot be parsed.
    static let dataError = ExitCode(65)
    /// An input file that cannot be opened or read.
    static let noInput = ExitCode(66)
    /// Invalid configuration: systemd's RestartPreventExitStatus=78 stops a restart loop on it.
    static let configError = ExitCode(78)
}

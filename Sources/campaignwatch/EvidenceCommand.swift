import ArgumentParser

// Placeholder until this command is built; it exists so each command lives in its own file.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "evidence", abstract: "Not built yet.")

    func run() async throws {
        throw ExitStatus.failure
    }
}

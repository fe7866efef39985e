import ArgumentParser

// Placeholder until this command is built; it exists so each command lives in its own file.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Not built yet.")

    func run() async throws {
        throw ExitStatus.failure
    }
}

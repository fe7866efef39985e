import Foundation

/// Runs the built `campaignwatch` executable as a subprocess, the way users and systemd do.
enum CLI {
    /// `CAMPAIGNWATCH_BIN` when set, else the debug build of this checkout.
    static var executable: URL {
        if let path = ProcessInfo.processInfo.environment["CAMPAIGNWATCH_BIN"] {
            return URL(fileURLWithPath: path)
        }
        return repositoryRoot.appendingPathComponent(".build/debug/campaignwatch")
    }

    static var repositoryRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs to completion with `stdin` fed in; output collected while it runs so a large output
    /// cannot fill a pipe and stall the child.
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
                    currentDirectory: URL? = nil) throws -> Result {
        let child = try Child(executable, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory)
        child.process.waitUntilExit()
        return child.result()
    }

    /// `run` for async tests: waits for the exit without holding one of the few threads that run
    /// every suite's async work (a blocked thread there stalls unrelated tests).
    static func run(_ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
                    currentDirectory: URL? = nil) async throws -> Result {
        try await runProgram(executable, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory)
    }

    /// Any program, the same way.
    static func runProgram(_ program: URL, _ arguments: [String], stdin: Data? = nil, environment: [String: String]? = nil,
                           currentDirectory: URL? = nil) async throws -> Result {
        let exited = AsyncStream<Void>.makeStream()
        let child = try Child(program, arguments, stdin: stdin, environment: environment, currentDirectory: currentDirectory) { _ in
            exited.continuation.yield()
            exited.continuation.finish()
        }
        for await _ in exited.stream {}
        return child.result()
    }

    /// The program started with pipes on its three standard streams. Its output is read by two
    /// threads of our own with plain blocking reads (no dispatch sources on the pipes: those
    /// have crashed libdispatch when many children come and go at once).
    private struct Child {
        let process = Process()
        let outData = LockedData(), errData = LockedData()
        let done = DispatchSemaphore(value: 0)

        init(_ program: URL, _ arguments: [String], stdin: Data?, environment: [String: String]?, currentDirectory: URL?,
             onExit: (@Sendable (Process) -> Void)? = nil) throws {
            process.executableURL = program
            process.arguments = arguments
            if let environment { process.environment = environment }
            if let currentDirectory { process.currentDirectoryURL = currentDirectory }
            let out = Pipe(), err = Pipe(), input = Pipe()
            process.standardOutput = out
            process.standardError = err
            process.standardInput = input
            process.terminationHandler = onExit
            try process.run()
            for (pipe, data) in [(out, outData), (err, errData)] {
                let done = done
                Thread {
                    data.append(pipe.fileHandleForReading.readDataToEndOfFile())
                    done.signal()
                }.start()
            }
            if let stdin { input.fileHandleForWriting.write(stdin) }
            try input.fileHandleForWriting.close()
        }

        /// After the exit: the output (once both pipes reached their end) and the status.
        func result() -> Result {
            done.wait()
            done.wait()
            return Result(status: process.terminationStatus,
                          stdout: String(decoding: outData.value, as: UTF8.self),
                          stderr: String(decoding: errData.value, as: UTF8.self))
        }
    }
}

final class LockedData: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func append(_ chunk: Data) { lock.lock(); data.append(chunk); lock.unlock() }
    var value: Data { lock.lock(); defer { lock.unlock() }; return data }
}

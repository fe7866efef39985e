import CLinux
import Foundation
import Glibc
import Synchronization

/// Watches the directories of the configuration files with inotify and reports, once things
/// are quiet for `quietPeriod`, which configuration files changed. Directories rather than files
/// are watched because editors save by writing a new file and renaming it over the old one, and
/// because a new watchlist dropped into `watchlists.d/` must be noticed too. Temporary and hidden
/// files (`.x.yaml.swp`, `x.yaml~`) are ignored.
public final class ConfigurationWatcher: Sendable {
    /// Paths of the changed files, one batch per burst of changes.
    public let changes: AsyncStream<[String]>
    private let continuation: AsyncStream<[String]>.Continuation
    private let inotifyFD: Int32
    private let wakeFD: Int32
    private let quietMilliseconds: Int32
    private let state = Mutex(State())

    private struct State {
        var directoryByWatch: [Int32: String] = [:]
        var watchByDirectory: [String: Int32] = [:]
        /// Names of the files read, per directory: watched whatever their extension.
        var namesByDirectory: [String: Set<String>] = [:]
        var started = false
        var closed = false
    }

    public init(quietPeriod: TimeInterval = 0.3) throws(SystemError) {
        inotifyFD = try SystemError.check("inotify_init1", inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK)))
        do {
            wakeFD = try SystemError.check("eventfd", eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK)))
        } catch {
            close(inotifyFD)
            throw error
        }
        quietMilliseconds = Int32(max(1, quietPeriod * 1000))
        (changes, continuation) = AsyncStream.makeStream(of: [String].self, bufferingPolicy: .bufferingNewest(8))
    }

    deinit {
        let owned = state.withLock { !$0.started && !$0.closed }
        if owned {
            close(inotifyFD)
            close(wakeFD)
        }
    }

    /// Watches the directories of `files` and `directories` (and stops watching others).
    /// Returns the directories that could not be watched, with why.
    @discardableResult
    public func watch(files: [String], directories: [String]) -> [SystemError] {
        var names: [String: Set<String>] = [:]
        for file in files {
            let url = URL(fileURLWithPath: file)
            names[url.deletingLastPathComponent().path, default: []].insert(url.lastPathComponent)
        }
        for directory in directories where names[directory] == nil { names[directory] = [] }
        var failures: [SystemError] = []
        state.withLock { state in
            for (directory, watch) in state.watchByDirectory where names[directory] == nil {
                inotify_rm_watch(inotifyFD, watch)
                state.watchByDirectory[directory] = nil
                state.directoryByWatch[watch] = nil
            }
            let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_ONLYDIR)
            for directory in names.keys {
                let watch = inotify_add_watch(inotifyFD, directory, mask)
                if watch < 0 {
                    failures.append(SystemError("inotify_add_watch \(directory)"))
                    continue
                }
                if let old = state.watchByDirectory[directory], old != watch { state.directoryByWatch[old] = nil }
                state.watchByDirectory[directory] = watch
                state.directoryByWatch[watch] = directory
            }
            state.namesByDirectory = names
        }
        return failures
    }

    /// Starts the thread that reads inotify; `stop` ends it.
    public func start() {
        let first = state.withLock { state -> Bool in
            defer { state.started = true }
            return !state.started && !state.closed
        }
        guard first else { return }
        let thread = Thread { [self] in readEvents() }
        thread.name = "config-watch"
        thread.start()
    }

    public func stop() {
        let running = state.withLock { state -> Bool in
            defer { state.closed = true }
            return state.started && !state.closed
        }
        if running {
            var one: UInt64 = 1
            _ = write(wakeFD, &one, 8)
        } else {
            continuation.finish()
        }
    }

    /// Blocks in poll(2): on inotify events collects relevant names, then waits for a quiet
    /// moment before reporting them, so an editor's write-rename-chmod is one reload.
    private func readEvents() {
        var pending = Set<String>()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        loop: while true {
            var fds = [pollfd(fd: inotifyFD, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0)]
            let ready = poll(&fds, 2, pending.isEmpty ? -1 : quietMilliseconds)
            if ready < 0 {
                if errno == EINTR { continue }
                break
            }
            if fds[1].revents != 0 { break }
            if ready == 0 {
                continuation.yield(pending.sorted())
                pending.removeAll()
                continue
            }
            while true {
                let count = buffer.withUnsafeMutableBytes { read(inotifyFD, $0.baseAddress, $0.count) }
                if count <= 0 { continue loop }
                pending.formUnion(relevantPaths(in: buffer[0..<count]))
            }
        }
        continuation.finish()
        close(inotifyFD)
        close(wakeFD)
    }

    /// Parses `struct inotify_event` records: wd, mask, cookie, len, then a NUL-padded name.
    private func relevantPaths(in bytes: ArraySlice<UInt8>) -> [String] {
        var paths: [String] = []
        var offset = bytes.startIndex
        let header = 16  // sizeof(struct inotify_event) without its name
        while offset + header <= bytes.endIndex {
            let (watch, length) = bytes.withUnsafeBytes { raw -> (Int32, Int) in
                let base = offset - bytes.startIndex
                return (raw.loadUnaligned(fromByteOffset: base, as: Int32.self),
                        Int(raw.loadUnaligned(fromByteOffset: base + 12, as: UInt32.self)))
            }
            let nameStart = offset + header
            let nameEnd = min(nameStart + length, bytes.endIndex)
            let nameBytes = bytes[nameStart..<nameEnd].prefix { $0 != 0 }
            let name = String(decoding: nameBytes, as: UTF8.self)
            offset = nameEnd
            let relevant = state.withLock { state -> String? in
                guard let directory = state.directoryByWatch[watch], !name.isEmpty else { return nil }
                let known = state.namesByDirectory[directory]?.contains(name) ?? false
                return known || Self.looksLikeConfiguration(name) ? directory + "/" + name : nil
            }
            if let relevant { paths.append(relevant) }
        }
        return paths
    }

    static func looksLikeConfiguration(_ name: String) -> Bool {
        guard !name.hasPrefix(".") else { return false }
        let lower = name.lowercased()
        return lower.hasSuffix(".yaml") || lower.hasSuffix(".yml") || lower.hasSuffix(".csv")
    }
}

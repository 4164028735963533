import Foundation
import Synchronization

/// One action started from the branch's Sync page: this same salesync binary run as a child
/// process (`run`, `export --to`, `acks --from`), so the console does exactly what cron and the
/// command line do, under their deadlines, and a stuck link can never hang the console.
public final class SyncJob: Sendable {
    public let title: String
    public let user: String
    public let started = Date()
    /// The child's output so far and its end, filled in from Foundation's handler threads.
    private struct State {
        var lines: [String] = []
        var exit: Int32?
        var ended: Date?
        var partial = ""
    }
    private let state = Mutex(State())

    init(title: String, user: String) {
        self.title = title
        self.user = user
    }

    public var lines: [String] { state.withLock { $0.lines } }
    public var exitCode: Int32? { state.withLock { $0.exit } }
    public var ended: Date? { state.withLock { $0.ended } }
    public var running: Bool { exitCode == nil }

    /// What the exit status means, in the words of the docs' exit-code table.
    public var outcome: String {
        switch exitCode {
        case nil: "running"
        case 0: "done"
        case 75: "stopped early (link down or deadline reached); the rest goes next time (exit 75)"
        case 65: "refused data (exit 65)"
        case 78: "configuration problem (exit 78)"
        case let c?: "failed (exit \(c))"
        }
    }

    /// Starts `executable args`; output lines (at most the last 200) are kept for the page.
    func start(executable: String, args: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        p.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [weak self] h in self?.take(h.availableData) }
        p.terminationHandler = { [weak self] proc in
            pipe.fileHandleForReading.readabilityHandler = nil
            self?.take(pipe.fileHandleForReading.readDataToEndOfFile())
            self?.finish(proc.terminationStatus)
        }
        try p.run()
    }

    private func take(_ data: Data) {
        guard !data.isEmpty else { return }
        state.withLock { s in
            s.partial += String(decoding: data, as: UTF8.self)
            while let nl = s.partial.firstIndex(of: "\n") {
                s.lines.append(String(s.partial[..<nl]))
                s.partial = String(s.partial[s.partial.index(after: nl)...])
            }
            if s.lines.count > 200 { s.lines.removeFirst(s.lines.count - 200) }
        }
    }

    private func finish(_ code: Int32) {
        state.withLock { s in
            if !s.partial.isEmpty { s.lines.append(s.partial); s.partial = "" }
            s.exit = code
            s.ended = Date()
        }
    }
}

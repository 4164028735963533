import Foundation

/// One action started from the branch's Sync page: this same salesync binary run as a child
/// process (`run`, `export --to`, `acks --from`), so the console does exactly what cron and the
/// command line do, under their deadlines, and a stuck link can never hang the console.
public final class SyncJob: @unchecked Sendable {
    public let title: String
    public let user: String
    public let started = Date()
    private let lock = NSLock()
    private var _lines: [String] = []
    private var _exit: Int32?
    private var _ended: Date?
    private var partial = ""

    init(title: String, user: String) {
        self.title = title
        self.user = user
    }

    public var lines: [String] { lock.withLock { _lines } }
    public var exitCode: Int32? { lock.withLock { _exit } }
    public var ended: Date? { lock.withLock { _ended } }
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
        lock.withLock {
            partial += String(decoding: data, as: UTF8.self)
            while let nl = partial.firstIndex(of: "\n") {
                _lines.append(String(partial[..<nl]))
                partial = String(partial[partial.index(after: nl)...])
            }
            if _lines.count > 200 { _lines.removeFirst(_lines.count - 200) }
        }
    }

    private func finish(_ code: Int32) {
        lock.withLock {
            if !partial.isEmpty { _lines.append(partial); partial = "" }
            _exit = code
            _ended = Date()
        }
    }
}

import Foundation
import Glibc
import Synchronization

/// A progress line on a terminal (never in cron output, where stderr is not a TTY).
final class Progress: Sendable {
    let enabled = isatty(2) == 1
    let started = Date()
    /// When the line was last drawn (it may be updated from the loop's thread).
    private let last = Mutex(Date.distantPast)
    let what: String

    init(_ what: String) { self.what = what }

    func update(_ done: Int, total: Int? = nil, unit: String) {
        guard enabled else { return }
        let due = last.withLock { last in
            guard Date().timeIntervalSince(last) > 0.5 else { return false }
            last = Date()
            return true
        }
        guard due else { return }
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        var line = "\(what): \(done) \(unit), \(Int(rate)) \(unit)/s"
        if let total, total > 0, rate > 0 { line += ", ETA \(Int(Double(total - done) / rate)) s" }
        FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
    }

    func done() {
        if enabled && last.withLock({ $0 }) != .distantPast { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

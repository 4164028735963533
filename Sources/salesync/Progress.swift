import ArgumentParser
import Foundation
import Logging
import MariaDB
import SaleSyncCore
import Glibc

/// A progress line on a terminal (never in cron output, where stderr is not a TTY).
final class Progress {
    let enabled = isatty(2) == 1
    let started = Date()
    var last = Date.distantPast
    let what: String

    init(_ what: String) { self.what = what }

    func update(_ done: Int, total: Int? = nil, unit: String) {
        guard enabled, Date().timeIntervalSince(last) > 0.5 else { return }
        last = Date()
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        var line = "\(what): \(done) \(unit), \(Int(rate)) \(unit)/s"
        if let total, total > 0, rate > 0 { line += ", ETA \(Int(Double(total - done) / rate)) s" }
        FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
    }

    func done() {
        if enabled && last != .distantPast { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

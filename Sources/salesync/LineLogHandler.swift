import ArgumentParser
import Foundation
import Glibc
import Logging
import MariaDB
import SaleSyncCore

/// One line per log event on stderr: time, level, message, metadata (branch=… seq=…).
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var all = metadata
        if let m = event.metadata { all.merge(m) { _, new in new } }
        let meta = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(f.string(from: Date())) \(event.level) \(label): \(event.message)\(meta.isEmpty ? "" : " " + meta)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

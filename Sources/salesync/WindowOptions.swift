import ArgumentParser
import Foundation
import Logging
import SaleSyncCore

/// The limits of a connectivity window.
struct WindowOptions: ParsableArguments {
    @Option(help: "Stop at this local time (HH:MM; the next such time, so a window may cross midnight).")
    var until: String?

    @Option(name: .customLong("max-duration"), help: "Stop after this long (e.g. 90m, 2h).")
    var maxDuration: String?

    @Option(help: "Average bandwidth limit in bytes per second (e.g. 256k, 1m).")
    var bwlimit: String?

    @Option(name: .customLong("ack-wait"), help: "After sending, wait up to this long for acknowledgements (e.g. 30s).")
    var ackWait: String = "0s"

    func drainOptions() throws -> DrainOptions {
        var deadline: Date?
        if let until {
            guard let d = Self.nextLocalTime(until) else {
                throw SyncError.config("--until: expected HH:MM (24-hour local time), got \"\(until)\"")
            }
            deadline = d
        }
        if let m = maxDuration {
            guard let s = Config.parseDuration(m) else { throw SyncError.config("--max-duration: expected e.g. 90m or 2h, got \"\(m)\"") }
            let d = Date().addingTimeInterval(s)
            deadline = min(deadline ?? d, d)
        }
        var rate: Int?
        if let b = bwlimit {
            guard let r = Config.parseSize(b), r > 0 else {
                throw SyncError.config("--bwlimit: expected e.g. 256k (bytes per second), got \"\(b)\"")
            }
            rate = r
        }
        guard let wait = Config.parseDuration(ackWait) else { throw SyncError.config("--ack-wait: expected e.g. 30s, got \"\(ackWait)\"") }
        return DrainOptions(deadline: deadline, bandwidth: rate, ackWait: wait)
    }

    /// The next instant (after now) at local time HH:MM.
    static func nextLocalTime(_ s: String) -> Date? {
        let parts = s.split(separator: ":")
        guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), (0..<24).contains(h), (0..<60).contains(m) else { return nil }
        let cal = Calendar.current
        let now = Date()
        guard let today = cal.date(bySettingHour: h, minute: m, second: 0, of: now) else { return nil }
        return today > now ? today : cal.date(byAdding: .day, value: 1, to: today)
    }
}

import ArgumentParser
import Foundation
import Logging
import SaleSyncCore

/// The limits of a connectivity window.
struct WindowOptions: ParsableArguments {
    @Option(
        help: """
            The connectivity window, HH:MM-HH:MM local time (it may cross midnight): the run stops at its end, \
            and a run started while it is closed ends at once (exit 75) instead of waiting for the next one.
            """)
    var window: String?

    @Option(
        help: """
            Stop at this local time (HH:MM). It means the next such time: a run started at 19:35 with --until 19:30 \
            runs until tomorrow's 19:30, so a schedule should use --window.
            """)
    var until: String?

    @Option(name: .customLong("max-duration"), help: "Stop after this long (e.g. 90m, 2h).")
    var maxDuration: String?

    @Option(help: "Average bandwidth limit in bytes per second (e.g. 256k, 1m).")
    var bwlimit: String?

    @Option(name: .customLong("ack-wait"), help: "After sending, wait up to this long for acknowledgements (e.g. 30s).")
    var ackWait: String = "0s"

    func drainOptions(now: Date = Date()) throws -> DrainOptions {
        var deadline = try windowDeadline(now: now)
        if let until {
            guard let d = Self.nextLocalTime(until) else {
                throw SyncError.config("--until: expected HH:MM (24-hour local time), got \"\(until)\"")
            }
            deadline = min(deadline ?? d, d)
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

    /// The end of the open window; throws (temporary: the next window's run goes on) when it is closed.
    func windowDeadline(now: Date) throws -> Date? {
        guard let window else { return nil }
        guard let w = DailyWindow(window) else {
            throw SyncError.config("--window: expected HH:MM-HH:MM (24-hour local time, e.g. 18:00-19:30), got \"\(window)\"")
        }
        guard let end = w.deadline(at: now) else {
            let f = DateFormatter()
            f.dateFormat = "yyyy-MM-dd HH:mm"
            throw SyncError.temporary(
                """
                --window \(w): the window is closed (now \(f.string(from: now))); nothing done, the next window opens at \
                \(f.string(from: w.nextStart(after: now)))
                """)
        }
        return end
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

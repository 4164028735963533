import Foundation

/// A branch's daily online window, `"18:00-20:00"` in the head office's local time (it may
/// wrap past midnight: `"23:00-01:00"`), so that silence outside it reads as waiting, not late.
public struct DailyWindow: Sendable, Equatable, CustomStringConvertible {
    /// Minutes after local midnight.
    public var start: Int
    public var end: Int

    public init?(_ text: String) {
        let parts = text.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
        guard parts.count == 2, let s = Self.minutes(parts[0]), let e = Self.minutes(parts[1]), s != e else { return nil }
        start = s
        end = e
    }

    private static func minutes(_ hhmm: String) -> Int? {
        let p = hhmm.split(separator: ":")
        guard p.count == 2, p[0].count <= 2, p[1].count == 2, let h = Int(p[0]), let m = Int(p[1]),
            (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    public var description: String {
        String(format: "%02d:%02d-%02d:%02d", start / 60, start % 60, end / 60, end % 60)
    }

    /// The window that is open at `now`, or else the last one that closed before it.
    public func latest(before now: Date, calendar: Calendar = .current) -> DateInterval {
        let midnight = calendar.startOfDay(for: now)
        let length = TimeInterval(((end - start) + 1440) % 1440 * 60)
        // Windows starting yesterday, today: the latest whose start is not in the future.
        for dayOffset in [0, -1, -2] {
            let day = calendar.date(byAdding: .day, value: dayOffset, to: midnight)!
            let s = day.addingTimeInterval(TimeInterval(start * 60))
            if s <= now { return DateInterval(start: s, duration: length) }
        }
        return DateInterval(start: midnight, duration: length)
    }

    /// The next time the window opens after `now`.
    public func nextStart(after now: Date, calendar: Calendar = .current) -> Date {
        let w = latest(before: now, calendar: calendar)
        return calendar.date(byAdding: .day, value: 1, to: w.start)!
    }

    /// When a run started at `now` must end: the end of the window open at `now`, or nil when
    /// the window is closed (a run started after it must not wait for tomorrow's).
    public func deadline(at now: Date, calendar: Calendar = .current) -> Date? {
        let w = latest(before: now, calendar: calendar)
        return now < w.end ? w.end : nil
    }
}

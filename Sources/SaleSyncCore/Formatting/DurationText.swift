import Foundation

/// How salesync shows a length of time, in the status table and the console alike: seconds under
/// two minutes, minutes under two hours, hours under two days, then days.
public enum DurationText {
    /// `compact` is for a fixed-width column ("45s", "3m", "5h", "2d"); otherwise the console's
    /// words ("45 s", "3 min", "5.0 h", "2.0 days"). Nil (never happened) is `missing`.
    public static func format(_ seconds: Double?, compact: Bool = false, missing: String = "-") -> String {
        guard let s = seconds else { return missing }
        let (value, unit, words): (Double, String, String)
        switch s {
        case ..<120: (value, unit, words) = (s, "s", "s")
        case ..<7200: (value, unit, words) = (s / 60, "m", "min")
        case ..<172_800: (value, unit, words) = (s / 3600, "h", "h")
        default: (value, unit, words) = (s / 86400, "d", "days")
        }
        if compact { return "\(Int(value))\(unit)" }
        return String(format: s < 7200 ? "%.0f" : "%.1f", value) + " " + words
    }
}

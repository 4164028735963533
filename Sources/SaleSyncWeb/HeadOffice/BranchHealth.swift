import Foundation
import SaleSyncCore

/// How a branch is doing, from what needs a person first to what needs nobody.
public enum BranchHealth: String, Sendable, CaseIterable {
    /// Quarantined bundles, drift, a schema change held, or the branch went back in time:
    /// someone has to look.
    case attention
    /// A bundle is missing; later ones wait for it.
    case stuck
    /// It has a window and missed the last one.
    case overdue
    /// No window declared and nothing heard for over a day (or never).
    case late
    /// Its window is open and nothing has come yet in it.
    case due
    /// Silent outside its window, having synced in the last one: as expected.
    case waiting
    /// Heard from recently and in sync.
    case inStep = "in-step"

    public var rank: Int { Self.allCases.firstIndex(of: self)! }
    public var label: String { self == .inStep ? "in step" : rawValue }

    /// The health of `b` at `now`, given its window and when it was last heard from.
    public static func assess(
        _ b: HeadOfficeStatus.Branch, window: DailyWindow?, lastContact: Date?, now: Date,
        calendar: Calendar = .current
    ) -> BranchHealth {
        if b.quarantined > 0 || b.verdict == .drift || !b.schemaHolds.isEmpty || b.wentBack != nil { return .attention }
        if !b.missing.isEmpty { return .stuck }
        let contact = lastContact ?? .distantPast
        guard let window else { return now.timeIntervalSince(contact) > 86400 ? .late : .inStep }
        let w = window.latest(before: now, calendar: calendar)
        if w.contains(now) { return contact >= w.start ? .inStep : .due }
        // The window closed: it should have come in it (or since).
        return contact >= w.start ? .waiting : .overdue
    }
}

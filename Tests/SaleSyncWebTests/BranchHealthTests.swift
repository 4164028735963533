import Foundation
import Testing

@testable import SaleSyncCore
@testable import SaleSyncWeb

@Suite struct BranchHealthTests {
    var utc: Calendar {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }

    func at(_ s: String) -> Date { ISO8601DateFormatter().date(from: s + "Z")! }

    func branch(quarantined: Int = 0, missing: [UInt64] = [], verdict: Verdict = .match) -> HeadOfficeStatus.Branch {
        .init(
            branch: "bo1", lastSequence: 5, lastAppliedAt: nil, lagSeconds: nil, held: [], missing: missing,
            quarantined: quarantined, verdict: verdict, rows: 10, acksOwed: 0, deadLettered: nil)
    }

    @Test func windowsParseAndMayWrapPastMidnight() {
        #expect(DailyWindow("18:00-20:00")?.description == "18:00-20:00")
        #expect(DailyWindow("9:30-10:00")?.start == 570)
        for bad in ["18:00", "25:00-26:00", "18:00-18:00", "18-20", "a:b-c:d"] { #expect(DailyWindow(bad) == nil) }
        let w = DailyWindow("23:00-01:00")!
        let i = w.latest(before: at("2026-11-26T00:30:00"), calendar: utc)
        #expect(i.start == at("2026-11-25T23:00:00") && i.contains(at("2026-11-26T00:30:00")))
        #expect(w.nextStart(after: at("2026-11-26T00:30:00"), calendar: utc) == at("2026-11-26T23:00:00"))
    }

    @Test func silenceOutsideTheWindowIsWaitingAndAMissedWindowIsOverdue() {
        let w = DailyWindow("18:00-20:00")!
        let assess = { (contact: String?, now: String) in
            BranchHealth.assess(branch(), window: w, lastContact: contact.map(at), now: at(now), calendar: utc)
        }
        #expect(assess("2026-11-25T18:40:00", "2026-11-26T10:00:00") == .waiting)
        #expect(assess("2026-11-24T18:40:00", "2026-11-26T10:00:00") == .overdue)
        #expect(assess("2026-11-25T18:40:00", "2026-11-26T18:30:00") == .due)
        #expect(assess("2026-11-26T18:10:00", "2026-11-26T18:30:00") == .inStep)
        #expect(assess(nil, "2026-11-26T10:00:00") == .overdue)
    }

    @Test func withoutAWindowADaysSilenceIsLateAndProblemsComeFirst() {
        let now = at("2026-11-26T10:00:00")
        #expect(BranchHealth.assess(branch(), window: nil, lastContact: at("2026-11-26T09:00:00"), now: now) == .inStep)
        #expect(BranchHealth.assess(branch(), window: nil, lastContact: at("2026-11-25T09:00:00"), now: now) == .late)
        #expect(BranchHealth.assess(branch(quarantined: 1), window: nil, lastContact: now, now: now) == .attention)
        #expect(BranchHealth.assess(branch(verdict: .drift), window: nil, lastContact: now, now: now) == .attention)
        #expect(BranchHealth.assess(branch(missing: [6]), window: nil, lastContact: now, now: now) == .stuck)
        #expect(BranchHealth.allCases.sorted { $0.rank < $1.rank }.first == .attention)
    }
}

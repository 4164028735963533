import Foundation
import SaleSyncCore
import Testing

/// When a run started at a given time must end: the open window's end, or never for a closed one.
@Suite struct DailyWindowTests {
    let utc: Calendar = {
        var c = Calendar(identifier: .gregorian)
        c.timeZone = TimeZone(identifier: "UTC")!
        return c
    }()

    func at(_ s: String) -> Date { ISO8601DateFormatter().date(from: s)! }

    @Test func insideTheWindowTheDeadlineIsItsEnd() {
        let w = DailyWindow("18:00-19:30")!
        #expect(w.deadline(at: at("2026-12-04T18:00:00Z"), calendar: utc) == at("2026-12-04T19:30:00Z"))
        #expect(w.deadline(at: at("2026-12-04T19:29:59Z"), calendar: utc) == at("2026-12-04T19:30:00Z"))
    }

    @Test func afterOrBeforeTheWindowThereIsNone() {
        let w = DailyWindow("18:00-19:30")!
        for t in ["2026-12-04T19:30:00Z", "2026-12-04T19:35:00Z", "2026-12-04T17:59:00Z", "2026-12-04T03:00:00Z"] {
            #expect(w.deadline(at: at(t), calendar: utc) == nil, "\(t)")
        }
    }

    @Test func aWindowAcrossMidnightEndsTheNextDay() {
        let w = DailyWindow("23:00-01:00")!
        #expect(w.deadline(at: at("2026-12-04T23:30:00Z"), calendar: utc) == at("2026-12-05T01:00:00Z"))
        #expect(w.deadline(at: at("2026-12-05T00:30:00Z"), calendar: utc) == at("2026-12-05T01:00:00Z"))
        #expect(w.deadline(at: at("2026-12-05T01:10:00Z"), calendar: utc) == nil)
        #expect(w.deadline(at: at("2026-12-04T22:59:00Z"), calendar: utc) == nil)
    }
}

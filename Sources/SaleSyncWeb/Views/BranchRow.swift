import Foundation
import SaleSyncCore

/// One branch as the Branches page, the branch page and `/api/branches` show it.
struct BranchRow: Sendable {
    /// A held schema change of the branch.
    struct SchemaHoldRow: Sendable {
        let table: String
        let seq: UInt64
        let detail: String
        let held: String
    }

    let id: String
    let health: String
    let healthLabel: String
    let window: String
    let lastContact: String
    let lastSequence: UInt64
    let lag: String
    let held: String
    let missing: String
    let quarantined: Int
    let verdict: String
    let rows: Int64
    let schemaHolds: [SchemaHoldRow]
    let schema: String
    /// What to tell people when the branch went back in time (none or one).
    let wentBack: [String]
    /// The JSON API's values, which keep numbers as numbers and absent values as null.
    let json: JSONValue

    static let timeFormat: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f
    }()

    static func list(_ v: [UInt64]) -> String { v.isEmpty ? "none" : v.map(String.init).joined(separator: ", ") }

    init(_ o: BranchOverview) {
        let s = o.status
        id = s.branch
        health = o.health.rawValue
        healthLabel = o.health.label
        window = o.window?.description ?? "any time"
        lastContact = o.lastContact.map { Self.timeFormat.string(from: $0) } ?? "never"
        lastSequence = s.lastSequence
        lag = DurationText.format(s.lagSeconds, missing: "–")
        held = Self.list(s.held)
        missing = Self.list(s.missing)
        quarantined = s.quarantined
        verdict = s.verdict.rawValue
        rows = s.rows
        schemaHolds = s.schemaHolds.map { SchemaHoldRow(table: $0.table, seq: $0.sequence, detail: $0.detail, held: $0.heldAt) }
        schema = s.schemaHolds.isEmpty ? "–" : "held: " + s.schemaHolds.map(\.table).joined(separator: ", ")
        wentBack = s.wentBack.map { [$0] } ?? []
        json = Self.json(o)
    }

    /// `/api/branches` and `/api/branches/{id}`: numbers as JSON numbers, times in ISO 8601 UTC.
    private static func json(_ o: BranchOverview) -> JSONValue {
        let s = o.status
        return .object([
            ("branch", .string(s.branch)), ("health", .string(o.health.rawValue)),
            ("window", .optional(o.window?.description)),
            ("last_contact", .optional(o.lastContact.map { ISO8601DateFormatter().string(from: $0) })),
            ("last_sequence", .int(s.lastSequence)), ("lag_seconds", s.lagSeconds.map(JSONValue.double) ?? .null),
            ("held", .array(s.held.map { .int($0) })), ("missing", .array(s.missing.map { .int($0) })),
            ("quarantined", .int(s.quarantined)), ("verdict", .string(s.verdict.rawValue)),
            ("rows", .int(s.rows)), ("acks_owed", .int(s.acksOwed)), ("went_back", .optional(s.wentBack)),
            (
                "schema_holds",
                .array(
                    s.schemaHolds.map {
                        .object([
                            ("table", .string($0.table)), ("sequence", .int($0.sequence)), ("detail", .string($0.detail)),
                            ("held_at", .string($0.heldAt)),
                        ])
                    })
            ),
        ])
    }
}

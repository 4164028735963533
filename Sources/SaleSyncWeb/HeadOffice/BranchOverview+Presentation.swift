import Foundation
import SaleSyncCore

extension BranchOverview {
    static let timeFormat: DateFormatter = {
        let f = DateFormatter()
        f.dateFormat = "yyyy-MM-dd HH:mm:ss"
        f.locale = Locale(identifier: "en_US_POSIX")
        return f
    }()

    static func list(_ v: [UInt64]) -> String { v.isEmpty ? "none" : v.map(String.init).joined(separator: ", ") }

    static func duration(_ s: Double?) -> String { DurationText.format(s, missing: "–") }

    /// The values the Branches page and the branch page show.
    var templateData: [String: Any] {
        [
            "id": status.branch, "health": health.rawValue, "healthLabel": health.label,
            "window": window?.description ?? "any time",
            "lastContact": lastContact.map { Self.timeFormat.string(from: $0) } ?? "never",
            "lastSequence": status.lastSequence, "lag": Self.duration(status.lagSeconds),
            "held": Self.list(status.held), "missing": Self.list(status.missing), "quarantined": status.quarantined,
            "verdict": status.verdict.rawValue, "rows": status.rows,
            "schemaHolds": status.schemaHolds.map { ["table": $0.table, "seq": $0.sequence, "detail": $0.detail, "held": $0.heldAt] },
            "schema": status.schemaHolds.isEmpty ? "–" : "held: " + status.schemaHolds.map(\.table).joined(separator: ", "),
        ]
    }

    /// `/api/branches` and `/api/branches/{id}`: numbers as JSON numbers, times in ISO 8601 UTC.
    var json: JSONValue {
        .object([
            ("branch", .string(status.branch)), ("health", .string(health.rawValue)),
            ("window", .optional(window?.description)),
            ("last_contact", .optional(lastContact.map { ISO8601DateFormatter().string(from: $0) })),
            ("last_sequence", .int(status.lastSequence)), ("lag_seconds", status.lagSeconds.map(JSONValue.double) ?? .null),
            ("held", .array(status.held.map { .int($0) })), ("missing", .array(status.missing.map { .int($0) })),
            ("quarantined", .int(status.quarantined)), ("verdict", .string(status.verdict.rawValue)),
            ("rows", .int(status.rows)), ("acks_owed", .int(status.acksOwed)),
            ("schema_holds", .array(status.schemaHolds.map {
                .object([("table", .string($0.table)), ("sequence", .int($0.sequence)), ("detail", .string($0.detail)), ("held_at", .string($0.heldAt))])
            })),
        ])
    }
}

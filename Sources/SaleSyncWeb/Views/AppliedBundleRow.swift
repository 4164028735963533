import SaleSyncCore

/// An applied bundle as the branch page and `/api/branches/{id}` show it.
struct AppliedBundleRow: Sendable {
    let seq: UInt64
    let rows: Int64
    let bytes: String
    let received: String
    let applied: String
    let verdict: String
    let json: JSONValue

    init(_ b: AppliedBundle) {
        seq = b.seq
        rows = b.rows
        bytes = b.bytes.map { String($0) } ?? "–"
        received = b.received ?? "–"
        applied = b.applied
        verdict = b.verdict
        json = .object([
            ("sequence", .int(b.seq)), ("rows", .int(b.rows)), ("bytes", b.bytes.map { .int($0) } ?? .null),
            ("received", .optional(b.received)), ("applied", .string(b.applied)), ("verdict", .string(b.verdict)),
        ])
    }
}

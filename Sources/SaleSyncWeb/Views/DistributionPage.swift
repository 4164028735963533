import SaleSyncCore

/// The head office's Distribution view (and `/api/distribution`): per downlink table, which
/// version every branch has applied; per branch, its downlink bundles, lag and drift.
struct DistributionPage: Sendable {
    struct TableLine: Sendable {
        let name: String
        let summary: String
        let behind: String?
        let drifted: String?
        let allCurrent: Bool
    }
    struct BranchLine: Sendable {
        let id: String
        let pending: Int
        let sent: Int
        let acknowledged: Int
        let lastAcknowledged: String
        let lag: String
        let verdicts: String
        let resync: String?
    }
    let enabled: Bool
    let tables: [TableLine]
    let branches: [BranchLine]
    let json: JSONValue

    init(_ s: DownlinkStatus, enabled: Bool) {
        self.enabled = enabled
        tables = s.tables.map { t in
            let total = t.branchesCurrent + t.behind.count
            return TableLine(
                name: t.name,
                summary: "version of \(t.latestAt ?? "never") applied at \(t.branchesCurrent) of \(total) branch(es)",
                behind: t.behind.isEmpty
                    ? nil : t.behind.map { "\($0.branch) still on \($0.appliedAt ?? "nothing yet")" }.joined(separator: "; "),
                drifted: t.drifted.isEmpty ? nil : t.drifted.joined(separator: ", "), allCurrent: t.behind.isEmpty)
        }
        branches = s.branches.map { b in
            BranchLine(
                id: b.branch, pending: b.pending, sent: b.sent, acknowledged: b.acknowledged,
                lastAcknowledged: b.lastAcknowledgedAt.map { "\(b.lastAcknowledged) at \($0)" } ?? "none",
                lag: DurationText.format(b.oldestUnacknowledgedSeconds, compact: true),
                verdicts: b.verdicts.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.rawValue)" }.joined(separator: ", "),
                resync: b.resync)
        }
        json = .object([
            (
                "tables",
                .array(
                    s.tables.map { t in
                        .object([
                            ("name", .string(t.name)), ("latest_export", .int(t.latestExport)), ("latest_at", .optional(t.latestAt)),
                            ("branches_current", .int(t.branchesCurrent)),
                            (
                                "behind",
                                .array(t.behind.map { .object([("branch", .string($0.branch)), ("applied_at", .optional($0.appliedAt))]) })
                            ),
                            ("drifted", .array(t.drifted.map(JSONValue.string))),
                        ])
                    })
            ),
            (
                "branches",
                .array(
                    s.branches.map { b in
                        .object([
                            ("branch", .string(b.branch)), ("pending", .int(b.pending)), ("sent", .int(b.sent)),
                            ("acknowledged", .int(b.acknowledged)), ("last_acknowledged", .int(b.lastAcknowledged)),
                            ("oldest_unacknowledged_seconds", b.oldestUnacknowledgedSeconds.map(JSONValue.double) ?? .null),
                            ("verdicts", .object(b.verdicts.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value.rawValue)) })),
                            ("resync", .optional(b.resync)),
                        ])
                    })
            ),
        ])
    }
}

import Foundation
import MariaDB

/// The head office's downlink per branch and per table, for `status` and the console's
/// Distribution view: which version of each table every branch has applied, lag and drift.
public struct DownlinkStatus: Codable, Sendable {
    /// One table: its latest version and the branches still on an older one.
    public struct Table: Codable, Sendable {
        public var name: String
        /// The export that last changed it (0: never exported) and when.
        public var latestExport: UInt64
        public var latestAt: String?
        public var branchesCurrent: Int
        /// The branches behind, each with the version it has applied (nil: none yet).
        public var behind: [Behind]
        public var drifted: [String]
    }
    public struct Behind: Codable, Sendable {
        public var branch: String
        public var appliedAt: String?
    }
    /// One branch: its downlink bundles by state and its verdict per table.
    public struct Branch: Codable, Sendable {
        public var branch: String
        public var pending: Int
        public var sent: Int
        public var acknowledged: Int
        public var lastAcknowledged: UInt64
        public var lastAcknowledgedAt: String?
        /// Age of the oldest bundle not yet acknowledged (nil: none).
        public var oldestUnacknowledgedSeconds: Double?
        public var verdicts: [String: Verdict]
        /// Why its whole copy will be sent again at the next export (nil: it will not).
        public var resync: String?
    }
    public var tables: [Table] = []
    public var branches: [Branch] = []

    public static func read(_ db: MariaDBConnection, config: Config) throws -> DownlinkStatus {
        var s = DownlinkStatus()
        guard config.downlink.isEnabled else { return s }
        let exported = Dictionary(
            try db.query("SELECT seq, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i') FROM salesync_bundles").map {
                ($0.uint(0) ?? 0, $0[1] ?? "")
            }
        ) { a, _ in a }
        for b in config.branches { s.branches.append(try branch(db, b.id)) }
        for t in config.downlink.tables {
            let latest =
                try db.query("SELECT COALESCE(MAX(master_seq), 0) FROM salesync_downlink WHERE FIND_IN_SET(?, tables)", [.text(t)])
                .first?.uint(0) ?? 0
            var applied: [String: UInt64] = [:]
            for r in try db.query(
                "SELECT branch_id, MAX(master_seq) FROM salesync_downlink WHERE status = ? AND FIND_IN_SET(?, tables) GROUP BY branch_id",
                [BundleStatus.acked.sql, .text(t)])
            {
                applied[r[0] ?? ""] = r.uint(1) ?? 0
            }
            var table = Table(name: t, latestExport: latest, latestAt: exported[latest], branchesCurrent: 0, behind: [], drifted: [])
            for b in s.branches {
                if let a = applied[b.branch], a >= latest {
                    table.branchesCurrent += 1
                } else {
                    table.behind.append(Behind(branch: b.branch, appliedAt: applied[b.branch].flatMap { exported[$0] }))
                }
                if b.verdicts[t] == .drift { table.drifted.append(b.branch) }
            }
            s.tables.append(table)
        }
        return s
    }

    private static func branch(_ db: MariaDBConnection, _ id: String) throws -> Branch {
        var b = Branch(
            branch: id, pending: 0, sent: 0, acknowledged: 0, lastAcknowledged: 0, lastAcknowledgedAt: nil,
            oldestUnacknowledgedSeconds: nil, verdicts: [:], resync: nil)
        for r in try db.query("SELECT status, COUNT(*) FROM salesync_downlink WHERE branch_id = ? GROUP BY status", [.text(id)]) {
            let n = Int(r.int(1) ?? 0)
            switch BundleStatus(r, 0) {
            case .pending: b.pending = n
            case .sent: b.sent = n
            case .acked: b.acknowledged = n
            default: break
            }
        }
        if let r = try db.query(
            """
            SELECT seq, DATE_FORMAT(acked_at, '%Y-%m-%d %H:%i:%s') FROM salesync_downlink WHERE branch_id = ? AND status = ?
            ORDER BY seq DESC LIMIT 1
            """, [.text(id), BundleStatus.acked.sql]
        ).first {
            (b.lastAcknowledged, b.lastAcknowledgedAt) = (r.uint(0) ?? 0, r[1])
        }
        b.oldestUnacknowledgedSeconds = try db.query(
            "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(created_at), NOW(6)) / 1e6 FROM salesync_downlink WHERE branch_id = ? AND status <> ?",
            [.text(id), BundleStatus.acked.sql]
        ).first?[0].flatMap { Double($0) }
        // Each table's verdict from the latest acknowledgement that judged it.
        for r in try db.query(
            "SELECT table_verdicts FROM salesync_downlink WHERE branch_id = ? AND table_verdicts IS NOT NULL ORDER BY seq DESC LIMIT 64",
            [.text(id)])
        {
            let v = (try? JSONDecoder().decode([String: Verdict].self, from: Data((r[0] ?? "").utf8))) ?? [:]
            for (t, verdict) in v where b.verdicts[t] == nil && verdict != .unchecked { b.verdicts[t] = verdict }
        }
        b.resync = try db.query("SELECT reason FROM salesync_downlink_resync WHERE branch_id = ?", [.text(id)]).first?[0]
        return b
    }
}

import Foundation
import MariaDB

/// The head office's state per branch, for `salesync status`.
public struct HeadOfficeStatus: Codable, Sendable {
    public struct Branch: Codable, Sendable {
        public var branch: String
        public var lastSequence: UInt64
        public var lastAppliedAt: String?
        /// Seconds between the branch reading its data for the last applied bundle and now.
        public var lagSeconds: Double?
        public var held: [UInt64]
        public var missing: [UInt64]
        public var quarantined: Int
        public var verdict: Verdict
        public var rows: Int64
        public var acksOwed: Int
        /// Messages the broker dead-lettered from the branch's quorum queue (nil: broker not asked or unreachable).
        public var deadLettered: Int?
        /// Schema changes of this branch held for an operator (`salesync schema list`), with the reason.
        public var schemaHolds: [SchemaHolds.Entry] = []
        /// Set when the branch went back in time (BundleApplier+WentBack.swift): what to tell people.
        public var wentBack: String?
    }
    public var site: String
    public var role = "head-office"
    public var branches: [Branch] = []
    /// What the head office sends down (nil: no downlink declared).
    public var downlink: DownlinkStatus?

    public static func read(_ db: MariaDBConnection, config: Config) throws -> HeadOfficeStatus {
        var s = HeadOfficeStatus(site: config.site)
        let holds = try SchemaHolds(connection: db).list()
        for b in config.branches {
            let r = try db.query(
                """
                SELECT last_seq, DATE_FORMAT(last_applied_at, '%Y-%m-%d %H:%i:%s'), verdict,
                  TIMESTAMPDIFF(MICROSECOND, STR_TO_DATE(REPLACE(REPLACE(last_created, 'T', ' '), 'Z', ''), '%Y-%m-%d %H:%i:%s.%f'), UTC_TIMESTAMP(6)) / 1e6,
                  IF(went_back_seq IS NULL, NULL, went_back_detail)
                FROM salesync_branches WHERE branch_id = ?
                """, [.text(b.id)]
            ).first
            let last = r?.uint(0) ?? 0
            let held = try db.query(
                """
                SELECT seq FROM salesync_inbox WHERE branch_id = ? AND seq > ?
                GROUP BY seq, sha256, chunk_count HAVING COUNT(*) = chunk_count ORDER BY seq
                """, [.text(b.id), .uint(last)]
            ).compactMap { $0.uint(0) }
            var missing: [UInt64] = []
            if let maxHeld = held.max(), maxHeld > last + 1 {
                let have = Set(held)
                missing = (last + 1..<maxHeld).filter { !have.contains($0) }.prefix(100).map { $0 }
            }
            let q =
                try db.query(
                    "SELECT COUNT(*) FROM salesync_quarantine WHERE branch_id = ? AND status = ?", [.text(b.id), QuarantineStatus.open.sql]
                ).first?.int(0) ?? 0
            let rows =
                try db.query("SELECT COALESCE(SUM(state_rows), 0) FROM salesync_table_state WHERE branch_id = ?", [.text(b.id)]).first?.int(
                    0) ?? 0
            let owed =
                try db.query("SELECT COUNT(*) FROM salesync_outbound_acks WHERE branch_id = ? AND sent_at IS NULL", [.text(b.id)]).first?
                .int(0) ?? 0
            s.branches.append(
                Branch(
                    branch: b.id, lastSequence: last, lastAppliedAt: r?[1], lagSeconds: r?[3].flatMap { Double($0) },
                    held: held, missing: missing, quarantined: Int(q),
                    // Went back in time: the branch's last reported state is not its state any more.
                    verdict: r?[4] != nil ? .drift : r.flatMap { Verdict($0, 2) } ?? .unchecked, rows: rows,
                    acksOwed: Int(owed), deadLettered: nil, schemaHolds: holds.filter { $0.branch == b.id }, wentBack: r?[4]))
        }
        if config.downlink.isEnabled { s.downlink = try DownlinkStatus.read(db, config: config) }
        return s
    }

    /// Asks the broker (briefly: status must answer when the broker does not) how many
    /// messages it dead-lettered per branch.
    public mutating func addDeadLetters(config: Config) {
        guard let (amqp, _) = try? Topology.connect(config, timeout: 5) else { return }
        defer { amqp.close() }
        for i in branches.indices { branches[i].deadLettered = Topology.deadLettered(amqp, branch: branches[i].branch) }
    }
}

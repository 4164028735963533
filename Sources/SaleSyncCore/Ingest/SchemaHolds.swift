import Foundation
import MariaDB

/// The head office's record of held schema changes (`salesync_schema_holds`): what is held and
/// why, and the operator's acceptance, per branch, table and shape (fingerprint).
public struct SchemaHolds {
    /// One held change, for `salesync schema list`, `status` and the console.
    public struct Entry: Sendable, Codable, Equatable {
        public var branch: String
        public var table: String
        public var fingerprint: String
        public var sequence: UInt64
        public var detail: String
        public var heldAt: String
        public var acceptedBy: String?
        public var acceptedAt: String?
    }

    let db: MariaDBConnection

    public init(connection: MariaDBConnection) { db = connection }

    /// Whether an operator accepted this shape of the table from this branch.
    func accepted(branch: String, table: String, fingerprint: String) throws -> Bool {
        try db.query(
            "SELECT 1 FROM salesync_schema_holds WHERE branch_id = ? AND table_name = ? AND fingerprint = ? AND accepted_at IS NOT NULL",
            [.text(branch), .text(table), .text(fingerprint)]
        ).first != nil
    }

    /// Records (or refreshes) a hold; returns true when it is new (worth a log line).
    func record(branch: String, seq: UInt64, _ hold: SchemaHold) throws -> Bool {
        let columns = String(decoding: try JSONEncoder().encode(hold.schema.columns), as: UTF8.self)
        let n = try db.execute(
            """
            INSERT INTO salesync_schema_holds (branch_id, table_name, fingerprint, seq, detail, columns_json, held_at)
            VALUES (?, ?, ?, ?, ?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE detail = VALUES(detail), seq = LEAST(seq, VALUES(seq))
            """,
            [
                .text(branch), .text(hold.table), .text(hold.schema.fingerprint), .uint(seq), .text(hold.reasons.joined(separator: "; ")),
                .text(columns),
            ])
        return n == 1
    }

    /// Open holds (with `all`, accepted ones too), oldest first.
    public func list(all: Bool = false) throws -> [Entry] {
        try db.query(
            """
            SELECT branch_id, table_name, fingerprint, seq, detail, DATE_FORMAT(held_at, '%Y-%m-%d %H:%i:%s'), accepted_by,
              DATE_FORMAT(accepted_at, '%Y-%m-%d %H:%i:%s')
            FROM salesync_schema_holds WHERE ? OR accepted_at IS NULL ORDER BY held_at
            """, [.int(all ? 1 : 0)]
        ).map {
            Entry(
                branch: $0[0] ?? "", table: $0[1] ?? "", fingerprint: $0[2] ?? "", sequence: $0.uint(3) ?? 0, detail: $0[4] ?? "",
                heldAt: $0[5] ?? "", acceptedBy: $0[6], acceptedAt: $0[7])
        }
    }

    /// Accepts the open hold of `branch` on `table`: first widens the head office's columns as
    /// asked (`column → SQL type`), then records who accepted. The next ingest applies the bundles.
    public func accept(branch: String, table: String, widen: [(String, String)], by who: String) throws -> Entry {
        guard let e = try list().first(where: { $0.branch == branch && $0.table == table }) else {
            throw SyncError.data("no open schema hold for branch \(branch), table \(table) (see salesync schema list)")
        }
        for (column, type) in widen {
            guard type.range(of: #"^[A-Za-z]+( ?\([0-9]+( ?, ?[0-9]+)?\))?( unsigned)?$"#, options: .regularExpression) != nil else {
                throw SyncError.data("--widen \(column)=\(type): expected a column type such as VARCHAR(64), BIGINT or DECIMAL(14,2)")
            }
            guard
                let found = try db.query(
                    "SELECT IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME = ?",
                    [.text(table), .text(column)]
                ).first
            else {
                throw SyncError.data("--widen \(column)=\(type): the head office's table \(table) has no column \(column)")
            }
            let nullable = found[0] == "YES"
            try db.execute(
                "ALTER TABLE \(quoteIdentifier(table)) MODIFY COLUMN \(quoteIdentifier(column)) \(type) \(nullable ? "NULL" : "NOT NULL")")
        }
        try db.execute(
            "UPDATE salesync_schema_holds SET accepted_by = ?, accepted_at = NOW(6) WHERE branch_id = ? AND table_name = ? AND fingerprint = ?",
            [.text(String(who.prefix(64))), .text(branch), .text(table), .text(e.fingerprint)])
        return e
    }
}

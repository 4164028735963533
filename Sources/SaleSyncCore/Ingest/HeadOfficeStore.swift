import Crypto
import Foundation
import MariaDB

/// The head office's side of installation and of its synced tables: a row per configured branch,
/// each synced table's shape and drift triggers (salesync's own tables are migrations:
/// Migrator+HeadOffice.swift).
public enum HeadOfficeStore {
    /// Creates salesync's tables and a row per configured branch (idempotent).
    public static func install(_ conn: MariaDBConnection, config: Config) throws -> [String] {
        try Migrator(role: .headOffice).migrate(conn, config: config)
        for b in config.branches {
            try conn.execute("INSERT IGNORE INTO salesync_branches (branch_id) VALUES (?)", [.text(b.id)])
        }
        var report = ["head-office tables ready for branches \(config.branches.map(\.id).joined(separator: ", "))"]
        // Without a downlink, installTriggers also removes the capture of tables no longer sent.
        report += try Capture.installTriggers(conn, config: config.downlinkCapture)
        return report
    }

    /// The head office's shape for a synced table: `branch_id` first, then the branch's columns;
    /// primary key (branch_id, branch key).
    static func createTableSQL(_ schema: TableSchema) -> String {
        Database.createTableSQL(
            schema, leading: "`branch_id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL", key: "`branch_id`")
    }

    /// Triggers that keep the head office's per-branch state checksum honest when someone updates
    /// or deletes rows of a synced table behind salesync's back (salesync's own session sets
    /// @salesync_branch and accounts for its changes itself). The next bundle that carries the
    /// branch's state then shows the difference as drift. Each is (name, event, body).
    ///
    /// There is no INSERT trigger on purpose: MariaDB invokes a trigger for every row even when
    /// its body does nothing, which cost about 1 µs per row salesync loads (a third of the load
    /// itself), while REPLACE fires the DELETE trigger only for rows it replaces. A row inserted
    /// behind salesync's back is found by `verify --full` (run nightly from cron).
    static func driftTriggers(_ schema: TableSchema) -> [Database.Trigger] {
        let id = String(SHA256.hash(data: Data(schema.name.utf8)).hex.prefix(12))
        let name = sqlStringLiteral(schema.name)
        let mod = "18446744073709551616"
        func change(_ ref: String, rows: String, sign: String) -> String {
            let h = "CAST(\(Database.rowHashSQL(schema) { "\(ref).\($0)" }) AS DECIMAL(21,0))"
            return "INSERT INTO salesync_table_state (branch_id, table_name, state_rows, state_hash) "
                + "VALUES (\(ref).branch_id, \(name), \(rows), CAST((\(mod) \(sign) \(h)) MOD \(mod) AS UNSIGNED)) "
                + "ON DUPLICATE KEY UPDATE state_rows = state_rows + \(rows), "
                + "state_hash = CAST((CAST(state_hash AS DECIMAL(21,0)) + \(mod) \(sign) \(h)) MOD \(mod) AS UNSIGNED);"
        }
        func trigger(_ suffix: String, _ event: String, _ body: String) -> Database.Trigger {
            ("\(driftPrefix)\(id)_\(suffix)", event, "BEGIN IF @salesync_branch IS NULL THEN \(body) END IF; END")
        }
        return [
            trigger("ad", "DELETE", change("OLD", rows: "-1", sign: "-")),
            trigger("au", "UPDATE", change("OLD", rows: "-1", sign: "-") + " " + change("NEW", rows: "1", sign: "+")),
        ]
    }

    static let driftPrefix = "salesync_ho_"

    /// Creates, replaces or drops the drift triggers so that they match `watch` (also dropping
    /// those of an earlier version or configuration, e.g. the former INSERT trigger).
    static func syncDriftTriggers(_ db: MariaDBConnection, _ schema: TableSchema, watch: Bool) throws {
        try Database.syncTriggers(db, table: schema.name, prefix: driftPrefix, watch ? driftTriggers(schema) : [])
    }

    /// Row count and content hash of everything the head office holds for `branch` in a table,
    /// computed from the table itself (a scan of the branch's rows).
    static func fullState(_ db: MariaDBConnection, _ schema: TableSchema, branch: String) throws -> (rows: Int64, hash: UInt64) {
        try Database.contentState(db, schema, filter: "t.branch_id = ?", [.text(branch)])
    }

    /// The branch's table as its last applied bundle carried it (nil: none recorded yet).
    static func lastSchema(_ db: MariaDBConnection, branch: String, table: String) throws -> TableSchema? {
        guard
            let json = try db.query(
                "SELECT columns_json FROM salesync_table_state WHERE branch_id = ? AND table_name = ?",
                [.text(branch), .text(table)]
            ).first?[0],
            let columns = try? JSONDecoder().decode([ColumnInfo].self, from: Data(json.utf8))
        else { return nil }
        return TableSchema(name: table, columns: columns)
    }

    /// The branch-side schema of a head-office table: its columns without `branch_id`.
    static func branchView(_ conn: MariaDBConnection, database: String, table: String) throws -> TableSchema? {
        guard let s = try? Database.schema(conn, database: database, table: table) else { return nil }
        var cols = s.columns.filter { $0.name != "branch_id" }
        for i in cols.indices where cols[i].key > 0 { cols[i].key -= 1 }
        return TableSchema(name: table, columns: cols)
    }
}

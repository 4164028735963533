import Crypto
import Foundation
import MariaDB

/// The head office's own tables: per-branch progress, applied bundles, the durable inbox of
/// received chunks, acknowledgements owed, quarantine.
public enum HeadOfficeStore {
    static let ddl = [
        """
        CREATE TABLE IF NOT EXISTS salesync_branches (
          branch_id VARCHAR(64) NOT NULL PRIMARY KEY,
          last_seq BIGINT UNSIGNED NOT NULL DEFAULT 0,
          last_applied_at DATETIME(6) NULL,
          last_created VARCHAR(40) NULL,
          verdict VARCHAR(16) NOT NULL DEFAULT '\(Verdict.unchecked.rawValue)'
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """,
        """
        CREATE TABLE IF NOT EXISTS salesync_applied (
          branch_id VARCHAR(64) NOT NULL,
          seq BIGINT UNSIGNED NOT NULL,
          sha256 CHAR(64) NOT NULL,
          row_count BIGINT UNSIGNED NOT NULL,
          applied_at DATETIME(6) NOT NULL,
          verdict VARCHAR(16) NOT NULL,
          bytes BIGINT UNSIGNED NULL,
          received_at DATETIME(6) NULL,
          PRIMARY KEY (branch_id, seq)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """,
        // Schema version 2 on a head office made by version 1 (the console shows them).
        """
        ALTER TABLE salesync_applied ADD COLUMN IF NOT EXISTS bytes BIGINT UNSIGNED NULL,
          ADD COLUMN IF NOT EXISTS received_at DATETIME(6) NULL
        """,
        // The head office's own running row count and content hash per branch and table,
        // compared with the branch's after each bundle that carries one.
        """
        CREATE TABLE IF NOT EXISTS salesync_table_state (
          branch_id VARCHAR(64) NOT NULL,
          table_name VARCHAR(64) NOT NULL,
          state_rows BIGINT NOT NULL DEFAULT 0,
          state_hash BIGINT UNSIGNED NOT NULL DEFAULT 0,
          branch_rows BIGINT NULL,
          branch_hash BIGINT UNSIGNED NULL,
          PRIMARY KEY (branch_id, table_name)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """,
        // Received chunks: the inbox is in the database so that any ingest process, on any host,
        // sees the same bundles, and a chunk is stored before its message is acknowledged.
        """
        CREATE TABLE IF NOT EXISTS salesync_inbox (
          branch_id VARCHAR(64) NOT NULL,
          seq BIGINT UNSIGNED NOT NULL,
          sha256 CHAR(64) NOT NULL,
          chunk_count INT UNSIGNED NOT NULL,
          chunk_index INT UNSIGNED NOT NULL,
          bundle_size BIGINT UNSIGNED NOT NULL,
          payload LONGBLOB NOT NULL,
          received_at DATETIME(6) NOT NULL,
          PRIMARY KEY (branch_id, seq, sha256, chunk_count, chunk_index)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """,
        """
        CREATE TABLE IF NOT EXISTS salesync_outbound_acks (
          branch_id VARCHAR(64) NOT NULL,
          seq BIGINT UNSIGNED NOT NULL,
          status VARCHAR(16) NOT NULL,
          body BLOB NOT NULL,
          created_at DATETIME(6) NOT NULL,
          sent_at DATETIME(6) NULL,
          PRIMARY KEY (branch_id, seq, status),
          KEY unsent_idx (sent_at)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """,
        """
        CREATE TABLE IF NOT EXISTS salesync_quarantine (
          id BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
          branch_id VARCHAR(64) NOT NULL,
          seq BIGINT UNSIGNED NULL,
          sha256 CHAR(64) NULL,
          file VARCHAR(512) NOT NULL,
          reason TEXT NOT NULL,
          created_at DATETIME(6) NOT NULL,
          status VARCHAR(16) NOT NULL DEFAULT '\(QuarantineStatus.open.rawValue)',
          decided_by VARCHAR(64) NULL,
          decided_at DATETIME(6) NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """,
        // The shape of each branch's table as its last applied bundle carried it (schema
        // changes: a dropped column is told from another branch's addition, and a changed shape
        // makes the head office recount its state for the branch).
        """
        ALTER TABLE salesync_table_state ADD COLUMN IF NOT EXISTS fingerprint CHAR(64) NULL,
          ADD COLUMN IF NOT EXISTS columns_json MEDIUMTEXT NULL
        """,
        SchemaHolds.ddl,
        // Who retried or dropped a bundle (console user or "cli:" and the Unix user); added to
        // quarantine tables made by salesync before the console existed.
        """
        ALTER TABLE salesync_quarantine ADD COLUMN IF NOT EXISTS decided_by VARCHAR(64) NULL,
          ADD COLUMN IF NOT EXISTS decided_at DATETIME(6) NULL
        """,
    ]

    /// Creates salesync's tables and a row per configured branch (idempotent).
    public static func install(_ conn: MariaDBConnection, config: Config) throws -> [String] {
        try SchemaVersion.check(conn, config: config, upgrading: true)
        for sql in ddl { try conn.execute(sql) }
        // Recorded after the tables are in shape, so a failed upgrade is retried by the next init.
        try SchemaVersion.install(conn, config: config)
        for b in config.branches {
            try conn.execute("INSERT IGNORE INTO salesync_branches (branch_id) VALUES (?)", [.text(b.id)])
        }
        return ["head-office tables ready for branches \(config.branches.map(\.id).joined(separator: ", "))"]
    }

    /// The head office's shape for a synced table: `branch_id` first, then the branch's columns;
    /// primary key (branch_id, branch key).
    static func createTableSQL(_ schema: TableSchema) -> String {
        var defs = ["`branch_id` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL"]
        defs += schema.columns.map(Database.columnDefinition)
        let key = (["`branch_id`"] + schema.keyColumns.map { quoteIdentifier($0.name) }).joined(separator: ", ")
        return "CREATE TABLE IF NOT EXISTS \(quoteIdentifier(schema.name)) (\n  \(defs.joined(separator: ",\n  ")),\n  PRIMARY KEY (\(key))\n) ENGINE=InnoDB"
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
        guard let json = try db.query("SELECT columns_json FROM salesync_table_state WHERE branch_id = ? AND table_name = ?",
                                      [.text(branch), .text(table)]).first?[0],
              let columns = try? JSONDecoder().decode([ColumnInfo].self, from: Data(json.utf8)) else { return nil }
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

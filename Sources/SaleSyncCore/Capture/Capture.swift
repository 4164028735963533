import Foundation
import Logging
import MariaDB

/// Change capture on a branch: per synced table a change log fed by triggers (salesync's own
/// tables are migrations: Migrator+Branch.swift). See docs/capture.md for why this never loses a change to a late commit.
public enum Capture {
    /// Creates salesync's tables and installs capture on every configured table. Idempotent:
    /// triggers follow the table's current columns, existing change logs and watermarks are kept;
    /// a table no longer configured loses its capture once its changes are exported.
    public static func install(_ conn: MariaDBConnection, config: Config) throws -> [String] {
        try Migrator(role: .branch).migrate(conn, config: config)
        let logger = Logger(label: "salesync.capture")
        let binlog = BinlogFeed(conn: conn, config: config, logger: logger)
        let compare = CompareFeed(conn: conn, config: config, logger: logger)
        func schemas() throws -> [TableSchema] {
            try config.database.tables.map { try Database.schema(conn, database: config.database.name, table: $0) }
        }
        // Switching modes, the new capture starts before the old one stops: a change in
        // between is captured twice, which only sends a row twice.
        switch config.captureMode {
        case .triggers:
            return try installTriggers(conn, config: config) + leaveBinlog(binlog) + compare.stop()
        case .binlog:
            try binlog.check(schemas())
            return try enterBinlog(binlog) + compare.stop() + installTriggers(conn, config: config)
        case .compare:
            try refuseUnreadableKeys(schemas(), config: config)
            // Tables captured before get their seen table first, new ones after they are registered.
            let before = try compare.start()
            return try before + leaveBinlog(binlog) + installTriggers(conn, config: config) + compare.start()
        }
    }

    /// Starts reading the binary log, or reads on from where it stood.
    private static func enterBinlog(_ feed: BinlogFeed) throws -> [String] {
        guard try feed.saved() != nil else {
            try feed.start()
            return ["capture reads the binary log from \(try feed.saved().map(\.description) ?? "?")"]
        }
        do { try feed.catchUp() } catch is BinlogFeed.Rewound {
            // Restored from a backup: what the log holds since the backup is not this database's.
            try feed.start()
            return ["this database was restored from a backup: capture reads the binary log from now on"]
        }
        return []
    }

    /// Back from the binary log: what it holds that no export read yet goes into the change logs.
    private static func leaveBinlog(_ feed: BinlogFeed) throws -> [String] {
        guard try feed.saved() != nil else { return [] }
        try feed.catchUp()
        try feed.conn.execute("DELETE FROM salesync_binlog")
        return ["capture no longer reads the binary log"]
    }

    /// Change logs and triggers on every table of `config.database.tables` (salesync's tables
    /// already made: the head office's downlink uses this with `Config.downlinkCapture`).
    public static func installTriggers(_ conn: MariaDBConnection, config: Config) throws -> [String] {
        var report = try uninstallRemoved(conn, config: config)
        for name in config.database.tables {
            let schema = try Database.schema(conn, database: config.database.name, table: name)
            let existing = try conn.query("SELECT table_id FROM salesync_capture WHERE table_name = ?", [.text(name)])
            let id: Int
            if let row = existing.first {
                id = Int(row.int(0) ?? 0)
            } else {
                let next = try conn.query("SELECT COALESCE(MAX(table_id), 0) + 1 FROM salesync_capture")
                id = Int(next.first?.int(0) ?? 1)
                try conn.execute(
                    "INSERT INTO salesync_capture (table_id, table_name, fingerprint) VALUES (?, ?, ?)",
                    [.int(Int64(id)), .text(name), .text(schema.fingerprint)])
            }
            try conn.execute(logTableDDL(id: id, schema))
            try dropLogKeyIndex(conn, id: id)
            if try follow(conn, id: id, schema: schema, config: config), !existing.isEmpty {
                report.append(
                    "capture on \(name) follows its columns (\(config.captureMode.usesTriggers ? "triggers regenerated" : "change log"))")
            }
            report.append("capture installed on \(name) (change log \(CapturedTable.logTable(id)))")
        }
        return report
    }

    static func logTableDDL(id: Int, _ schema: TableSchema) -> String {
        let keyDefs = schema.keyColumns.enumerated().map { logKeyDefinition($1, position: $0) }
        // dc: change in row count (+1 insert, -1 delete, 0 update); oh: hash of the row before the
        // change (0 for an insert); nh: 1 when the trigger could not hash the old row (a column it
        // names was dropped or renamed since), else 0 (triggers before bundle format 2 wrote the
        // new row's hash there: read as "unknown" too). The export hashes the rows it reads and
        // takes each key's first oh, which keeps the state checksum without scans; an unknown oh
        // makes it take the state from the table. No index on the keys: every sale would pay for
        // it, and the export reads the log whole anyway.
        return """
            CREATE TABLE IF NOT EXISTS \(quoteIdentifier(CapturedTable.logTable(id))) (
              seq BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
              \(keyDefs.joined(separator: ",\n  ")),
              dc TINYINT NOT NULL,
              oh BIGINT UNSIGNED NOT NULL,
              nh BIGINT UNSIGNED NOT NULL
            ) ENGINE=InnoDB
            """
    }

    /// Drops the key index change logs had before: it cost every write more than it saved.
    static func dropLogKeyIndex(_ conn: MariaDBConnection, id: Int) throws {
        let log = CapturedTable.logTable(id)
        let has = try conn.query(
            """
            SELECT 1 FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = 'key_idx' LIMIT 1
            """, [.text(log)])
        if !has.isEmpty { try conn.execute("ALTER TABLE \(quoteIdentifier(log)) DROP INDEX key_idx") }
    }

    /// A change log's key column: its comment names the table's column it holds, so that a
    /// changed primary key is told from a widened one (docs/schema-changes.md).
    static func logKeyDefinition(_ c: ColumnInfo, position i: Int) -> String {
        Database.keyColumnDefinition(c, position: i) + " COMMENT " + sqlStringLiteral(c.name)
    }

    /// The name prefix of table `id`'s capture triggers.
    static func triggerPrefix(_ id: Int) -> String { "salesync_\(id)_" }

    /// The capture triggers of a table for its current columns. They write the keys a change
    /// touched and, for updates and deletes, a copy of the old row's other columns (gone once the
    /// row changes; Capture+OldRows.swift); everything else waits for the export, which does it
    /// in bulk, off the till's path.
    ///
    /// They must never make a write at the till fail: the shop's software may ALTER the table
    /// while salesync is not running, and until the next export regenerates the triggers they
    /// name columns that may be gone, and copy values into log columns of the old types. Only the
    /// copy names non-key columns, so a handler for those errors (a column unknown, a value that
    /// does not fit) logs the change without it (nh = 1) instead. The copy's row comes first in
    /// its INSERT: when it fails, nothing was written. Errors of the transaction itself (deadlock,
    /// lock wait) are not handled: they must reach the till as they would without salesync.
    static func triggers(id: Int, _ schema: TableSchema) -> [Database.Trigger] {
        let log = quoteIdentifier(CapturedTable.logTable(id))
        let keys = schema.keyColumns.map { quoteIdentifier($0.name) }
        let keyCols = Database.keyColumnNames(keys.count)
        func vals(_ p: String) -> String { keys.map { "\(p).\($0)" }.joined(separator: ", ") }
        let sameKey = keys.map { "NEW.\($0) <=> OLD.\($0)" }.joined(separator: " AND ")
        let prefix = triggerPrefix(id)
        let insert = "INSERT INTO \(log) (\(keyCols), dc, oh, nh) VALUES"
        let copied = imageColumns(schema)
        let copyCols = copied.map { ", " + quoteIdentifier($0.log) }.joined()
        let oldValues = copied.map { ", OLD." + quoteIdentifier($0.column.name) }.joined()
        let noValues = copied.map { _ in ", NULL" }.joined()
        let handled = [
            MariaDBError.Code.badField, MariaDBError.Code.outOfRange, MariaDBError.Code.dataTruncated,
            MariaDBError.Code.truncatedValue, MariaDBError.Code.wrongValue, MariaDBError.Code.dataTooLong,
            MariaDBError.Code.badGeometry, MariaDBError.Code.castNotAllowed,
        ].map(String.init).joined(separator: ", ")
        /// The entries of an update or delete: the old key's with `dc` and the old row, then the
        /// new key's insert when the key changed.
        func entries(dc: Int, key: String, newKey: Bool) -> String {
            let inserted = newKey ? ", (\(vals("NEW")), 1, 0, 0)" : ""
            let insertedCopy = newKey ? ", (\(vals("NEW")), 1, 0, 0\(noValues))" : ""
            return """
                BEGIN
                    DECLARE CONTINUE HANDLER FOR \(handled) \(insert) (\(key), \(dc), 0, 1)\(inserted);
                    INSERT INTO \(log) (\(keyCols), dc, oh, nh\(copyCols)) VALUES (\(key), \(dc), 0, \(imageFlag)\(oldValues))\(insertedCopy);
                  END
                """
        }
        // `@salesync_quiet`: set only by `salesync rejoin` on its own connection, while it writes
        // back rows the head office already holds (they must not travel up again).
        func unlessQuiet(_ body: String) -> String { "IF @salesync_quiet IS NULL THEN\n  \(body);\nEND IF" }
        return [
            ("\(prefix)ai", "INSERT", unlessQuiet("\(insert) (\(vals("NEW")), 1, 0, 0)")),
            ("\(prefix)ad", "DELETE", unlessQuiet(entries(dc: -1, key: vals("OLD"), newKey: false))),
            (
                "\(prefix)au", "UPDATE",
                """
                IF @salesync_quiet IS NULL THEN
                  IF \(sameKey) THEN
                    \(entries(dc: 0, key: vals("NEW"), newKey: false));
                  ELSE
                    \(entries(dc: -1, key: vals("OLD"), newKey: true));
                  END IF;
                END IF
                """
            ),
        ]
    }

    /// Every synced table's capture state, in config order; locks the rows (FOR UPDATE).
    static func tables(_ conn: MariaDBConnection, config: Config) throws -> [CapturedTable] {
        var out: [CapturedTable] = []
        for name in config.database.tables {
            guard
                let r = try conn.query(
                    """
                    SELECT table_id, fingerprint, watermark, snapshot_done, state_rows, state_hash
                    FROM salesync_capture WHERE table_name = ? FOR UPDATE
                    """, [.text(name)]
                ).first
            else {
                throw SyncError.config("\(config.path): table \(name) has no capture installed; run salesync init")
            }
            out.append(
                CapturedTable(
                    id: Int(r.int(0) ?? 0), name: name, fingerprint: r[1] ?? "", watermark: r.uint(2) ?? 0,
                    snapshotDone: r[3] == "1", rows: r.int(4) ?? 0, hash: r.uint(5) ?? 0))
        }
        return out
    }
}

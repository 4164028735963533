import Foundation
import MariaDB

extension Capture {
    /// Makes a table's capture match its current columns (docs/schema-changes.md): the change
    /// log's key and copy (image) columns, then the triggers, which name every column. Trigger DDL waits
    /// for every open transaction on the table, so once it is done no change is being written by
    /// the old triggers. A changed primary key cannot be followed in the log (its keys name other
    /// rows): the log starts afresh and the table is sent whole. Returns whether anything changed.
    static func follow(_ conn: MariaDBConnection, id: Int, schema: TableSchema, config: Config) throws -> Bool {
        let mode = config.captureMode
        return try briefly(conn, table: schema.name) {
            let keysChanged = try followKeys(conn, id: id, schema)
            let imagesChanged = try followImages(conn, id: id, schema)
            let triggersChanged = try Database.syncTriggers(
                conn, table: schema.name, prefix: triggerPrefix(id), triggers(id: id, schema, mode: mode))
            let seenChanged = try mode == .compare && CompareFeed.follow(conn, id: id, schema: schema, stateDir: config.stateDir)
            return keysChanged || imagesChanged || triggersChanged || seenChanged
        }
    }

    /// How long salesync's DDL on a synced table may hold up the till's writes, in seconds.
    static let ddlWaitSeconds = 2

    /// Runs `body`, whose DDL needs `table` (or its log) to itself. While such DDL waits for a
    /// transaction the till left open, MariaDB queues the till's next writes behind it: so it
    /// waits no longer than `ddlWaitSeconds`, and the command fails as temporary (exit 75).
    static func briefly<T>(_ conn: MariaDBConnection, table: String, _ body: () throws -> T) throws -> T {
        try conn.execute("SET SESSION lock_wait_timeout = \(ddlWaitSeconds)")
        defer { try? conn.execute("SET SESSION lock_wait_timeout = DEFAULT") }
        do {
            return try body()
        } catch let e as MariaDBError where e.code == MariaDBError.Code.lockWaitTimeout {
            throw SyncError.temporary(
                "table \(table): a transaction open on it kept salesync from changing its capture (to follow its columns, install or remove it) for \(ddlWaitSeconds) s (\(e.message)); nothing was exported, try again (the next run does)"
            )
        }
    }

    /// Whether the table's triggers are the ones for `schema` (an export checks this, and
    /// `imagesCurrent`, inside its snapshot: a table altered after `follow` makes the export start over).
    static func triggersCurrent(_ conn: MariaDBConnection, id: Int, schema: TableSchema, mode: CaptureMode = .triggers) throws -> Bool {
        let have = try Database.triggerBodies(conn, table: schema.name)
        return triggers(id: id, schema, mode: mode).allSatisfy { have[$0.name] == $0.body }
    }

    /// The triggers a table has in `mode`: none when capture reads the binary log or compares.
    static func triggers(id: Int, _ schema: TableSchema, mode: CaptureMode) -> [Database.Trigger] {
        mode.usesTriggers ? triggers(id: id, schema) : []
    }

    /// The change log's key columns against the table's key: a widened key column is widened in
    /// the log too; other key changes restart the log and mark the table for a snapshot.
    private static func followKeys(_ conn: MariaDBConnection, id: Int, _ schema: TableSchema) throws -> Bool {
        let logTable = quoteIdentifier(CapturedTable.logTable(id))
        let log = try logColumns(conn, id: id, prefix: "k")
        let keys = schema.keyColumns
        guard !log.isEmpty else { return false }  // created by install
        // Logs made before key names were recorded have empty comments: their names are unknown.
        let sameKey = log.count == keys.count && zip(log, keys).allSatisfy { $0.comment.isEmpty || $0.comment == $1.name }
        if !sameKey {
            try conn.execute("UPDATE salesync_capture SET snapshot_done = 0, watermark = 0 WHERE table_id = ?", [.int(Int64(id))])
            try conn.execute("DELETE FROM salesync_holes WHERE table_id = ?", [.int(Int64(id))])
            try conn.execute("DROP TABLE IF EXISTS \(logTable)")
            try conn.execute(logTableDDL(id: id, schema))
            return true
        }
        var changed = false
        for (i, (l, k)) in zip(log, keys).enumerated() where l.type.lowercased() != k.type.lowercased() || l.comment.isEmpty {
            try conn.execute("ALTER TABLE \(logTable) MODIFY COLUMN \(logKeyDefinition(k, position: i))")
            changed = true
        }
        return changed
    }

    /// Removes the capture of tables no longer in `database.tables`, once everything they
    /// captured was exported (else a config error says to export first).
    static func uninstallRemoved(_ conn: MariaDBConnection, config: Config) throws -> [String] {
        var report: [String] = []
        for r in try conn.query("SELECT table_id, table_name, watermark FROM salesync_capture ORDER BY table_id") {
            let (id, name) = (Int(r.int(0) ?? 0), r[1] ?? "")
            guard !config.database.tables.contains(name) else { continue }
            let log = quoteIdentifier(CapturedTable.logTable(id))
            let pending = try conn.query("SELECT COUNT(*) FROM \(log) WHERE seq > ?", [.uint(r.uint(2) ?? 0)]).first?.int(0) ?? 0
            let holes = try conn.query("SELECT COUNT(*) FROM salesync_holes WHERE table_id = ?", [.int(Int64(id))]).first?.int(0) ?? 0
            guard pending + holes == 0 else {
                throw SyncError.config(
                    """
                    \(config.path): table \(name) is no longer in database.tables but has \(pending) change(s) not exported; \
                    put it back, run salesync export, then remove it and run init again
                    """)
            }
            try briefly(conn, table: name) {
                try Database.syncTriggers(conn, table: name, prefix: triggerPrefix(id), [])
                try conn.execute("DROP TABLE IF EXISTS \(log)")
                try conn.execute("DROP TABLE IF EXISTS \(quoteIdentifier(CompareFeed.seenTable(id)))")
            }
            try conn.execute("DELETE FROM salesync_capture WHERE table_id = ?", [.int(Int64(id))])
            report.append("capture removed from \(name) (no longer in database.tables; its changes were all exported)")
        }
        return report
    }
}

extension Capture {
    /// Key column types whose values come back exactly when salesync writes them into a change
    /// log itself (the modes without triggers: from the binary log's values, or from the text a
    /// comparison read): the prefix of `COLUMN_TYPE`.
    static let readableKeyTypes = [
        "tinyint", "smallint", "mediumint", "int", "bigint", "decimal", "char", "varchar", "binary", "varbinary", "date", "datetime",
    ]

    /// Refuses a table whose key salesync could not write back exactly in the configured mode.
    static func refuseUnreadableKeys(_ schemas: [TableSchema], config: Config) throws {
        guard !config.captureMode.usesTriggers else { return }
        for s in schemas {
            for k in s.keyColumns {
                let type = k.type.lowercased().prefix { $0.isLetter }
                guard readableKeyTypes.contains(String(type)) else {
                    throw SyncError.config(
                        "\(config.path): capture.mode = \"\(config.captureMode.rawValue)\": table \(s.name)'s key column \(k.name) is \(k.type), which salesync cannot write back exactly in this mode (keys may be integers, DECIMAL, CHAR, VARCHAR, BINARY, VARBINARY, DATE or DATETIME); use mode = \"triggers\""
                    )
                }
            }
        }
    }
}

import MariaDB

extension Database {
    /// A trigger as salesync defines it: name, event (INSERT, UPDATE, DELETE) and body.
    public typealias Trigger = (name: String, event: String, body: String)

    /// The bodies of the triggers on `table` in the connection's database, by name.
    static func triggerBodies(_ db: MariaDBConnection, table: String) throws -> [String: String] {
        var have: [String: String] = [:]
        for r in try db.query(
            "SELECT TRIGGER_NAME, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = ?",
            [.text(table)])
        {
            if let n = r[0] { have[n] = r[1] ?? "" }
        }
        return have
    }

    /// Makes the triggers on `table` whose names start with `prefix` exactly `wanted`: creates or
    /// replaces those whose body differs, drops the others (an earlier version's or configuration's).
    /// Trigger DDL waits for every open transaction on the table, so only what differs is touched.
    /// Returns whether anything was.
    @discardableResult
    static func syncTriggers(_ db: MariaDBConnection, table: String, prefix: String, _ wanted: [Trigger]) throws -> Bool {
        let have = try triggerBodies(db, table: table).filter { $0.key.hasPrefix(prefix) }
        var changed = false
        for t in wanted where have[t.name] != t.body {
            do {
                try db.execute(
                    "CREATE OR REPLACE TRIGGER \(quoteIdentifier(t.name)) AFTER \(t.event) ON \(quoteIdentifier(table)) FOR EACH ROW \(t.body)"
                )
            } catch let e as MariaDBError where e.code == MariaDBError.Code.triggerNeedsSuper {
                throw SyncError.config(
                    "table \(table): the server keeps a binary log, and then MariaDB lets only SUPER make triggers (\(e.message)); set log_bin_trust_function_creators = 1 in the server's configuration, or capture from that log instead ([capture] mode = \"binlog\", docs/capture.md)"
                )
            }
            changed = true
        }
        for name in have.keys.sorted() where !wanted.contains(where: { $0.name == name }) {
            try db.execute("DROP TRIGGER IF EXISTS \(quoteIdentifier(name))")
            changed = true
        }
        return changed
    }

    /// A key column as salesync's key tables hold it (change logs, the head office's temporary
    /// key tables): named `k1`, `k2`… by position, NOT NULL, no default.
    static func keyColumnDefinition(_ c: ColumnInfo, position i: Int) -> String {
        var k = c
        k.name = "k\(i + 1)"
        k.nullable = false
        k.defaultValue = nil
        return columnDefinition(k)
    }

    /// The names of `n` such key columns, for a column list: "`k1`, `k2`, …".
    static func keyColumnNames(_ n: Int) -> String { (1...n).map { "`k\($0)`" }.joined(separator: ", ") }
}

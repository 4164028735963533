import Foundation
import MariaDB

extension CompareFeed {
    /// Compares one table with its seen table, in the caller's transaction; returns how many
    /// rows differ. Both reads are consistent reads, which take no locks: the till never waits
    /// for them (an INSERT … SELECT would lock every row it reads). What differs goes through a
    /// spool file, since the connection cannot write while it streams, then into the change log
    /// (when `entries`) and the seen table.
    func compare(_ id: Int, _ schema: TableSchema, entries: Bool, oldKnown: Bool, shouldStop: () -> Bool = { false }) throws -> Int {
        let table = quoteIdentifier(schema.name)
        let seen = quoteIdentifier(Self.seenTable(id))
        let n = schema.keyColumns.count
        let tableKeys = schema.keyColumns.map { "t." + quoteIdentifier($0.name) }
        let seenKeys = (1...n).map { "s.`k\($0)`" }
        let join = zip(seenKeys, tableKeys).map { "\($0) = \($1)" }.joined(separator: " AND ")
        let spool = try Spool(directory: config.stateDir)
        func take(_ row: RowView) throws {
            try spool.append(row)
            if spool.count % 4096 == 0 { try stopIfAsked(shouldStop) }
        }
        // Inserted or updated: rows whose hash the seen table does not hold. Columns: dc, the old
        // hash (none for an insert), the new hash, the key.
        try conn.stream(
            """
            SELECT IF(s.h IS NULL, 1, 0), s.h AS salesync_oh, \(Database.rowHashSQL(schema) { "t.\($0)" }) AS salesync_nh,
              \(tableKeys.joined(separator: ", "))
            FROM \(table) t LEFT JOIN \(seen) s ON \(join)
            HAVING salesync_oh IS NULL OR salesync_oh <> salesync_nh
            """, take)
        try stopIfAsked(shouldStop)
        // Deleted: keys the seen table holds and the table no longer has.
        try conn.stream(
            """
            SELECT -1, s.h, NULL, \(seenKeys.joined(separator: ", "))
            FROM \(seen) s LEFT JOIN \(table) t ON \(join) WHERE \(tableKeys[0]) IS NULL
            """, take)
        var log = ChangeLogWriter(conn: conn)
        var seenWriter = SeenWriter(conn: conn, table: Self.seenTable(id), keys: n)
        try spool.forEach(columns: 3 + n) { f in
            let dc = Int8(text(f[0])) ?? 0
            let key = f[3...].map { SQLValue.bytes($0 ?? []) }
            if entries {
                try log.add(ChangeLogEntry(table: id, key: key, dc: dc, oldHash: oldKnown ? UInt64(text(f[1])) ?? 0 : nil))
            }
            if dc < 0 { try seenWriter.remove(key) } else { try seenWriter.put(key, hash: UInt64(text(f[2])) ?? 0) }
        }
        try log.flush()
        try seenWriter.flush()
        return spool.count
    }

    private func text(_ b: [UInt8]?) -> String { b.map { String(decoding: $0, as: UTF8.self) } ?? "" }

    private func stopIfAsked(_ shouldStop: () -> Bool) throws {
        guard shouldStop() else { return }
        throw SyncError.temporary(
            "export stopped while comparing tables (\(StopSignal.requested ? "stop signal" : "deadline reached")); nothing was exported, the next run exports again"
        )
    }

    /// Follows a table's key to its new types (`Capture.follow`, before the export's snapshot,
    /// as DDL commits): a widened key column is widened in the seen table too. A key with other
    /// columns starts the seen table afresh; the table then goes whole (`followKeys`), which
    /// fills it again. Returns whether anything changed.
    static func follow(_ conn: MariaDBConnection, id: Int, schema: TableSchema) throws -> Bool {
        let seen = quoteIdentifier(seenTable(id))
        let have = try conn.query(
            """
            SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME <> 'h'
            ORDER BY ORDINAL_POSITION
            """, [.text(seenTable(id))]
        ).map { ($0[0] ?? "").lowercased() }
        guard !have.isEmpty else { return false }
        let keys = schema.keyColumns
        guard have.count == keys.count else {
            try conn.execute("DROP TABLE \(seen)")
            try conn.execute(seenTableDDL(id: id, schema))
            try conn.execute("UPDATE salesync_capture SET snapshot_done = 0 WHERE table_id = ?", [.int(Int64(id))])
            return true
        }
        var changed = false
        for (i, (type, k)) in zip(have, keys).enumerated() where type != k.type.lowercased() {
            try conn.execute("ALTER TABLE \(seen) MODIFY COLUMN \(Database.keyColumnDefinition(k, position: i))")
            changed = true
        }
        return changed
    }
}

import Foundation
import MariaDB

extension CompareFeed {
    /// Compares one table with its seen table, in the caller's transaction; returns how many
    /// rows differ. By merging both in key order where Swift can (`compareByMerge`), else by
    /// joins in SQL. Every read is a consistent read, which takes no locks: the till never waits
    /// for them (an INSERT … SELECT would lock every row it reads). What differs goes through a
    /// spool file, since the connection cannot write while it streams, then into the change log
    /// (when `entries`) and the seen table (the merge's blocks once it is done).
    func compare(_ id: Int, _ schema: TableSchema, entries: Bool, oldKnown: Bool, shouldStop: () -> Bool = { false }) throws -> Int {
        let spool = try Spool(directory: config.stateDir)
        var blocks: SeenBlocks.Writer?
        if let hasher = Self.mergeable(schema) {
            let keyIndex = schema.keyIndexes[0]
            blocks = try compareByMerge(id, schema, hasher: hasher, shouldStop: shouldStop) { d, cols, r in
                try Self.spool(d, cols, r, keyIndex: keyIndex, into: spool)
            }
        } else {
            try compareByJoin(id, schema, into: spool, shouldStop: shouldStop)
        }
        try stopIfAsked(shouldStop)
        try blocks?.write(conn, table: Self.seenTable(id))
        var writer = CompareWriter(conn: conn, id: id, schema: schema, entries: entries, oldKnown: oldKnown, seen: blocks == nil)
        if writer.writes {
            let keyAt = Array(3..<3 + schema.keyColumns.count)
            try spool.forEach(columns: 3 + schema.keyColumns.count) { f in try writer.add(f, keyAt: keyAt) }
            try writer.finish()
        }
        return spool.count
    }

    /// Compares a table with its seen table by two joins in SQL (any key, any column type).
    private func compareByJoin(_ id: Int, _ schema: TableSchema, into spool: Spool, shouldStop: () -> Bool) throws {
        let table = quoteIdentifier(schema.name)
        let seen = quoteIdentifier(Self.seenTable(id))
        let n = schema.keyColumns.count
        let tableKeys = schema.keyColumns.map { "t." + quoteIdentifier($0.name) }
        let seenKeys = (1...n).map { "s.`k\($0)`" }
        let join = zip(seenKeys, tableKeys).map { "\($0) = \($1)" }.joined(separator: " AND ")
        var inserted = 0
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
            """
        ) { row in
            if row.string(0) == "1" { inserted += 1 }
            try take(row)
        }
        try stopIfAsked(shouldStop)
        if try anyDeleted(table: table, seen: seen, inserted: inserted) {
            // Deleted: keys the seen table holds and the table no longer has.
            try conn.stream(
                """
                SELECT -1, s.h, NULL, \(seenKeys.joined(separator: ", "))
                FROM \(seen) s LEFT JOIN \(table) t ON \(join) WHERE \(tableKeys[0]) IS NULL
                """, take)
        }
    }

    /// Whether the seen table holds a key the table no longer has, from two counts (a fraction
    /// of the join that finds which): every row the table has and the seen table lacks was
    /// inserted, so the keys the two share are the table's rows less those; the seen table's
    /// others are gone. Both counts read the caller's snapshot, as the comparison did.
    private func anyDeleted(table: String, seen: String, inserted: Int) throws -> Bool {
        let r = try conn.query("SELECT (SELECT COUNT(*) FROM \(table)), (SELECT COUNT(*) FROM \(seen))").first
        let (rows, seenRows) = (r?.int(0) ?? 0, r?.int(1) ?? 0)
        return seenRows > rows - Int64(inserted)
    }

    func stopIfAsked(_ shouldStop: () -> Bool) throws {
        guard shouldStop() else { return }
        throw SyncError.temporary(
            "export stopped while comparing tables (\(StopSignal.requested ? "stop signal" : "deadline reached")); nothing was exported, the next run exports again"
        )
    }

    /// Follows a table's key to its new types (`Capture.follow`, before the export's snapshot,
    /// as DDL commits). Seen blocks take any integer key as it is. A seen table with a row per
    /// integer key becomes blocks where the merge now compares the table (an older salesync's,
    /// say: `toBlocks`); one that keeps a row per key has a widened key column widened too. Any
    /// other change (a key with other columns, a table the merge can no longer compare) starts the
    /// seen table afresh, and the table goes whole (`followKeys`), which fills it again. Returns
    /// whether anything changed.
    static func follow(_ conn: MariaDBConnection, id: Int, schema: TableSchema, stateDir: String) throws -> Bool {
        let (name, old) = (seenTable(id), replacedSeenTable(id))
        let seen = quoteIdentifier(name)
        let columns = try conn.query(
            """
            SELECT TABLE_NAME, COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN (?, ?) AND COLUMN_NAME <> 'h' ORDER BY ORDINAL_POSITION
            """, [.text(name), .text(old)])
        // A seen table `toBlocks` replaced, left by a crash before it was dropped.
        if columns.contains(where: { $0[0] == old }) { try conn.execute("DROP TABLE \(quoteIdentifier(old))") }
        let have = columns.filter { $0[0] == name }.map { (name: $0[1] ?? "", type: ($0[2] ?? "").lowercased()) }
        guard !have.isEmpty else { return false }
        let (inBlocks, sameKeys) = (have.map(\.name) == ["b", "d"], have.count == schema.keyColumns.count)
        switch (inBlocks, mergeable(schema) != nil) {
        case (true, true):
            return false  // blocks take any integer key as it is
        case (false, true) where sameKeys && ColumnKind(dataType: String(have[0].type.prefix { $0.isLetter })) == .integer:
            try toBlocks(conn, id: id, stateDir: stateDir)
            return true
        case (false, false) where sameKeys:
            var changed = false
            for (i, (c, k)) in zip(have, schema.keyColumns).enumerated() where c.type != k.type.lowercased() {
                try conn.execute("ALTER TABLE \(seen) MODIFY COLUMN \(Database.keyColumnDefinition(k, position: i))")
                changed = true
            }
            return changed
        default:
            break
        }
        // The seen table no longer fits the table: it starts afresh, and the table goes whole.
        try conn.execute("DROP TABLE \(seen)")
        try conn.execute(seenTableDDL(id: id, schema))
        try conn.execute("UPDATE salesync_capture SET snapshot_done = 0 WHERE table_id = ?", [.int(Int64(id))])
        return true
    }

    /// Where `toBlocks` puts the seen table it replaces, until it drops it.
    private static func replacedSeenTable(_ id: Int) -> String { seenTable(id) + "_old" }

    /// Turns a seen table with a row per key (an older salesync's, or a table the merge could not
    /// compare before) into blocks, the same keys and hashes with no fingerprints yet: built
    /// beside it, then swapped in by one RENAME, so a crash leaves either whole. Its key is an
    /// integer column: read in its order, the keys come in the blocks' order.
    private static func toBlocks(_ conn: MariaDBConnection, id: Int, stateDir: String) throws {
        let (seen, new, old) = (seenTable(id), seenTable(id) + "_new", replacedSeenTable(id))
        let rows = try Spool(directory: stateDir)
        try conn.stream("SELECT `k1`, h FROM \(quoteIdentifier(seen)) ORDER BY `k1`") { try rows.append($0) }
        var blocks = try SeenBlocks.Writer(directory: stateDir)
        try rows.forEach(columns: 2) { r in
            guard let k = r[0].flatMap({ SeenBlocks.key($0.bindMemory(to: UInt8.self)) }) else {
                throw SyncError.other("\(seen) holds a key that is not an integer")
            }
            try blocks.add(.init(key: k, hash: unsigned(r[1]), fingerprint: 0), changed: true, existed: false)
        }
        try blocks.finish()
        try conn.execute("DROP TABLE IF EXISTS \(quoteIdentifier(new)), \(quoteIdentifier(old))")
        try conn.execute(SeenBlocks.ddl(table: new))
        try conn.transaction { try blocks.write(conn, table: new) }
        try conn.execute(
            "RENAME TABLE \(quoteIdentifier(seen)) TO \(quoteIdentifier(old)), \(quoteIdentifier(new)) TO \(quoteIdentifier(seen))")
        try conn.execute("DROP TABLE \(quoteIdentifier(old))")
    }
}

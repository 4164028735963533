import MariaDB

/// One change the binary log showed: a key of a synced table and what happened to its row.
struct BinlogEntry {
    var table: Int
    var key: [SQLValue]
    /// +1 inserted, −1 deleted, 0 updated in place (as the triggers' `dc`).
    var dc: Int8
}

/// The changes of the transaction being read, and whether it is salesync's own quiet one (it
/// wrote `salesync_binlog` first: see Migrator.binlogPosition), whose changes are not captured.
/// The binary log holds only committed transactions (a rolled-back one that touched a table
/// without transactions is logged with a ROLLBACK: its entries only send rows again), so entries
/// are handed over as they come once there are many (a bulk load's million rows do not wait in
/// memory for its commit), and the rest at its end.
struct BinlogTransaction {
    var entries: [BinlogEntry] = []
    var quiet = false
    var open = false
    static let spill = 4096

    /// Adds a row event's entries; hands them over once there are `spill` of them.
    mutating func add(_ rows: BinlogRows, table: Int, _ take: (BinlogEntry) throws -> Void) throws {
        add(rows, table: table)
        if entries.count >= Self.spill && !quiet {
            for e in entries { try take(e) }
            entries.removeAll(keepingCapacity: true)
        }
    }

    /// An update that moves a row to another key is the old key's delete and the new key's
    /// insert, as the triggers log it.
    mutating func add(_ rows: BinlogRows, table: Int) {
        open = true
        switch rows.kind {
        case .insert: entries += rows.images.map { BinlogEntry(table: table, key: $0, dc: 1) }
        case .delete: entries += rows.images.map { BinlogEntry(table: table, key: $0, dc: -1) }
        case .update:
            for i in stride(from: 0, to: rows.images.count - 1, by: 2) {
                let (before, after) = (rows.images[i], rows.images[i + 1])
                if before == after {
                    entries.append(BinlogEntry(table: table, key: after, dc: 0))
                } else {
                    entries.append(BinlogEntry(table: table, key: before, dc: -1))
                    entries.append(BinlogEntry(table: table, key: after, dc: 1))
                }
            }
        }
    }

    /// Hands over the entries (unless quiet) and starts afresh.
    mutating func end(_ take: (BinlogEntry) throws -> Void) throws {
        if !quiet { for e in entries { try take(e) } }
        self = BinlogTransaction()
    }
}

/// Writes entries into the change logs in multi-row INSERTs, per table in the order read.
struct BinlogEntryWriter {
    let conn: MariaDBConnection
    private var pending: [Int: [BinlogEntry]] = [:]
    private(set) var written = 0
    static let batch = 500

    init(conn: MariaDBConnection) { self.conn = conn }

    mutating func add(_ e: BinlogEntry) throws {
        pending[e.table, default: []].append(e)
        if pending[e.table]!.count >= Self.batch { try flush(e.table) }
    }

    mutating func flush() throws {
        for t in pending.keys.sorted() { try flush(t) }
    }

    /// `nh = 1`: the old row is not known (the export takes the table's state from the table).
    private mutating func flush(_ table: Int) throws {
        guard let entries = pending.removeValue(forKey: table), let first = entries.first else { return }
        let keys = (1...first.key.count).map { "`k\($0)`" }.joined(separator: ", ")
        let row = "(" + Array(repeating: "?", count: first.key.count).joined(separator: ", ") + ", ?, 0, 1)"
        let sql =
            "INSERT INTO \(quoteIdentifier(CapturedTable.logTable(table))) (\(keys), dc, oh, nh) VALUES "
            + Array(repeating: row, count: entries.count).joined(separator: ", ")
        try conn.execute(sql, entries.flatMap { $0.key + [.int(Int64($0.dc))] })
        written += entries.count
    }
}

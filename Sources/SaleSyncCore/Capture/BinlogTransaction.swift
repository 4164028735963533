import MariaDB

/// The changes of the transaction being read, and whether it is salesync's own quiet one (it
/// wrote `salesync_binlog` first: see Migrator.binlogPosition), whose changes are not captured.
/// The binary log holds only committed transactions (a rolled-back one that touched a table
/// without transactions is logged with a ROLLBACK: its entries only send rows again), so entries
/// are handed over as they come once there are many (a bulk load's million rows do not wait in
/// memory for its commit), and the rest at its end.
struct BinlogTransaction {
    var entries: [ChangeLogEntry] = []
    var quiet = false
    var open = false
    static let spill = 4096

    /// Adds a row event's entries; hands them over once there are `spill` of them.
    mutating func add(_ rows: BinlogRows, table: Int, _ take: (ChangeLogEntry) throws -> Void) throws {
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
        case .insert: entries += rows.images.map { ChangeLogEntry(table: table, key: $0, dc: 1) }
        case .delete: entries += rows.images.map { ChangeLogEntry(table: table, key: $0, dc: -1) }
        case .update:
            for i in stride(from: 0, to: rows.images.count - 1, by: 2) {
                let (before, after) = (rows.images[i], rows.images[i + 1])
                if before == after {
                    entries.append(ChangeLogEntry(table: table, key: after, dc: 0))
                } else {
                    entries.append(ChangeLogEntry(table: table, key: before, dc: -1))
                    entries.append(ChangeLogEntry(table: table, key: after, dc: 1))
                }
            }
        }
    }

    /// Hands over the entries (unless quiet) and starts afresh.
    mutating func end(_ take: (ChangeLogEntry) throws -> Void) throws {
        if !quiet { for e in entries { try take(e) } }
        self = BinlogTransaction()
    }
}

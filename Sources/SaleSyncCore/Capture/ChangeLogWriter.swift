import MariaDB

/// One change a capture without triggers found (the binary log, or a comparison): a key of a
/// synced table and what happened to its row.
struct ChangeLogEntry {
    var table: Int
    var key: [SQLValue]
    /// +1 inserted, −1 deleted, 0 updated in place (as the triggers' `dc`).
    var dc: Int8
    /// The hash of the row the change replaced (0 for an insert), when known: the export then
    /// keeps the state checksum without a scan. nil: unknown (`nh = 1`), the state comes from the table.
    var oldHash: UInt64? = nil
}

/// Writes entries into the change logs in multi-row INSERTs, per table in the order given.
struct ChangeLogWriter {
    let conn: MariaDBConnection
    private var pending: [Int: [ChangeLogEntry]] = [:]
    private(set) var written = 0
    static let batch = 500

    init(conn: MariaDBConnection) { self.conn = conn }

    mutating func add(_ e: ChangeLogEntry) throws {
        pending[e.table, default: []].append(e)
        if pending[e.table]!.count >= Self.batch { try flush(e.table) }
    }

    mutating func flush() throws {
        for t in pending.keys.sorted() { try flush(t) }
    }

    private mutating func flush(_ table: Int) throws {
        guard let entries = pending.removeValue(forKey: table), let first = entries.first else { return }
        let row = "(" + TableApplier.marks(first.key.count + 3) + ")"
        let sql =
            "INSERT INTO \(quoteIdentifier(CapturedTable.logTable(table))) (\(Database.keyColumnNames(first.key.count)), dc, oh, nh) VALUES "
            + Array(repeating: row, count: entries.count).joined(separator: ", ")
        try conn.execute(sql, entries.flatMap { $0.key + [.int(Int64($0.dc)), .uint($0.oldHash ?? 0), .int($0.oldHash == nil ? 1 : 0)] })
        written += entries.count
    }
}

import MariaDB

/// The row an update or delete replaced, for the state checksum's `oh`: the triggers copy its
/// non-key columns into the change log (`i1`, `i2`… after the keys, each commenting the column
/// it copies) and the export hashes the copy, once per key, off the till's path. A copy costs an
/// update or delete about a third less than hashing in the trigger did (docs/capture.md). The
/// code calls these copy columns images.
extension Capture {
    /// `nh` of an entry whose old row is in the image columns. 0 means `oh` holds its hash;
    /// anything else (1, or an old trigger's hash of the new row) means it is unknown.
    static let imageFlag = 2

    /// A column of the change log as `information_schema` describes it.
    struct LogColumn {
        var name: String
        var type: String
        var comment: String
        var collation: String?
    }

    /// The table's non-key columns in order, with the log columns that hold their old values.
    static func imageColumns(_ schema: TableSchema) -> [(log: String, column: ColumnInfo)] {
        schema.columns.filter { $0.key == 0 }.enumerated().map { ("i\($0 + 1)", $1) }
    }

    /// A log column for `c`'s old values: the same type and collation, so the export's hash
    /// renders them as the table's own would; nullable, as entries without an image leave it.
    static func imageDefinition(_ c: ColumnInfo, as name: String) -> String {
        var d = c
        d.name = name
        d.nullable = true
        d.defaultValue = nil
        return Database.columnDefinition(d) + " COMMENT " + sqlStringLiteral(c.name)
    }

    /// The change log's columns named `prefix` and a number, in order: `k` its key columns, `i`
    /// its image columns.
    static func logColumns(_ conn: MariaDBConnection, id: Int, prefix: Character) throws -> [LogColumn] {
        try conn.query(
            """
            SELECT COLUMN_NAME, COLUMN_TYPE, COLUMN_COMMENT, COLLATION_NAME FROM information_schema.COLUMNS
            WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND COLUMN_NAME REGEXP ? ORDER BY ORDINAL_POSITION
            """, [.text(CapturedTable.logTable(id)), .text("^\(prefix)[0-9]+$")]
        ).map { LogColumn(name: $0[0] ?? "", type: $0[1] ?? "", comment: $0[2] ?? "", collation: $0[3]) }
    }

    /// Whether the log's image columns copy exactly the table's non-key columns.
    static func imagesMatch(_ have: [LogColumn], _ schema: TableSchema) -> Bool {
        let want = imageColumns(schema)
        return have.count == want.count
            && zip(have, want).allSatisfy { h, w in
                h.name == w.log && h.comment == w.column.name && h.type.lowercased() == w.column.type.lowercased()
                    && h.collation == w.column.collation
            }
    }

    /// Whether the log of table `id` holds images of `schema`'s rows (the export asks, to know
    /// whether it may name them).
    static func imagesCurrent(_ conn: MariaDBConnection, id: Int, schema: TableSchema) throws -> Bool {
        imagesMatch(try logColumns(conn, id: id, prefix: "i"), schema)
    }

    /// Makes the log's image columns copy the table's non-key columns, before the triggers that
    /// fill them are made. Entries an older trigger wrote meanwhile may hold a copy of another
    /// shape, but the export that takes them sees the table reshaped and takes its state from the
    /// table, not from them. (The log has four columns more than the table: InnoDB's 1,017
    /// columns a table allow copies of tables of up to 1,013.) Returns whether the columns changed.
    static func followImages(_ conn: MariaDBConnection, id: Int, _ schema: TableSchema) throws -> Bool {
        let have = try logColumns(conn, id: id, prefix: "i")
        if imagesMatch(have, schema) { return false }
        let drops = have.map { "DROP COLUMN \(quoteIdentifier($0.name))" }
        let adds = imageColumns(schema).map { "ADD COLUMN " + imageDefinition($0.column, as: $0.log) }
        try conn.execute("ALTER TABLE \(quoteIdentifier(CapturedTable.logTable(id))) " + (drops + adds).joined(separator: ", "))
        return true
    }
}

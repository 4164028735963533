import MariaDB

/// The rows an export reads for one table: all of them for a snapshot, else those of the keys
/// the change log names.
extension Exporter {
    /// Every row of the table and the sum of their hashes: one scan gives the bundle and the state.
    func snapshotRows(_ t: CapturedTable, _ schema: TableSchema, _ run: inout ExportRun) throws -> (Int64, UInt64) {
        let order = schema.keyColumns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
        var hashing = RowSum(schema)
        var rows: Int64 = 0
        try conn.stream("SELECT \(hashing.selectList) FROM \(quoteIdentifier(t.name)) t ORDER BY \(order)") { row in
            try run.builder.upsert(row)
            rows += 1
            hashing.add(row)
            try run.counted()
        }
        return (rows, hashing.total(run.builder.endTable()))
    }

    /// The current row of each key the change log names; a key whose row is gone is a delete.
    /// Returns the hashes of the rows sent and of the rows they replace: each key's first pending
    /// entry holds its row as of the last export, or its hash (0 when that entry inserted it).
    func changedRows(
        _ t: CapturedTable, _ schema: TableSchema, _ scan: LogScan, _ oldRow: OldRowSQL,
        _ run: inout ExportRun
    ) throws -> (UInt64, UInt64) {
        if let keys = scan.keys, !keys.overflow {
            let (others, removed) = keys.finish()
            return (try changedRows(t, schema, keys: keys, others: others, &run), removed)
        }
        let keyCount = schema.keyIndexes.count
        let keys = Database.keyColumnNames(keyCount)
        let kcols = (1...keyCount).map { "k.`k\($0)`" }
        let join = schema.keyColumns.enumerated().map { i, c in "t.\(quoteIdentifier(c.name)) = k.`k\(i + 1)`" }
        let firstKey = quoteIdentifier(schema.keyColumns[0].name)
        let log = quoteIdentifier(t.logTable)
        var hashing = RowSum(schema)
        let n = hashing.selectedCount
        var removed: UInt64 = 0
        // The scan saw every pending entry between logFrom and logTo (same snapshot): the bounds let
        // the primary key skip entries an earlier export left (its own integers, not outside text).
        try conn.stream(
            """
            SELECT \(hashing.selectList), t.\(firstKey) IS NULL,
              IF(k.c = 1, k.o, (SELECT \(oldRow.hash("f")) FROM \(log) f WHERE f.seq = k.s)), \(kcols.joined(separator: ", "))
            FROM (SELECT \(keys), MIN(seq) s, COUNT(*) c, MAX(\(oldRow.hash("l"))) o FROM \(log) l
              WHERE l.seq BETWEEN \(scan.logFrom) AND \(scan.logTo) AND \(Self.pendingCondition) GROUP BY \(keys)) k
            LEFT JOIN \(quoteIdentifier(t.name)) t ON \(join.joined(separator: " AND "))
            ORDER BY \(kcols.joined(separator: ", "))
            """
        ) { row in
            removed = removed &+ (row.bytes(n + 1).map { wrappingUInt64(digits: $0) } ?? 0)
            if row.bytes(n)?.first == UInt8(ascii: "1") {
                try run.builder.delete(row, keyOffset: n + 2)
            } else {
                try run.builder.upsert(row)
                hashing.add(row)
            }
            try run.counted()
        }
        return (hashing.total(run.builder.endTable()), removed)
    }
}

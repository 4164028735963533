import MariaDB

extension Exporter {
    /// Keys read in one batch by `IN (...)`.
    static let keyBatch = 500
    /// A run at least this long is read as a range of the table.
    static let minimumRange: Int64 = 8

    /// Whether the table's changed keys can be gathered by `ChangedKeys`: one integer key column.
    static func hasIntegerKey(_ schema: TableSchema) -> Bool {
        schema.keyIndexes.count == 1 && schema.keyColumns[0].kind == .integer
    }

    /// The current row of every key in `keys` (a key whose row is gone is a delete), read as
    /// ranges of the table and batches of single keys, in key order within each.
    func changedRows(_ t: CapturedTable, _ schema: TableSchema, keys: ChangedKeys, others: [Int64], _ run: inout ExportRun) throws -> UInt64
    {
        var hashing = RowSum(schema)
        var batch: [Int64] = []
        func flush(_ run: inout ExportRun) throws {
            batch.sort()  // short runs and revisited keys mix in a batch
            try rowsOfKeys(t, schema, batch, &hashing, &run)
            batch.removeAll(keepingCapacity: true)
        }
        for r in keys.runs {
            if r.hi - r.lo + 1 >= Self.minimumRange {
                try rowsInRange(t, schema, r.lo, r.hi, &hashing, &run)
                continue
            }
            for k in r.lo...r.hi {
                batch.append(k)
                if batch.count == Self.keyBatch { try flush(&run) }
            }
        }
        for k in others {
            batch.append(k)
            if batch.count == Self.keyBatch { try flush(&run) }
        }
        if !batch.isEmpty { try flush(&run) }
        return hashing.total(run.builder.endTable())
    }

    /// Rows with keys lo...hi; every key of the range not found was deleted.
    private func rowsInRange(
        _ t: CapturedTable, _ schema: TableSchema, _ lo: Int64, _ hi: Int64,
        _ hashing: inout RowSum, _ run: inout ExportRun
    ) throws {
        let key = quoteIdentifier(schema.keyColumns[0].name)
        try conn.execute("SET @salesync_lo = ?, @salesync_hi = ?", [.int(lo), .int(hi)])
        var next: Int64? = lo
        try streamKeyed(
            "SELECT \(hashing.selectList) FROM \(quoteIdentifier(t.name)) t WHERE t.\(key) BETWEEN @salesync_lo AND @salesync_hi ORDER BY t.\(key)",
            schema, &hashing, &run
        ) { k, run in
            if let n = next, n < k { for gone in n..<k { try run.builder.delete(key: gone); try run.counted() } }
            next = k < hi ? k + 1 : nil
        }
        if let n = next { for gone in n...hi { try run.builder.delete(key: gone); try run.counted() } }
    }

    /// Rows of a batch of keys (ascending); keys not found were deleted.
    private func rowsOfKeys(
        _ t: CapturedTable, _ schema: TableSchema, _ keys: [Int64],
        _ hashing: inout RowSum, _ run: inout ExportRun
    ) throws {
        let key = quoteIdentifier(schema.keyColumns[0].name)
        let vars = (0..<Self.keyBatch).map { "@salesync_k\($0)" }
        try conn.execute(
            "SET " + vars.map { "\($0) = ?" }.joined(separator: ", "),
            (0..<Self.keyBatch).map { $0 < keys.count ? .int(keys[$0]) : .null })
        var i = 0
        try streamKeyed(
            "SELECT \(hashing.selectList) FROM \(quoteIdentifier(t.name)) t WHERE t.\(key) IN (\(vars.joined(separator: ", "))) ORDER BY t.\(key)",
            schema, &hashing, &run
        ) { k, run in
            while i < keys.count && keys[i] < k { try run.builder.delete(key: keys[i]); try run.counted(); i += 1 }
            i += 1
        }
        while i < keys.count { try run.builder.delete(key: keys[i]); try run.counted(); i += 1 }
    }

    /// Streams rows as upserts, calling `before` with each row's key first (to emit deletes).
    private func streamKeyed(
        _ sql: String, _ schema: TableSchema, _ hashing: inout RowSum, _ run: inout ExportRun,
        before: (Int64, inout ExportRun) throws -> Void
    ) throws {
        let keyAt = schema.keyIndexes[0]
        try conn.stream(sql) { row in
            guard let b = row.bytes(keyAt), let k = Int64(String(decoding: b, as: UTF8.self)) else {
                throw SyncError.other("table \(schema.name): key \(row.string(keyAt) ?? "NULL") is not a 64-bit integer")
            }
            try before(k, &run)
            try run.builder.upsert(row)
            hashing.add(row)
            try run.counted()
        }
    }
}

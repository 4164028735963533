/// One table's differences found by comparing (`CompareFeed`), kept for the export to send as
/// they are instead of as change-log entries it would write and read back by key: in key order,
/// dc, old hash, new hash and the row's columns (a deleted row's key only). Holds its spool file
/// open until the export is done with it.
struct ComparedTable {
    let spool: Spool
    let schema: TableSchema

    /// Hands each difference to the builder; returns the row-count change and the sums of the
    /// hashes of the rows sent and of those they replaced or deleted (all known from comparing:
    /// the builder need not hash the rows again).
    func send(_ run: inout Exporter.ExportRun) throws -> (rowDelta: Int64, added: UInt64, removed: UInt64) {
        var delta: Int64 = 0
        var (added, removed): (UInt64, UInt64) = (0, 0)
        let keys = schema.keyIndexes.map { 3 + $0 }
        try spool.forEach(columns: 3 + schema.columns.count) { f in
            removed = removed &+ CompareFeed.unsigned(f[1])
            added = added &+ CompareFeed.unsigned(f[2])
            if f.equals(0, CompareFeed.deleted) {
                delta -= 1
                try run.builder.delete(f, at: keys)
            } else {
                if f.equals(0, CompareFeed.inserted) { delta += 1 }
                try run.builder.upsert(f, from: 3)
            }
            try run.counted()
        }
        return (delta, added, removed)
    }
}

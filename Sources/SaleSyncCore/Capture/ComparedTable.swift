/// A table an export compares while it builds the bundles (`CompareFeed.feed(direct:)`): the
/// merge hands each difference straight to the bundle builder, instead of writing change-log
/// entries to read back by key, and the builder's workers encode the first bundles while the
/// table is still being read.
struct ComparedTable {
    let feed: CompareFeed
    let id: Int
    let schema: TableSchema
    let hasher: RowHasher

    /// Compares the table and sends its differences, then brings its seen blocks up to date.
    /// Returns the row-count change and the sums of the hashes of the rows sent and of those they
    /// replaced or deleted (all known from comparing: the builder need not hash the rows again),
    /// or nil when nothing differed (no table section is begun then).
    func send(_ run: inout Exporter.ExportRun, logFrom: UInt64, logTo: UInt64) throws -> (rowDelta: Int64, added: UInt64, removed: UInt64)?
    {
        var sums: (rowDelta: Int64, added: UInt64, removed: UInt64) = (0, 0, 0)
        var begun = false
        let blocks = try feed.compareByMerge(id, schema, hasher: hasher, shouldStop: run.shouldStop) { d, cols, r in
            if !begun {
                run.builder.beginTable(schema, logFrom: logFrom, logTo: logTo, reset: false)
                run.builder.hasher = nil  // the comparison hashed these rows already
                begun = true
            }
            switch d {
            case .inserted(let hash):
                sums.rowDelta += 1
                sums.added &+= hash
                try run.builder.upsert(cols, r)
            case .updated(let old, let new):
                (sums.added, sums.removed) = (sums.added &+ new, sums.removed &+ old)
                try run.builder.upsert(cols, r)
            case .deleted(let key, let old):
                sums.rowDelta -= 1
                sums.removed &+= old
                try run.builder.delete(key: key)
            }
            try run.counted()
        }
        try blocks.write(feed.conn, table: CompareFeed.seenTable(id))
        guard begun else { return nil }
        _ = run.builder.endTable()
        return sums
    }
}

import Foundation
import MariaDB

extension CompareFeed {
    /// Compares a table whose key is one integer column and whose row hash Swift can compute
    /// (`RowHasher`) by merging two reads in key order: its seen blocks (`SeenBlocks`, into a
    /// spool first, since a connection streams one result at a time), then the table. Neither read
    /// looks anything up row by row nor hashes in SQL, which is most of the join's time; a row
    /// whose fingerprint is unchanged is not hashed at all. Each difference goes to `sink` as
    /// found, in key order. Returns the blocks' new state, to write once the table's read is over.
    func compareByMerge(
        _ id: Int, _ schema: TableSchema, hasher: RowHasher, shouldStop: () -> Bool, _ sink: DifferenceSink
    ) throws -> SeenBlocks.Writer {
        let seenRows = try Spool(directory: config.stateDir)
        try conn.stream("SELECT b, d FROM \(quoteIdentifier(Self.seenTable(id))) ORDER BY b") { try seenRows.append($0) }
        var merge = try Merge(
            seen: SeenBlocks.Reader(seenRows), blocks: SeenBlocks.Writer(directory: config.stateDir), hasher: hasher,
            keyIndex: schema.keyIndexes[0])
        var batch = RowBatch(columnCount: schema.columns.count)
        func drain() throws {
            try merge.take(batch, sink)
            batch.removeAll()
            try stopIfAsked(shouldStop)  // a deadline holds on a large table where little changed, too
        }
        let columns = schema.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        try conn.stream("SELECT \(columns) FROM \(quoteIdentifier(schema.name)) ORDER BY \(quoteIdentifier(schema.keyColumns[0].name))") {
            row in
            for i in 0..<batch.columns.count { batch.columns[i].append(row.bytes(i)) }
            if batch.count == 4096 { try drain() }
        }
        try drain()
        try merge.finish(sink)
        return merge.blocks
    }

    /// A difference as the SQL comparison spools it: dc, old hash, new hash, key.
    static func spool(_ d: Difference, _ cols: [ColumnView], _ r: Int, keyIndex: Int, into out: Spool) throws {
        let (dc, old, new, gone): ([UInt8], UInt64?, UInt64?, Int128?)
        switch d {
        case .inserted(let hash): (dc, old, new, gone) = (inserted, nil, hash, nil)
        case .updated(let was, let hash): (dc, old, new, gone) = (updated, was, hash, nil)
        case .deleted(let key, let was): (dc, old, new, gone) = (deleted, was, nil, key)
        }
        func text(_ n: some BinaryInteger) { Array(String(n).utf8).withUnsafeBytes { out.field($0) } }
        dc.withUnsafeBytes { out.field($0) }
        for h in [old, new] {
            if let h { text(h) } else { out.field(nil) }
        }
        if let gone { text(gone) } else { out.field(UnsafeRawBufferPointer(cols[keyIndex].value(r))) }
        try out.endRow()
    }

    /// The spool's dc values, as the SQL comparison writes them.
    static let inserted = Array("1".utf8)
    static let updated = Array("0".utf8)
    static let deleted = Array("-1".utf8)

    /// Whether the merge can compare this table: one integer key column (whose order Swift knows
    /// from its text) and a row hash Swift computes exactly as the server does.
    static func mergeable(_ schema: TableSchema) -> RowHasher? {
        guard schema.keyIndexes.count == 1, schema.keyColumns[0].kind == .integer else { return nil }
        return RowHasher(schema)
    }

    /// An unsigned integer from its decimal text (0 for NULL or anything else).
    static func unsigned(_ text: (some Collection<UInt8>)?) -> UInt64 {
        guard let text else { return 0 }
        return text.reduce(0) { $0 &* 10 &+ UInt64($1 &- 48) }
    }
}

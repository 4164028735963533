import Foundation
import MariaDB

extension CompareFeed {
    /// Compares a table whose key is one integer column and whose row hash Swift can compute
    /// (`RowHasher`) by merging two reads in key order: the seen table (into a spool first, since
    /// a connection streams one result at a time), then the table, hashed here. Neither read looks
    /// anything up row by row nor hashes in SQL, which is most of the join's time. Each difference
    /// goes to `out` as the SQL comparison writes it (dc, old hash, new hash, key), or with
    /// `fullRows` as dc, old hash, new hash and the row's every column (a deleted row's key
    /// only, the others NULL), in key order: what an export sends (`ComparedTable`).
    func compareByMerge(
        _ id: Int, _ schema: TableSchema, hasher: RowHasher, fullRows: Bool, into out: Spool, shouldStop: () -> Bool
    ) throws {
        let key = quoteIdentifier(schema.keyColumns[0].name)
        let seenRows = try Spool(directory: config.stateDir)
        try conn.stream("SELECT `k1`, h FROM \(quoteIdentifier(Self.seenTable(id))) ORDER BY `k1`") { try seenRows.append($0) }
        let seen = try seenRows.reader(columns: 2)
        var next = try seen.next()
        let keyIndex = schema.keyIndexes[0]
        var batch = RowBatch(columnCount: schema.columns.count)
        var r = 0
        // One difference: a deleted row's key comes from the seen table, any other row is batch row `r`.
        func emit(_ dc: [UInt8], old: UnsafeRawBufferPointer?, new: UInt64?, deletedKey: UnsafeRawBufferPointer? = nil) throws {
            dc.withUnsafeBytes { out.field($0) }
            out.field(old)
            if let new { Array(String(new).utf8).withUnsafeBytes { out.field($0) } } else { out.field(nil) }
            for c in fullRows ? 0..<schema.columns.count : keyIndex..<keyIndex + 1 {
                if dc == Self.deleted {
                    out.field(c == keyIndex ? deletedKey : nil)
                } else if let v = batch.columns[c].value(r) {
                    v.withUnsafeBytes { out.field($0) }
                } else {
                    out.field(nil)
                }
            }
            try out.endRow()
            if out.count % 4096 == 0 { try stopIfAsked(shouldStop) }
        }
        // Keys the seen table has before `k` are gone from the table; then `k` itself is either
        // in both (changed or not) or new.
        func match(_ k: ArraySlice<UInt8>, hash: UInt64) throws {
            while let s = next, let sk = s[0], Self.integerOrder(sk, k) < 0 {
                try emit(Self.deleted, old: s[1], new: nil, deletedKey: sk)
                next = try seen.next()
            }
            if let s = next, let sk = s[0], Self.integerOrder(sk, k) == 0 {
                if Self.unsigned(s[1]) != hash { try emit(Self.updated, old: s[1], new: hash) }
                next = try seen.next()
            } else {
                try emit(Self.inserted, old: nil, new: hash)
            }
        }
        func drain() throws {
            for (i, hash) in hasher.hashes(batch).enumerated() {
                r = i
                try match(batch.columns[keyIndex].value(r) ?? [], hash: hash)
            }
            batch.removeAll()
            try stopIfAsked(shouldStop)  // a deadline holds on a large table where little changed, too
        }
        let columns = schema.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        try conn.stream("SELECT \(columns) FROM \(quoteIdentifier(schema.name)) ORDER BY \(key)") { row in
            for i in 0..<batch.columns.count { batch.columns[i].append(row.bytes(i)) }
            if batch.count == 4096 { try drain() }
        }
        try drain()
        while let s = next {
            try emit(Self.deleted, old: s[1], new: nil, deletedKey: s[0])
            next = try seen.next()
        }
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

    /// The order of two integers from their decimal text, as MariaDB writes it: an optional minus
    /// and no leading zeros (ZEROFILL pads every value of a column to one width, which keeps the
    /// order by length then bytes).
    static func integerOrder(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Int {
        let (aNegative, bNegative) = (a.first == UInt8(ascii: "-"), b.first == UInt8(ascii: "-"))
        if aNegative != bNegative { return aNegative ? -1 : 1 }
        var order = a.count < b.count ? -1 : a.count > b.count ? 1 : 0
        if order == 0 && !a.elementsEqual(b) { order = a.lexicographicallyPrecedes(b) ? -1 : 1 }
        return aNegative ? -order : order
    }

    /// An unsigned integer from its decimal text (0 for NULL or anything else).
    static func unsigned(_ text: (some Collection<UInt8>)?) -> UInt64 {
        guard let text else { return 0 }
        return text.reduce(0) { $0 &* 10 &+ UInt64($1 &- 48) }
    }
}

import Foundation
import MariaDB

extension CompareFeed {
    /// Compares a table whose key is one integer column and whose row hash Swift can compute
    /// (`RowHasher`) by merging two reads in key order: the seen table (into a spool first, since
    /// a connection streams one result at a time), then the table, hashed here. Neither read looks
    /// anything up row by row nor hashes in SQL, which is most of the join's time. Each difference
    /// goes to `out` as the SQL comparison writes it (dc, old hash, new hash, key).
    func compareByMerge(_ id: Int, _ schema: TableSchema, hasher: RowHasher, into out: Spool, shouldStop: () -> Bool) throws {
        let key = quoteIdentifier(schema.keyColumns[0].name)
        let seenRows = try Spool(directory: config.stateDir)
        try conn.stream("SELECT `k1`, h FROM \(quoteIdentifier(Self.seenTable(id))) ORDER BY `k1`") { try seenRows.append($0) }
        let seen = try seenRows.reader(columns: 2)
        var next = try seen.next()
        func emit(_ dc: [UInt8], old: [UInt8]?, new: UInt64?, key: [UInt8]) throws {
            try out.append([dc, old, new.map { Array(String($0).utf8) }, key])
            if out.count % 4096 == 0 { try stopIfAsked(shouldStop) }
        }
        // Keys the seen table has before `k` are gone from the table; then `k` itself is either
        // in both (changed or not) or new.
        func match(_ k: [UInt8], hash: UInt64) throws {
            while let s = next, Self.integerOrder(s[0] ?? [], k) < 0 {
                try emit(Self.deleted, old: s[1], new: nil, key: s[0] ?? [])
                next = try seen.next()
            }
            if let s = next, Self.integerOrder(s[0] ?? [], k) == 0 {
                if Self.unsigned(s[1]) != hash { try emit(Self.updated, old: s[1], new: hash, key: k) }
                next = try seen.next()
            } else {
                try emit(Self.inserted, old: nil, new: hash, key: k)
            }
        }
        let keyIndex = schema.keyIndexes[0]
        var batch = RowBatch(columnCount: schema.columns.count)
        func drain() throws {
            for (r, hash) in hasher.hashes(batch).enumerated() { try match(Array(batch.columns[keyIndex].value(r) ?? []), hash: hash) }
            batch.removeAll()
        }
        let columns = schema.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        try conn.stream("SELECT \(columns) FROM \(quoteIdentifier(schema.name)) ORDER BY \(key)") { row in
            for i in 0..<batch.columns.count { batch.columns[i].append(row.bytes(i)) }
            if batch.count == 4096 { try drain() }
        }
        try drain()
        while let s = next {
            try emit(Self.deleted, old: s[1], new: nil, key: s[0] ?? [])
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
    static func integerOrder(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let (aNegative, bNegative) = (a.first == UInt8(ascii: "-"), b.first == UInt8(ascii: "-"))
        if aNegative != bNegative { return aNegative ? -1 : 1 }
        var order = a.count < b.count ? -1 : a.count > b.count ? 1 : 0
        if order == 0, let i = a.indices.first(where: { a[$0] != b[$0] }) { order = a[i] < b[i] ? -1 : 1 }
        return aNegative ? -order : order
    }

    /// An unsigned integer from its decimal text (0 for NULL or anything else).
    static func unsigned(_ text: [UInt8]?) -> UInt64 {
        guard let text else { return 0 }
        return text.reduce(0) { $0 &* 10 &+ UInt64($1 &- 48) }
    }
}

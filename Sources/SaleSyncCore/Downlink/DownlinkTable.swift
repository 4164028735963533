import Foundation
import MariaDB

/// One table's part of a downlink bundle, applied at the branch inside the bundle's transaction:
/// a reset empties the table, deletes go by key, rows are loaded by `LOAD DATA … REPLACE`, and
/// the state the head office sent is compared with the table's.
struct DownlinkTable {
    let db: MariaDBConnection
    let changes: TableChanges

    var schema: TableSchema { changes.section.schema }
    var table: String { quoteIdentifier(schema.name) }

    /// Deletes per statement: bound parameters, a few thousand at most.
    static let deleteBatch = 500

    /// Applies the part; with `check`, compares the table's whole state with the one the head
    /// office sent (when this part carries it).
    func apply(check: Bool) throws -> Verdict {
        if changes.section.reset { try db.execute("DELETE FROM \(table)") }
        try delete(changes.deletes)
        try load(changes.upserts)
        guard check, let expected = changes.section.state else { return .unchecked }
        let (rows, hash) = try Database.contentState(db, schema)
        return rows == expected.rows && hash == expected.hashValue64 ? .match : .drift
    }

    /// Deletes the rows with these keys (key columns in key order), a batch per statement.
    private func delete(_ keys: RowBatch) throws {
        guard keys.count > 0 else { return }
        let names = schema.keyColumns.map { quoteIdentifier($0.name) }
        let tuple = "(" + Array(repeating: "?", count: names.count).joined(separator: ", ") + ")"
        var start = 0
        while start < keys.count {
            let end = min(start + Self.deleteBatch, keys.count)
            var params: [SQLValue] = []
            for i in start..<end { params += keys.row(i).map { $0.map { .bytes($0) } ?? .null } }
            let tuples = Array(repeating: tuple, count: end - start).joined(separator: ", ")
            try db.execute("DELETE FROM \(table) WHERE (\(names.joined(separator: ", "))) IN (\(tuples))", params)
            start = end
        }
    }

    /// Inserts or replaces the rows (full images), checked like the head office's loads.
    private func load(_ rows: RowBatch) throws {
        let (cols, sets) = TableApplier.targets(schema.columns, names: schema.columns.map(\.name))
        try TableApplier.load(
            db, table: schema.name, [([], rows)], extra: nil,
            sql: TSV.loadStatement("salesync-downlink", into: table, replace: true, columns: cols, sets: sets), what: "rows")
    }
}

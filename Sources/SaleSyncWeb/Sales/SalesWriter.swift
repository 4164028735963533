import MariaDB

/// A clerk's changes to a synced table at a branch, by key, with bound parameters (the capture
/// triggers see them like any till's writes). The sales page reads through `SalesQuery`.
struct SalesWriter: Sendable {
    let table: SalesTable

    /// WHERE for a row's key (the key columns in order).
    var keyCondition: String {
        table.keyColumns.map { "\(quoteIdentifier($0.name)) = ?" }.joined(separator: " AND ")
    }

    func insert(_ db: MariaDBConnection, _ values: [(SalesColumn, SQLValue)]) throws {
        let names = values.map { quoteIdentifier($0.0.name) }.joined(separator: ", ")
        let marks = values.map { _ in "?" }.joined(separator: ", ")
        _ = try db.execute("INSERT INTO \(quoteIdentifier(table.name)) (\(names)) VALUES (\(marks))", values.map(\.1))
    }

    /// The row's values of `columns`; nil when no row has the key.
    func row(_ db: MariaDBConnection, key: [SQLValue], columns: [SalesColumn]) throws -> [String?]? {
        let list = columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        guard let r = try db.query("SELECT \(list) FROM \(quoteIdentifier(table.name)) WHERE \(keyCondition)", key).first else {
            return nil
        }
        return columns.indices.map { r[$0] }
    }

    /// Returns the rows changed (0: the values were already those).
    func update(_ db: MariaDBConnection, key: [SQLValue], _ values: [(SalesColumn, SQLValue)]) throws -> UInt64 {
        let set = values.map { "\(quoteIdentifier($0.0.name)) = ?" }.joined(separator: ", ")
        return try db.execute("UPDATE \(quoteIdentifier(table.name)) SET \(set) WHERE \(keyCondition)", values.map(\.1) + key)
    }

    /// Returns the rows deleted (0: already gone).
    func delete(_ db: MariaDBConnection, key: [SQLValue]) throws -> UInt64 {
        try db.execute("DELETE FROM \(quoteIdentifier(table.name)) WHERE \(keyCondition)", key)
    }
}

import MariaDB

/// Brings a seen table (`CompareFeed`) up to date in multi-row statements: keys with their
/// rows' new hashes, keys whose rows are gone.
struct SeenWriter {
    let conn: MariaDBConnection
    let table: String
    let keys: Int
    private var puts: [SQLValue] = []
    private var removals: [SQLValue] = []
    static let batch = 500

    init(conn: MariaDBConnection, table: String, keys: Int) {
        self.conn = conn
        self.table = table
        self.keys = keys
    }

    mutating func put(_ key: [SQLValue], hash: UInt64) throws {
        puts += key + [.uint(hash)]
        if puts.count >= Self.batch * (keys + 1) { try flushPuts() }
    }

    mutating func remove(_ key: [SQLValue]) throws {
        removals += key
        if removals.count >= Self.batch * keys { try flushRemovals() }
    }

    mutating func flush() throws {
        try flushPuts()
        try flushRemovals()
    }

    private var names: String { Database.keyColumnNames(keys) }

    private mutating func flushPuts() throws {
        guard !puts.isEmpty else { return }
        let row = "(" + TableApplier.marks(keys + 1) + ")"
        try conn.execute(
            "INSERT INTO \(quoteIdentifier(table)) (\(names), h) VALUES "
                + Array(repeating: row, count: puts.count / (keys + 1)).joined(separator: ", ")
                + " ON DUPLICATE KEY UPDATE h = VALUES(h)", puts)
        puts.removeAll(keepingCapacity: true)
    }

    private mutating func flushRemovals() throws {
        guard !removals.isEmpty else { return }
        let one = keys == 1 ? "?" : "(" + TableApplier.marks(keys) + ")"
        let list = Array(repeating: one, count: removals.count / keys).joined(separator: ", ")
        try conn.execute("DELETE FROM \(quoteIdentifier(table)) WHERE (\(names)) IN (\(list))", removals)
        removals.removeAll(keepingCapacity: true)
    }
}

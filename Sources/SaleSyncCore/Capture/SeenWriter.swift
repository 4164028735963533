import MariaDB

/// Brings a seen table (`CompareFeed`) up to date in multi-row statements: keys with their new
/// values (a row's hash, or a block of them: `SeenBlocks`), keys whose rows are gone.
struct SeenWriter {
    let conn: MariaDBConnection
    let table: String
    private let keys: Int
    private let names: String
    private let value: String
    private var puts: [SQLValue] = []
    private var removals: [SQLValue] = []
    static let batch = 500

    /// `keys`: the seen table's key columns; `value`: the column the puts set.
    init(conn: MariaDBConnection, table: String, keys: [String], value: String) {
        self.conn = conn
        self.table = table
        self.keys = keys.count
        self.names = keys.map(quoteIdentifier).joined(separator: ", ")
        self.value = quoteIdentifier(value)
    }

    mutating func put(_ key: [SQLValue], value: SQLValue) throws {
        puts += key + [value]
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

    private mutating func flushPuts() throws {
        guard !puts.isEmpty else { return }
        let row = "(" + TableApplier.marks(keys + 1) + ")"
        try conn.execute(
            "INSERT INTO \(quoteIdentifier(table)) (\(names), \(value)) VALUES "
                + Array(repeating: row, count: puts.count / (keys + 1)).joined(separator: ", ")
                + " ON DUPLICATE KEY UPDATE \(value) = VALUES(\(value))", puts)
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

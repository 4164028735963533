import MariaDB

/// The sum of the row hashes of what an export reads, for the table's state checksum: done by
/// `RowHasher` on the bundle's rows where it can be (no work for the server), else by the server
/// in the query itself (an extra column after the table's).
struct RowSum {
    let selectList: String
    /// How many values `selectList` yields: the table's columns, plus the hash when SQL computes it.
    var selectedCount: Int { columnCount + (inSQL ? 1 : 0) }
    private let columnCount: Int
    private let inSQL: Bool
    private var sqlTotal: UInt64 = 0

    init(_ schema: TableSchema) {
        let cols = schema.columns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
        columnCount = schema.columns.count
        inSQL = RowHasher(schema) == nil
        selectList = inSQL ? cols + ", " + Database.rowHashSQL(schema) { "t.\($0)" } + " AS salesync_h" : cols
    }

    /// Adds the server's hash of an upserted row, when the server hashes.
    mutating func add(_ row: RowView) {
        guard inSQL, let h = row.bytes(columnCount) else { return }
        sqlTotal = sqlTotal &+ wrappingUInt64(digits: h)
    }

    /// The total, given what the bundle builder's `RowHasher` summed over the same rows.
    func total(_ builderSum: UInt64) -> UInt64 { inSQL ? sqlTotal : builderSum }
}

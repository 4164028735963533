import MariaDB

/// How an export reads, from a change-log entry, the row its change replaced (the state
/// checksum's `oh`): hashed from the entry's copy of it when the log keeps copies
/// (Capture+OldRows.swift), else the hash an older trigger stored.
struct OldRowSQL {
    private let images: Bool
    private let sources: [String: String]
    private let schema: TableSchema

    init(_ schema: TableSchema, images: Bool) {
        self.schema = schema
        self.images = images
        var sources: [String: String] = [:]
        for (i, c) in schema.keyColumns.enumerated() { sources[quoteIdentifier(c.name)] = "`k\(i + 1)`" }
        for (log, c) in Capture.imageColumns(schema) { sources[quoteIdentifier(c.name)] = quoteIdentifier(log) }
        self.sources = sources
    }

    /// The old row's hash for the entry `alias`: the table's own row hash over the copy, so a
    /// copied row hashes as the row did.
    func hash(_ alias: String) -> String {
        guard images else { return "\(alias).oh" }
        let copy = Database.rowHashSQL(schema) { "\(alias).\(sources[$0] ?? "NULL")" }
        return "IF(\(alias).nh = \(Capture.imageFlag), \(copy), \(alias).oh)"
    }

    /// 1 when the entry `alias` left its old row unknown. Without copies in the log, an `nh`
    /// other than 0 can only be that.
    func unknown(_ alias: String) -> String {
        images ? "\(alias).nh NOT IN (0, \(Capture.imageFlag))" : "\(alias).nh <> 0"
    }
}

/// What `BinlogReader` makes of one event of the binary log.
public enum BinlogEvent {
    /// A transaction (or a statement outside one) begins: its GTID event.
    case begin
    /// Rows one statement wrote to a table the caller asked for.
    case rows(BinlogRows)
    /// The transaction ends, committed (its XID event, or a `COMMIT` query for tables that are
    /// not transactional).
    case commit
    /// Anything else (format description, DDL, checkpoints...).
    case other
}

/// The rows of one row event, with the values of the columns the caller asked for.
public struct BinlogRows {
    /// What the statement did to each row.
    public enum Kind: Sendable { case insert, update, delete }

    public let database: String
    public let table: String
    public let kind: Kind
    /// One entry per row; for an update, the row before and then the row after, alternating.
    public let images: [[SQLValue]]

    public init(database: String, table: String, kind: Kind, images: [[SQLValue]]) {
        self.database = database
        self.table = table
        self.kind = kind
        self.images = images
    }
}

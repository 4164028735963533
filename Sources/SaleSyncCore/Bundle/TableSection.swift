import Foundation

/// What a bundle holds for one table.
public struct TableSection: Codable, Sendable, Equatable {
    public var name: String
    /// `TableSchema.fingerprint` of `columns`.
    public var fingerprint: String
    public var columns: [ColumnInfo]
    /// Change-log positions this bundle covers for the table (both 0 for a snapshot of an empty log).
    public var logFrom: UInt64
    public var logTo: UInt64
    /// Rows to insert or replace (full images) and keys to delete.
    public var upserts: Int
    public var deletes: Int
    /// The branch's state of the table after this bundle; nil on all but the last bundle of an export.
    public var state: StateChecksum?
    /// True on the first bundle of a snapshot: the head office first deletes every row it holds
    /// for this branch in this table, then applies the rows.
    public var reset: Bool = false

    public init(
        name: String, fingerprint: String, columns: [ColumnInfo], logFrom: UInt64, logTo: UInt64,
        upserts: Int, deletes: Int, state: StateChecksum?, reset: Bool = false
    ) {
        self.name = name
        self.fingerprint = fingerprint
        self.columns = columns
        self.logFrom = logFrom
        self.logTo = logTo
        self.upserts = upserts
        self.deletes = deletes
        self.state = state
        self.reset = reset
    }

    enum CodingKeys: String, CodingKey {
        case name, fingerprint, columns, upserts, deletes, state, reset
        case logFrom = "log_from"
        case logTo = "log_to"
    }

    public var schema: TableSchema { TableSchema(name: name, columns: columns) }
}

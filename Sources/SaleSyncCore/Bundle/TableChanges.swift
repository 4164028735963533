import Foundation

/// One table's rows inside a bundle.
public struct TableChanges: Sendable, Equatable {
    public var section: TableSection
    /// Full rows, columns in `section.columns` order.
    public var upserts: RowBatch
    /// Primary-key values of deleted rows, key columns in key order.
    public var deletes: RowBatch

    public init(section: TableSection, upserts: RowBatch, deletes: RowBatch) {
        self.section = section
        self.upserts = upserts
        self.deletes = deletes
    }
}

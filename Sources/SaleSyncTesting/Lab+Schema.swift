import MariaDB
import SaleSyncCore

extension Lab {
    /// The head office accepts the schema change it holds for branch `b` (docs/schema-changes.md),
    /// then everyone syncs.
    public func acceptHold(_ b: String, table: String = "product_sales") throws {
        let c = try Database.connect(try config("ho"))
        defer { c.close() }
        _ = try SchemaHolds(connection: c).accept(branch: b, table: table, widen: [], by: "test")
        try syncAll()
    }
}

extension Lab {
    /// After the sync that took `alter` at branch `b`: accepts the hold it made (`held`), and
    /// after a rename sends the table whole (a rename is a drop and an add: the new column's values
    /// in rows written before it reach the head office with a snapshot, docs/schema-changes.md).
    public func settle(_ b: String, alter: String, held: Bool) throws {
        if held { try acceptHold(b) }
        if alter.hasPrefix("RENAME") {
            _ = try export(b, snapshot: true)
            try syncAll()
        }
    }
}

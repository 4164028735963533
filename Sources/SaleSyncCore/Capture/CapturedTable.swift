/// One row of `salesync_capture`: a synced table and where its export stands.
struct CapturedTable {
    var id: Int
    var name: String
    var fingerprint: String
    var watermark: UInt64
    var snapshotDone: Bool
    var rows: Int64
    var hash: UInt64
    /// The highest key when exported, for a table keyed by one integer column (not stored here:
    /// in the bundles' records, `key_highs`).
    var keyHigh: Int64? = nil
    var logTable: String { Self.logTable(id) }
    static func logTable(_ id: Int) -> String { "salesync_log_\(id)" }
}

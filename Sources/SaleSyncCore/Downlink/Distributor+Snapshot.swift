import Foundation
import MariaDB

extension Distributor {
    /// A branch's whole copy, its first downlink or again when it drifted: every row of every downlink table that is its (NULL in the
    /// branch column, or its id), read in one consistent snapshot, each table reset first. It
    /// stands for every master bundle exported before it; later master bundles follow it. A
    /// change both in the snapshot and in the next master bundle is applied twice, harmlessly:
    /// bundles carry rows' whole images, not differences.
    func snapshot(for branch: String, from first: UInt64) throws -> [DownlinkBundle] {
        try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try conn.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        return try staging {
            var written: [DownlinkBundle] = []
            let master = try conn.query("SELECT COALESCE(MAX(seq), 0) FROM salesync_bundles").first?.uint(0) ?? 0
            var parts: [TableChanges] = []
            var rows = 0
            let flush = { (parts: [TableChanges]) throws in
                let sequence = first + UInt64(written.count)
                let bytes = try BundleFormat.encode(
                    branch: branch, sequence: sequence, kind: .snapshot, created: isoNow(), tables: parts, key: self.key,
                    level: self.config.export.compressionLevel)
                written.append(try self.stage(bytes, branch: branch, sequence: sequence, master: master, kind: .snapshot))
            }
            for name in config.downlink.tables {
                for part in try snapshotParts(name, for: branch) {
                    if rows > 0 && rows + part.upserts.count > config.export.maxRows {
                        try flush(parts)
                        (parts, rows) = ([], 0)
                    }
                    parts.append(part)
                    rows += part.upserts.count
                }
            }
            try flush(parts)
            try conn.execute("DELETE FROM salesync_downlink_resync WHERE branch_id = ?", [.text(branch)])
            return written
        }
    }

    /// Table `name`'s rows for `branch`, cut every `export.max_rows` rows; the first part resets
    /// the branch's table, the last carries the state the branch must then hold.
    private func snapshotParts(_ name: String, for branch: String) throws -> [TableChanges] {
        let schema = try Database.schema(conn, database: config.database.name, table: name)
        var filter = "1"
        var params: [SQLValue] = []
        if let column = config.downlink.branchColumns[name] {
            filter = "t.\(quoteIdentifier(column)) IS NULL OR t.\(quoteIdentifier(column)) = ?"
            params = [.text(branch)]
        }
        let columns = schema.columns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
        let order = schema.keyColumns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
        let all = try conn.query("SELECT \(columns) FROM \(quoteIdentifier(name)) t WHERE \(filter) ORDER BY \(order)", params)
        let state = try Database.contentState(conn, schema, filter: filter, params)
        var parts: [TableChanges] = []
        var start = 0
        repeat {
            let end = min(start + config.export.maxRows, all.count)
            var batch = RowBatch(columnCount: schema.columns.count)
            for r in all[start..<end] { batch.append((0..<schema.columns.count).map { r.bytes($0) }) }
            let section = TableSection(
                name: name, fingerprint: schema.fingerprint, columns: schema.columns, logFrom: 0, logTo: 0,
                upserts: 0, deletes: 0, state: end == all.count ? StateChecksum(rows: state.rows, hash: state.hash) : nil,
                reset: start == 0)
            parts.append(TableChanges(section: section, upserts: batch, deletes: RowBatch(columnCount: schema.keyIndexes.count)))
            start = end
        } while start < all.count
        return parts
    }
}

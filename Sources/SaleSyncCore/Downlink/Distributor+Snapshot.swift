import Foundation
import MariaDB

extension Distributor {
    /// The branches' whole copies, for their first downlink or again when theirs drifted: every
    /// row of every downlink table that is theirs (NULL in the branch column, or their id), read
    /// in one consistent snapshot, each table reset first. A copy stands for every master bundle
    /// exported before it; later master bundles follow it. A change both in the copy and in the
    /// next master bundle is applied twice, harmlessly: bundles carry whole rows, not differences.
    ///
    /// Without per-branch tables every branch's copy is the same: it is encoded once and sealed
    /// under each branch's header (200 new branches cost one encoding, not 200).
    func snapshots(for targets: [(branch: String, next: UInt64)]) throws -> [DownlinkBundle] {
        guard let first = targets.first else { return [] }
        try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try conn.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        return try staging {
            var written: [DownlinkBundle] = []
            let master = try conn.query("SELECT COALESCE(MAX(seq), 0) FROM salesync_bundles").first?.uint(0) ?? 0
            if config.downlink.branchColumns.isEmpty {
                // Every branch's copy is the same: its parts are kept once, each branch gets frames.
                let parts = try snapshotFiles(for: first.branch, from: first.next)
                let shared = try parts.enumerated().map { (i, f) in
                    (try Resealer(f), try keepBody(f, master: master, tag: "snapshot-\(first.branch)-\(first.next + UInt64(i))"))
                }
                let frames = try targets.concurrentMap { t in
                    try shared.enumerated().map { (i, s) in try frame(s.0, body: s.1, branch: t.branch, sequence: t.next + UInt64(i)) }
                }
                let made = try writePack(Array(frames.joined()), master: master, tag: "snapshot-\(first.branch)-\(first.next)")
                for b in made {
                    record(b.bundle, master: master, kind: .snapshot, header: b.header)
                    written.append(b.bundle)
                }
            } else {
                for (branch, next) in targets {
                    for (i, f) in try snapshotFiles(for: branch, from: next).enumerated() {
                        written.append(
                            try stage(f.data, branch: branch, sequence: next + UInt64(i), master: master, kind: .snapshot, header: f.header)
                        )
                    }
                }
            }
            for (branch, _) in targets {
                try conn.execute("DELETE FROM salesync_downlink_resync WHERE branch_id = ?", [.text(branch)])
            }
            return written
        }
    }

    /// Branch `branch`'s copy as bundles numbered from `first`, cut every `export.max_rows` rows.
    private func snapshotFiles(for branch: String, from first: UInt64) throws -> [BundleFile] {
        var files: [BundleFile] = []
        var parts: [TableChanges] = []
        var rows = 0
        let flush = { (parts: [TableChanges]) throws in
            let bytes = try BundleFormat.encode(
                branch: branch, sequence: first + UInt64(files.count), kind: .snapshot, created: isoNow(), tables: parts, key: self.key,
                level: self.config.export.compressionLevel)
            files.append(try BundleFile(bytes: bytes))
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
        return files
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

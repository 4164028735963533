import Crypto
import Foundation
import MariaDB

/// Applies one table's part of a bundle at the head office, set-based: rows stream into
/// `LOAD DATA LOCAL INFILE ... REPLACE` (the connector reads them from memory, no temp file),
/// deletes are one join against a temporary key table. It also keeps the head office's own
/// row count and content hash for the branch and compares them with the branch's.
struct TableApplier {
    let db: Connection
    let branch: String
    let changes: TableChanges
    let isSnapshot: Bool

    var schema: TableSchema { changes.section.schema }
    var table: String { quoteIdentifier(schema.name) }

    /// Returns "match" or "drift" when the bundle carries the branch's state, else nil.
    func run() throws -> String? {
        let section = changes.section
        try db.execute("INSERT IGNORE INTO salesync_table_state (branch_id, table_name) VALUES (?, ?)", [.text(branch), .text(schema.name)])
        let st = try db.query("SELECT state_rows, state_hash FROM salesync_table_state WHERE branch_id = ? AND table_name = ? FOR UPDATE",
                              [.text(branch), .text(schema.name)]).first
        var rows = st?.int(0) ?? 0
        var hash = st?.uint(1) ?? 0
        if section.reset {
            try db.execute("DELETE FROM \(table) WHERE branch_id = ?", [.text(branch)])
            rows = 0
            hash = 0
        }
        let hashSQL = Database.rowHashSQL(schema) { "t.\($0)" }
        if isSnapshot && changes.deletes.count == 0 {
            // Parts of a snapshot hold keys no earlier part had, after a reset: nothing is replaced.
            try loadRows()
            if section.state != nil {
                (rows, hash) = try HeadOfficeStore.fullState(db, schema, branch: branch)
            }
        } else if changes.upserts.count + changes.deletes.count > 0 {
            let keys = try loadKeys()
            let join = "JOIN \(keys) k ON t.branch_id = @salesync_branch AND " +
                schema.keyColumns.enumerated().map { i, c in "t.\(quoteIdentifier(c.name)) = k.`k\(i + 1)`" }.joined(separator: " AND ")
            let before = try db.query("SELECT COUNT(*), SUM(\(hashSQL)) FROM \(table) t \(join)").first
            if changes.deletes.count > 0 {
                try db.execute("DELETE t FROM \(table) t \(join) WHERE k.op = 'd'")
            }
            try loadRows()
            let after = try db.query("SELECT COUNT(*), SUM(\(hashSQL)) FROM \(table) t \(join) WHERE k.op = 'u'").first
            rows += (after?.int(0) ?? 0) - (before?.int(0) ?? 0)
            hash = hash &+ wrappingUInt64(decimal: after?[1]) &- wrappingUInt64(decimal: before?[1])
        }
        try db.execute("UPDATE salesync_table_state SET state_rows = ?, state_hash = ? WHERE branch_id = ? AND table_name = ?",
                       [.int(rows), .uint(hash), .text(branch), .text(schema.name)])
        guard let expected = section.state else { return nil }
        try db.execute("UPDATE salesync_table_state SET branch_rows = ?, branch_hash = ? WHERE branch_id = ? AND table_name = ?",
                       [.int(expected.rows), .uint(expected.hashValue64), .text(branch), .text(schema.name)])
        return expected.rows == rows && expected.hashValue64 == hash ? "match" : "drift"
    }

    /// LOAD DATA of the full rows, replacing rows with the same key.
    func loadRows() throws {
        guard changes.upserts.count > 0 else { return }
        let cols = schema.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        try load(changes.upserts, columnCount: schema.columns.count, extra: nil, sql: """
            LOAD DATA LOCAL INFILE 'salesync-rows' REPLACE INTO TABLE \(table) CHARACTER SET binary
            FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'
            (\(cols)) SET `branch_id` = @salesync_branch
            """, what: "rows")
    }

    /// Loads the keys of every upserted ('u') and deleted ('d') row into a temporary table.
    func loadKeys() throws -> String {
        let name = quoteIdentifier("salesync_keys_" + String(SHA256.hash(data: Data(schema.name.utf8)).hex.prefix(16)))
        let defs = schema.keyColumns.enumerated().map { i, c -> String in
            var c = c
            c.name = "k\(i + 1)"
            c.nullable = false
            return Database.columnDefinition(c)
        }
        let keyList = (1...defs.count).map { "`k\($0)`" }.joined(separator: ", ")
        // Temporary tables are private to the connection and do not end the transaction.
        try db.execute("CREATE TEMPORARY TABLE IF NOT EXISTS \(name) (\(defs.joined(separator: ", ")), op CHAR(1) NOT NULL, PRIMARY KEY (\(keyList)))")
        try db.execute("DELETE FROM \(name)")
        let sql = """
            LOAD DATA LOCAL INFILE 'salesync-keys' INTO TABLE \(name) CHARACTER SET binary
            FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (\(keyList), op)
            """
        try load(changes.upserts.projected(schema.keyIndexes), columnCount: defs.count, extra: UInt8(ascii: "u"), sql: sql, what: "keys")
        try load(changes.deletes, columnCount: defs.count, extra: UInt8(ascii: "d"), sql: sql, what: "deleted keys")
        return name
    }

    /// Streams `batch` as LOAD DATA text and checks that every row went in without a warning:
    /// LOCAL turns conversion errors into warnings, which would otherwise silently alter values.
    private func load(_ batch: RowBatch, columnCount: Int, extra: UInt8?, sql: String, what: String) throws {
        guard batch.count > 0 else { return }
        var next = 0
        try db.loadDataLocal(sql) {
            var out: [UInt8] = []
            out.reserveCapacity(1 << 20)
            while next < batch.count && out.count < 1 << 20 {
                TSV.appendRow(batch, next, extra: extra, into: &out)
                next += 1
            }
            return out
        }
        let info = try db.info ?? ""
        let records = info.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        if try db.warningCount > 0 {
            let w = try db.warnings().joined(separator: "; ")
            throw SyncError.data("table \(schema.name): the head office's columns refused values (\(w))")
        }
        if let records, records != batch.count {
            throw SyncError.data("table \(schema.name): \(records) \(what) loaded, bundle declares \(batch.count)")
        }
    }
}

/// The text LOAD DATA reads: tab-separated, `\N` for NULL, backslash escapes for the bytes
/// that would otherwise end a field or a line.
enum TSV {
    static func appendRow(_ batch: RowBatch, _ r: Int, extra: UInt8?, into out: inout [UInt8]) {
        let n = batch.columns.count
        for c in 0..<n {
            if c > 0 { out.append(9) }
            let col = batch.columns[c]
            if col.hasNulls && col.nulls[r] {
                out.append(92); out.append(78)
                continue
            }
            let range = col.range(r)
            col.data.withUnsafeBufferPointer { buf in
                for i in range {
                    let b = buf[i]
                    switch b {
                    case 9: out.append(92); out.append(116)
                    case 10: out.append(92); out.append(110)
                    case 92: out.append(92); out.append(92)
                    case 0: out.append(92); out.append(48)
                    default: out.append(b)
                    }
                }
            }
        }
        if let extra { out.append(9); out.append(extra) }
        out.append(10)
    }
}

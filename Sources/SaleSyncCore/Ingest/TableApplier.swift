import Crypto
import Foundation
import MariaDB

/// Applies one table's part of a bundle at the head office, set-based: rows stream into
/// `LOAD DATA LOCAL INFILE ... REPLACE` (the connector reads them from memory, no temp file),
/// deletes are one join against a temporary key table. It also keeps the head office's own
/// row count and content hash for the branch and compares them with the branch's.
///
/// Two steps, so that a bundle's data can go in while the bundle before it is still being
/// applied on another connection: `applyChanges` touches only the bundle's own keys and returns
/// what they changed in the count and hash; `record` then adds that to the running state.
struct TableApplier {
    let db: MariaDBConnection
    let branch: String
    let changes: TableChanges
    let isSnapshot: Bool
    /// Hash sum of the upserted rows computed from the bundle (nil: the server hashes them).
    let upsertHash: UInt64?

    var schema: TableSchema { changes.section.schema }
    var table: String { quoteIdentifier(schema.name) }

    /// What one table's changes did to the head office's count and hash for the branch.
    struct Delta {
        var rows: Int64 = 0
        var hash: UInt64 = 0
        /// The bundle reset the table: the delta is the whole state.
        var absolute = false
        /// The delta is unknown: recount the branch's rows when recording.
        var recount = false
    }

    /// MariaDB errors that mean "the head office's table will not take these rows" (a CHECK
    /// or foreign-key constraint, NULL into NOT NULL, a value out of range...): the bundle is
    /// refused whole and quarantined rather than retried forever.
    static let refusalCodes: Set<UInt32> = [
        MariaDBError.Code.nullNotAllowed, MariaDBError.Code.duplicateEntry, MariaDBError.Code.outOfRange,
        MariaDBError.Code.dataTruncated, MariaDBError.Code.wrongValue, MariaDBError.Code.dataTooLong,
        MariaDBError.Code.rowIsReferenced, MariaDBError.Code.noReferencedRow, MariaDBError.Code.constraintFailed,
    ]

    /// Applies the changes; touches no row outside the bundle's keys (unless it resets the table).
    func loadChanges() throws -> Delta {
        do {
            return try applyChangesUnchecked()
        } catch let e as MariaDBError where Self.refusalCodes.contains(e.code) {
            throw SyncError.data("table \(schema.name): the head office refused the rows: \(e.message)")
        }
    }

    private func applyChangesUnchecked() throws -> Delta {
        var d = Delta(absolute: changes.section.reset)
        if changes.section.reset {
            try db.execute("DELETE FROM \(table) WHERE branch_id = ?", [.text(branch)])
        }
        if isSnapshot && changes.deletes.count == 0 {
            // Parts of a snapshot hold keys no earlier part had, after a reset: nothing is replaced.
            let replaced = try loadRows()
            if let upsertHash, replaced == 0 {
                d.rows = Int64(changes.upserts.count)
                d.hash = upsertHash
            } else if upsertHash != nil {
                d.recount = true // keys repeated across parts: only the table knows what was replaced
            } else {
                // The server hashes: once, at the part that carries the branch's state.
                d.recount = changes.section.state != nil
            }
        } else if changes.upserts.count + changes.deletes.count > 0 {
            let hashSQL = Database.rowHashSQL(schema) { "t.\($0)" }
            let keys = try loadKeys()
            let join = "JOIN \(keys) k ON t.branch_id = @salesync_branch AND " +
                schema.keyColumns.enumerated().map { i, c in "t.\(quoteIdentifier(c.name)) = k.`k\(i + 1)`" }.joined(separator: " AND ")
            let before = try db.query("SELECT COUNT(*), SUM(\(hashSQL)) FROM \(table) t \(join)").first
            if changes.deletes.count > 0 {
                try db.execute("DELETE t FROM \(table) t \(join) WHERE k.op = 'd'")
            }
            try loadRows()
            var afterRows = Int64(changes.upserts.count)
            var afterHash = upsertHash ?? 0
            if upsertHash == nil {
                let after = try db.query("SELECT COUNT(*), SUM(\(hashSQL)) FROM \(table) t \(join) WHERE k.op = 'u'").first
                afterRows = after?.int(0) ?? 0
                afterHash = wrappingUInt64(decimal: after?[1])
            }
            d.rows = afterRows - (before?.int(0) ?? 0)
            d.hash = afterHash &- wrappingUInt64(decimal: before?[1])
        }
        return d
    }

    /// Adds `d` to the head office's running state for the branch and table; returns the verdict
    /// when the bundle carries the branch's state, else nil.
    func recordState(_ d: Delta) throws -> Verdict? {
        try db.execute("INSERT IGNORE INTO salesync_table_state (branch_id, table_name) VALUES (?, ?)", [.text(branch), .text(schema.name)])
        let st = try db.query("SELECT state_rows, state_hash, fingerprint FROM salesync_table_state WHERE branch_id = ? AND table_name = ? FOR UPDATE",
                              [.text(branch), .text(schema.name)]).first
        var rows = st?.int(0) ?? 0
        var hash = st?.uint(1) ?? 0
        // A new shape hashes rows differently (the branch recounted too): recount from the table.
        let reshaped = st?[2].map { $0 != schema.fingerprint } ?? false
        if d.recount || reshaped {
            (rows, hash) = try HeadOfficeStore.fullState(db, schema, branch: branch)
        } else if d.absolute {
            (rows, hash) = (d.rows, d.hash)
        } else {
            rows += d.rows
            hash = hash &+ d.hash
        }
        let columns = String(decoding: try JSONEncoder().encode(schema.columns), as: UTF8.self)
        try db.execute("""
            UPDATE salesync_table_state SET state_rows = ?, state_hash = ?, fingerprint = ?, columns_json = ?
            WHERE branch_id = ? AND table_name = ?
            """, [.int(rows), .uint(hash), .text(schema.fingerprint), .text(columns), .text(branch), .text(schema.name)])
        guard let expected = changes.section.state else { return nil }
        try db.execute("UPDATE salesync_table_state SET branch_rows = ?, branch_hash = ? WHERE branch_id = ? AND table_name = ?",
                       [.int(expected.rows), .uint(expected.hashValue64), .text(branch), .text(schema.name)])
        return expected.rows == rows && expected.hashValue64 == hash ? .match : .drift
    }

    /// LOAD DATA of the full rows, replacing rows with the same key; returns how many it replaced.
    @discardableResult
    func loadRows() throws -> Int {
        guard changes.upserts.count > 0 else { return 0 }
        let (cols, sets) = Self.targets(schema.columns, names: schema.columns.map(\.name))
        return try load(changes.upserts, columnCount: schema.columns.count, extra: nil, sql: """
            LOAD DATA LOCAL INFILE 'salesync-rows' REPLACE INTO TABLE \(table) CHARACTER SET binary
            FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'
            (\(cols)) SET \((["`branch_id` = @salesync_branch"] + sets).joined(separator: ", "))
            """, what: "rows")
    }

    /// LOAD DATA's column list and SET clauses. The bundle's text is UTF-8 (the branch read it
    /// over a utf8mb4 connection) and the file is read as binary so that BLOBs stay byte-exact;
    /// text columns in another character set (latin1…) go through a variable and are converted,
    /// or their UTF-8 bytes would be stored as if they were already that set.
    static func targets(_ columns: [ColumnInfo], names: [String]) -> (list: String, sets: [String]) {
        var list: [String] = []
        var sets: [String] = []
        for (i, c) in columns.enumerated() {
            if !c.storesBundleBytes {
                list.append("@salesync_v\(i)")
                sets.append("\(quoteIdentifier(names[i])) = CONVERT(@salesync_v\(i) USING utf8mb4)")
            } else {
                list.append(quoteIdentifier(names[i]))
            }
        }
        return (list.joined(separator: ", "), sets)
    }

    /// Loads the keys of every upserted ('u') and deleted ('d') row into a temporary table.
    func loadKeys() throws -> String {
        let name = quoteIdentifier("salesync_keys_" + String(SHA256.hash(data: Data(schema.name.utf8)).hex.prefix(16)))
        let defs = schema.keyColumns.enumerated().map { Database.keyColumnDefinition($1, position: $0) }
        let keyList = (1...defs.count).map { "`k\($0)`" }.joined(separator: ", ")
        let (targets, sets) = Self.targets(schema.keyColumns, names: (1...defs.count).map { "k\($0)" })
        // Temporary tables are private to the connection and do not end the transaction.
        try db.execute("CREATE TEMPORARY TABLE IF NOT EXISTS \(name) (\(defs.joined(separator: ", ")), op CHAR(1) NOT NULL, PRIMARY KEY (\(keyList)))")
        try db.execute("DELETE FROM \(name)")
        let sql = """
            LOAD DATA LOCAL INFILE 'salesync-keys' INTO TABLE \(name) CHARACTER SET binary
            FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (\(targets), op)
            """ + (sets.isEmpty ? "" : " SET " + sets.joined(separator: ", "))
        try load(changes.upserts.projected(schema.keyIndexes), columnCount: defs.count, extra: UInt8(ascii: "u"), sql: sql, what: "keys")
        try load(changes.deletes, columnCount: defs.count, extra: UInt8(ascii: "d"), sql: sql, what: "deleted keys")
        return name
    }

    /// Streams `batch` as LOAD DATA text and checks that every row went in without a warning:
    /// LOCAL turns conversion errors into warnings, which would otherwise silently alter values.
    /// Returns the number of rows replaced (REPLACE's "Deleted").
    @discardableResult
    private func load(_ batch: RowBatch, columnCount: Int, extra: UInt8?, sql: String, what: String) throws -> Int {
        guard batch.count > 0 else { return 0 }
        var next = 0
        try db.loadDataLocal(sql) {
            var out: [UInt8] = []
            out.reserveCapacity(1 << 20)
            batch.withColumnViews { cols in
                while next < batch.count && out.count < 1 << 20 {
                    TSV.appendRow(cols, next, extra: extra, into: &out)
                    next += 1
                }
            }
            return out
        }
        let info = try db.info ?? ""
        // "Records: 100000  Deleted: 0  Skipped: 0  Warnings: 0"
        let words = info.split(separator: " ")
        func field(_ name: String) -> Int? { words.firstIndex(of: Substring(name)).flatMap { $0 + 1 < words.count ? Int(words[$0 + 1]) : nil } }
        let records = field("Records:")
        if try db.warningCount > 0 {
            let w = try db.warnings().joined(separator: "; ")
            throw SyncError.data("table \(schema.name): the head office's columns refused values (\(w))")
        }
        if let records, records != batch.count {
            throw SyncError.data("table \(schema.name): \(records) \(what) loaded, bundle declares \(batch.count)")
        }
        return field("Deleted:") ?? 0
    }
}

import Foundation
import MariaDB

/// One table's part of a rejoin (`Rejoiner`), inside its transaction, capture quiet: the head
/// office's rows go into a temporary table beside the branch's, the keys the branch changed
/// since it went back into another, and a few statements settle every key by the rules.
struct RejoinMerge {
    let db: MariaDBConnection
    let config: Config
    let copy: TableChanges
    /// Keys the branch's unacknowledged bundles carry (its change log adds the rest).
    let branchChanged: [[[UInt8]?]]
    /// For a table keyed by one integer: the first of the keys set aside for rows that move.
    let firstFreeKey: Int64?

    static let hoTable = "salesync_rejoin_ho"
    static let changedTable = "salesync_rejoin_changed"
    /// Rows listed per table and kind at most (the counts are whole).
    static let listed = 500

    var name: String { copy.section.name }
    var table: String { quoteIdentifier(name) }

    func run(_ report: inout RejoinReport) throws {
        let schema = try Database.schema(db, database: config.database.name, table: name)
        let missing = copy.section.columns.map(\.name).filter { c in !schema.columns.contains { $0.name == c } }
        guard missing.isEmpty else {
            throw SyncError.data(
                "rejoin copy: table \(name) has no column \(missing.joined(separator: ", ")) here; the copy has its columns")
        }
        guard
            let captured = try db.query(
                "SELECT table_id, watermark FROM salesync_capture WHERE table_name = ? FOR UPDATE", [.text(name)]
            ).first
        else { throw SyncError.config("table \(name) has no capture installed; run salesync init") }
        let id = Int(captured.int(0) ?? 0)
        try load(schema, logId: id, watermark: captured.uint(1) ?? 0)
        defer { try? db.execute("DROP TEMPORARY TABLE IF EXISTS \(Self.hoTable), \(Self.changedTable)") }
        if Exporter.hasIntegerKey(schema) { try rekey(schema, keyHigh: try keyHighBeforeWentBack(), &report) }
        try listConflicts(schema, &report)
        report.kept += Int(try db.query("SELECT COUNT(*) FROM \(Self.changedTable)").first?.int(0) ?? 0)
        try takeHeadOffice(schema, &report)
        report.removed += Int(
            try db.execute(
                """
                DELETE t FROM \(table) t LEFT JOIN \(Self.hoTable) h ON \(keyJoin(schema, "t", "h"))
                LEFT JOIN \(Self.changedTable) c ON \(changedJoin(schema, "t"))
                WHERE h.\(firstKey(schema)) IS NULL AND c.k1 IS NULL
                """, []))
        // The branch's own changes travel up in the new epoch: its change log names them again,
        // and the next export recounts the table's state (the fingerprint no longer matches).
        let ks = Database.keyColumnNames(schema.keyIndexes.count)
        try db.execute(
            "INSERT INTO \(quoteIdentifier(CapturedTable.logTable(id))) (\(ks), dc, oh, nh) SELECT \(ks), 0, 0, 0 FROM \(Self.changedTable)"
        )
        try db.execute("UPDATE salesync_capture SET fingerprint = '' WHERE table_id = ?", [.int(Int64(id))])
    }

    /// The head office's rows and the changed keys into their temporary tables.
    private func load(_ schema: TableSchema, logId: Int, watermark: UInt64) throws {
        try db.execute("DROP TEMPORARY TABLE IF EXISTS \(Self.hoTable), \(Self.changedTable)")
        try db.execute("CREATE TEMPORARY TABLE \(Self.hoTable) LIKE \(table)")
        var rows = copy
        rows.section.name = Self.hoTable
        rows.section.reset = false
        _ = try DownlinkTable(db: db, changes: rows).apply(check: false)
        let keyDefs = schema.keyColumns.enumerated().map { Database.keyColumnDefinition($1, position: $0) }
        let ks = Database.keyColumnNames(schema.keyIndexes.count)
        try db.execute("CREATE TEMPORARY TABLE \(Self.changedTable) (\(keyDefs.joined(separator: ", ")), PRIMARY KEY (\(ks)))")
        let tuple = "(" + Array(repeating: "?", count: schema.keyIndexes.count).joined(separator: ", ") + ")"
        var start = 0
        while start < branchChanged.count {
            let batch = branchChanged[start..<min(start + 500, branchChanged.count)]
            try db.execute(
                "INSERT IGNORE INTO \(Self.changedTable) VALUES " + Array(repeating: tuple, count: batch.count).joined(separator: ", "),
                batch.flatMap { $0.map { $0.map { .bytes($0) } ?? .null } })
            start += batch.count
        }
        try db.execute("SET @salesync_w = ?, @salesync_tid = ?", [.uint(watermark), .int(Int64(logId))])
        try db.execute(
            """
            INSERT IGNORE INTO \(Self.changedTable) SELECT \(ks) FROM \(quoteIdentifier(CapturedTable.logTable(logId))) l
            WHERE \(Exporter.pendingCondition)
            """)
    }

    /// The highest key the branch had handed out by its last bundle the head office applied
    /// (nil: none, a new PC, or bundles from before salesync recorded it: every clash is a new row).
    /// Why the acknowledged one: bundles exported after the restore, and the counter with them,
    /// already count the keys taken again.
    private func keyHighBeforeWentBack() throws -> Int64? {
        guard
            let json = try db.query(
                "SELECT key_highs FROM salesync_bundles WHERE status = ? AND key_highs IS NOT NULL ORDER BY seq DESC LIMIT 1",
                [BundleStatus.acked.sql]
            ).first?[0]
        else { return nil }
        return (try? JSONDecoder().decode([String: Int64].self, from: Data(json.utf8)))?[name]
    }

    /// Keys the branch gave a new row since it went back while the head office holds another row
    /// under them: the head office's keeps the key (it was sold first and may be in reports), the
    /// branch's moves to the table's next free key, in the order of the old keys. A key at or
    /// below the highest the branch had exported before (`key_high`) is the same row changed at
    /// both ends, not a new one: `listConflicts` settles it.
    private func rekey(_ schema: TableSchema, keyHigh: Int64?, _ report: inout RejoinReport) throws {
        let key = quoteIdentifier(schema.keyColumns[0].name)
        let clashes = try db.query(
            """
            SELECT t.\(key) FROM \(table) t JOIN \(Self.hoTable) h ON h.\(key) = t.\(key) JOIN \(Self.changedTable) c ON c.k1 = t.\(key)
            WHERE NOT (\(sameRow("t", "h"))) AND t.\(key) > ? ORDER BY t.\(key)
            """, [.int(keyHigh ?? Int64.min)]
        ).compactMap { $0.int(0) }
        guard !clashes.isEmpty else { return }
        let others = schema.columns.filter { $0.key == 0 }.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        var next = firstFreeKey ?? 1
        for old in clashes {
            let new = next
            next += 1
            try db.execute(
                "INSERT INTO \(table) (\(key), \(others)) SELECT ?, \(others) FROM \(table) WHERE \(key) = ?", [.int(new), .int(old)])
            try db.execute("DELETE FROM \(table) WHERE \(key) = ?", [.int(old)])
            try db.execute("DELETE FROM \(Self.changedTable) WHERE k1 = ?", [.int(old)])
            try db.execute("INSERT INTO \(Self.changedTable) VALUES (?)", [.int(new)])
            if report.rekeyed.count < Self.listed { report.rekeyed.append("\(name) \(schema.keyColumns[0].name) \(old) → \(new)") }
        }
    }

    /// Rows both sides changed since the restore: the branch's version is kept (its change is
    /// the later one the people at the branch saw), and each is listed.
    private func listConflicts(_ schema: TableSchema, _ report: inout RejoinReport) throws {
        let keys = schema.keyColumns.map { "t." + quoteIdentifier($0.name) }
        for r in try db.query(
            """
            SELECT \(keys.joined(separator: ", ")) FROM \(table) t JOIN \(Self.hoTable) h ON \(keyJoin(schema, "t", "h"))
            JOIN \(Self.changedTable) c ON \(changedJoin(schema, "t")) WHERE NOT (\(sameRow("t", "h")))
            ORDER BY \(keys.joined(separator: ", ")) LIMIT \(Self.listed)
            """)
        {
            let key = schema.keyColumns.indices.map { "\(schema.keyColumns[$0].name) \(r[$0] ?? "NULL")" }.joined(separator: ", ")
            report.conflicts.append("\(name) \(key)")
        }
    }

    /// Every key the branch did not change since the restore becomes as the head office holds it.
    private func takeHeadOffice(_ schema: TableSchema, _ report: inout RejoinReport) throws {
        let from = """
            FROM \(Self.hoTable) h LEFT JOIN \(table) t ON \(keyJoin(schema, "t", "h"))
            LEFT JOIN \(Self.changedTable) c ON \(changedJoin(schema, "h")) WHERE c.k1 IS NULL
            """
        let counts = try db.query(
            "SELECT COALESCE(SUM(t.\(firstKey(schema)) IS NULL), 0), COALESCE(SUM(t.\(firstKey(schema)) IS NOT NULL AND NOT (\(sameRow("t", "h")))), 0) \(from)"
        ).first
        report.restored += Int(counts?.int(0) ?? 0)
        report.corrected += Int(counts?.int(1) ?? 0)
        let cols = copy.section.columns.map { quoteIdentifier($0.name) }
        try db.execute(
            """
            INSERT INTO \(table) (\(cols.joined(separator: ", "))) SELECT \(cols.map { "h." + $0 }.joined(separator: ", "))
            \(from) AND (t.\(firstKey(schema)) IS NULL OR NOT (\(sameRow("t", "h"))))
            ON DUPLICATE KEY UPDATE \(cols.map { "\($0) = VALUES(\($0))" }.joined(separator: ", "))
            """)
    }

    /// Before the merge's transaction, for a table keyed by one integer: sets keys aside for the
    /// rows that may move, above every key either side holds, by moving the AUTO_INCREMENT
    /// counter past them, so that a sale made meanwhile never takes one. Returns the first.
    static func reserveKeys(_ db: MariaDBConnection, _ config: Config, copy: TableChanges, moving: Int) throws -> Int64? {
        let schema = try Database.schema(db, database: config.database.name, table: copy.section.name)
        guard Exporter.hasIntegerKey(schema), let k = copy.section.schema.keyIndexes.first else { return nil }
        let key = quoteIdentifier(schema.keyColumns[0].name)
        let table = quoteIdentifier(schema.name)
        var high = try db.query("SELECT COALESCE(MAX(\(key)), 0) FROM \(table)").first?.int(0) ?? 0
        for i in 0..<copy.upserts.count {
            if let v = copy.upserts.columns[k].value(i), let n = Int64(String(decoding: v, as: UTF8.self)) { high = max(high, n) }
        }
        let counter = try db.query(
            """
            SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?
            """, [.text(schema.name)]
        ).first?.int(0)
        let first = max(high + 1, counter ?? 0)
        if counter != nil { try db.execute("ALTER TABLE \(table) AUTO_INCREMENT = \(first + Int64(moving))") }
        return first
    }

    private func firstKey(_ schema: TableSchema) -> String { quoteIdentifier(schema.keyColumns[0].name) }

    private func keyJoin(_ schema: TableSchema, _ a: String, _ b: String) -> String {
        schema.keyColumns.map { "\(a).\(quoteIdentifier($0.name)) = \(b).\(quoteIdentifier($0.name))" }.joined(separator: " AND ")
    }

    private func changedJoin(_ schema: TableSchema, _ a: String) -> String {
        schema.keyColumns.enumerated().map { "c.`k\($0 + 1)` = \(a).\(quoteIdentifier($1.name))" }.joined(separator: " AND ")
    }

    /// Every column of the copy equal (NULL-safe).
    private func sameRow(_ a: String, _ b: String) -> String {
        copy.section.columns.map { "\(a).\(quoteIdentifier($0.name)) <=> \(b).\(quoteIdentifier($0.name))" }.joined(separator: " AND ")
    }
}

import Crypto
import Foundation
import MariaDB

extension TableApplier {
    /// LOAD DATA of the full rows of parts `idx`, each row after its branch's id, replacing rows
    /// with the same key; returns how many it replaced.
    @discardableResult
    func loadRows(_ idx: [Int]) throws -> Int {
        let sources = idx.map { (Self.prefix(parts[$0].branch), parts[$0].changes.upserts) }
        let (cols, sets) = Self.targets(schema.columns, names: schema.columns.map(\.name))
        return try load(
            sources, extra: nil,
            sql: TSV.loadStatement("salesync-rows", into: table, replace: true, columns: "`branch_id`, \(cols)", sets: sets),
            what: "rows")
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

    /// How to find the rows with the keys of parts `idx`: by runs of keys where the key is one
    /// integer column and the runs are few enough, else by a temporary table loaded with the
    /// branch and key of every upserted ('u') and deleted ('d') row.
    func matchKeys(_ idx: [Int]) throws -> KeyMatch {
        if let runs = keyRuns(idx) { return runs }
        let n = schema.keyIndexes.count
        let name = try scratchTable(
            "salesync_keys_", columns: schema.keyColumns.enumerated().map { Database.keyColumnDefinition($1, position: $0) },
            primaryKey: ["`b`"] + (1...n).map { "`k\($0)`" })
        let (targets, sets) = Self.targets(schema.keyColumns, names: (1...n).map { "k\($0)" })
        let sql = TSV.loadStatement("salesync-keys", into: name, replace: false, columns: "`b`, \(targets), op", sets: sets)
        let keys = schema.keyIndexes
        try load(
            idx.map { (Self.prefix(parts[$0].branch), parts[$0].changes.upserts.projected(keys)) },
            extra: UInt8(ascii: "u"), sql: sql, what: "keys")
        try load(
            idx.map { (Self.prefix(parts[$0].branch), parts[$0].changes.deletes) }, extra: UInt8(ascii: "d"), sql: sql, what: "deleted keys"
        )
        return .table(
            join: "JOIN \(name) k ON t.branch_id = k.b AND "
                + schema.keyColumns.enumerated().map { i, c in "t.\(quoteIdentifier(c.name)) = k.`k\(i + 1)`" }.joined(separator: " AND "))
    }

    /// The parts' keys as runs (`KeyRanges`), or nil when the key is not one integer column or
    /// the runs would need too many parameters.
    private func keyRuns(_ idx: [Int]) -> KeyMatch? {
        guard schema.keyIndexes.count == 1, let key = schema.keyColumns.first, key.kind == .integer else { return nil }
        var upserted: [(branch: String, runs: [(first: Int64, last: Int64)])] = []
        var deleted: [(branch: String, runs: [(first: Int64, last: Int64)])] = []
        var params = 0
        for i in idx {
            guard let u = KeyRanges.runs(parts[i].changes.upserts.projected(schema.keyIndexes)),
                let d = KeyRanges.runs(parts[i].changes.deletes)
            else { return nil }
            upserted.append((parts[i].branch, u))
            deleted.append((parts[i].branch, d))
            params += 2 + 2 * (u.count + d.count)
            if params > KeyMatch.maxParameters { return nil }
        }
        return .runs(column: quoteIdentifier(key.name), upserted: upserted, deleted: deleted)
    }

    /// An empty temporary table for this table's keys: branch, `columns`, op. Temporary tables
    /// are private to the connection, and neither creating nor dropping one ends the transaction;
    /// dropping is much cheaper than deleting last time's rows.
    private func scratchTable(_ prefix: String, columns: [String], primaryKey: [String] = []) throws -> String {
        let name = quoteIdentifier(prefix + String(SHA256.hash(data: Data(schema.name.utf8)).hex.prefix(16)))
        try db.execute("DROP TEMPORARY TABLE IF EXISTS \(name)")
        try db.execute(
            """
            CREATE TEMPORARY TABLE \(name) (`b` VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
            \(columns.joined(separator: ", ")), op CHAR(1) NOT NULL\(primaryKey.isEmpty ? "" : ", PRIMARY KEY (\(primaryKey.joined(separator: ", ")))"))
            """)
        return name
    }

    /// A branch's id as the first field of its rows in LOAD DATA's text.
    static func prefix(_ branch: String) -> [UInt8] {
        var out: [UInt8] = []
        TSV.appendField(Array(branch.utf8), into: &out)
        out.append(9)
        return out
    }

    /// Streams `sources` as one LOAD DATA text (each row after its source's prefix) and checks
    /// that every row went in without a warning: LOCAL turns conversion errors into warnings,
    /// which would otherwise silently alter values. Returns the number of rows replaced
    /// (REPLACE's "Deleted").
    @discardableResult
    private func load(_ sources: [(prefix: [UInt8], rows: RowBatch)], extra: UInt8?, sql: String, what: String) throws -> Int {
        try Self.load(db, table: schema.name, sources, extra: extra, sql: sql, what: what)
    }

    /// How much TSV is made at a time for LOAD DATA LOCAL: small enough that the server works
    /// on one piece while the next is made (a whole 10,000-row bundle at once kept it waiting),
    /// large enough that the calls cost nothing.
    static let loadChunk = 64 << 10

    /// `load` on any connection (the branch's downlink applier loads the head office's rows the same way).
    @discardableResult
    static func load(
        _ db: MariaDBConnection, table: String, _ sources: [(prefix: [UInt8], rows: RowBatch)], extra: UInt8?, sql: String, what: String
    ) throws -> Int {
        let total = sources.reduce(0) { $0 + $1.rows.count }
        guard total > 0 else { return 0 }
        var source = 0
        var next = 0
        try db.loadDataLocal(sql) {
            var out: [UInt8] = []
            out.reserveCapacity(Self.loadChunk)
            while source < sources.count && out.count < Self.loadChunk {
                let (prefix, rows) = sources[source]
                rows.withColumnViews { cols in
                    while next < rows.count && out.count < Self.loadChunk {
                        out += prefix
                        TSV.appendRow(cols, next, extra: extra, into: &out)
                        next += 1
                    }
                }
                if next == rows.count { (source, next) = (source + 1, 0) }
            }
            return out
        }
        let info = try db.info ?? ""
        // "Records: 100000  Deleted: 0  Skipped: 0  Warnings: 0"
        let words = info.split(separator: " ")
        func field(_ name: String) -> Int? {
            words.firstIndex(of: Substring(name)).flatMap { $0 + 1 < words.count ? Int(words[$0 + 1]) : nil }
        }
        if try db.warningCount > 0 {
            let w = try db.warnings().joined(separator: "; ")
            throw SyncError.data("table \(table): the columns refused values (\(w))")
        }
        if let records = field("Records:"), records != total {
            throw SyncError.data("table \(table): \(records) \(what) loaded, bundles declare \(total)")
        }
        return field("Deleted:") ?? 0
    }
}

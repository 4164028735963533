import Foundation
import Logging
import MariaDB

/// `[capture] mode = "compare"`: fills the change logs by comparing each synced table with what
/// salesync last exported of it, at each export (docs/capture.md). The till's writes carry
/// nothing of salesync's, not even a binary log; the export reads the table once more instead.
///
/// What was exported is kept per table in `salesync_seen_<id>`: each key and its row's hash
/// (`Database.rowHashSQL`, the state checksum's own), in blocks of 64 keys where the merge
/// compares the table (`SeenBlocks`). A key the table has and the seen table
/// does not was inserted; the other way round, deleted; a different hash, updated. The entries
/// carry the hash they replace, so the export keeps the state checksum without another scan.
/// Comparing, writing the entries and bringing the seen table up to date happen in the export's
/// transaction: a crash anywhere rolls them back with it, and the next export compares again.
struct CompareFeed {
    let conn: MariaDBConnection
    let config: Config
    let logger: Logger

    static func seenTable(_ id: Int) -> String { "salesync_seen_\(id)" }

    /// The seen table a table needs: in blocks where the merge compares it, else a row per key.
    static func seenTableDDL(id: Int, _ schema: TableSchema) -> String {
        guard mergeable(schema) == nil else { return SeenBlocks.ddl(table: seenTable(id)) }
        let keys = schema.keyColumns.enumerated().map { Database.keyColumnDefinition($1, position: $0) }
        return """
            CREATE TABLE IF NOT EXISTS \(quoteIdentifier(seenTable(id))) (
              \(keys.joined(separator: ",\n  ")),
              h BIGINT UNSIGNED NOT NULL,
              PRIMARY KEY (\(Database.keyColumnNames(keys.count)))
            ) ENGINE=InnoDB
            """
    }

    /// Whether capture was set up to compare: a synced table has its seen table.
    static func installed(_ conn: MariaDBConnection) throws -> Bool {
        try !seenTables(conn).isEmpty
    }

    private static func seenTables(_ conn: MariaDBConnection) throws -> [String] {
        try conn.query(
            "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'salesync\\_seen\\_%'"
        ).compactMap { $0[0] }
    }

    /// The synced tables: id, schema, and whether their changes are wanted as entries (not when
    /// the table goes whole at this export, which sends every row anyway).
    private func synced(whole forced: Bool) throws -> [(id: Int, schema: TableSchema, entries: Bool)] {
        try conn.query("SELECT table_id, table_name, snapshot_done FROM salesync_capture ORDER BY table_id").compactMap { r in
            guard let name = r[1], config.database.tables.contains(name) else { return nil }
            let schema = try Database.schema(conn, database: config.database.name, table: name)
            return (Int(r.int(0) ?? 0), schema, r[2] == "1" && !forced)
        }
    }

    /// Starts the mode (`init`): every synced table lacking a seen table gets one, holding the
    /// table as it is now. Changes before now are in the change log (the triggers' or the binary
    /// log's, read after this) or the table goes whole: none is needed again here.
    func start() throws -> [String] {
        var report: [String] = []
        let have = Set(try Self.seenTables(conn))
        for t in try synced(whole: true) where !have.contains(Self.seenTable(t.id)) {
            try conn.execute(Self.seenTableDDL(id: t.id, t.schema))
            try transaction { _ = try compare(t.id, t.schema, entries: false, oldKnown: false) }
            report.append("capture on \(t.schema.name) compares it with what was exported (\(Self.seenTable(t.id)))")
        }
        return report
    }

    /// Compares every synced table inside the caller's transaction (an export's snapshot, or a
    /// rejoin's): entries into the change logs, the seen tables brought up to date.
    /// `whole`: every table goes whole (`export --snapshot`), so no entries. `oldKnown: false`
    /// makes the entries leave the old row unknown (the state then comes from the table).
    /// `direct` (an export's own comparison): a table the merge compares and whose change log
    /// holds nothing pending is not compared here but returned, for the export to compare while
    /// it builds the bundles, sending each difference as found (`ComparedTable`): writing them
    /// down to read them back by key was most of its time.
    @discardableResult
    func feed(
        whole: Bool = false, entries: Bool = true, oldKnown: Bool = true, direct: Bool = false, shouldStop: () -> Bool = { false }
    ) throws -> [Int: ComparedTable] {
        var found = 0
        var deferred: [Int: ComparedTable] = [:]
        for t in try synced(whole: whole) {
            let wanted = entries && t.entries
            if direct && wanted, let hasher = Self.mergeable(t.schema), try !logPending(t.id) {
                deferred[t.id] = ComparedTable(feed: self, id: t.id, schema: t.schema, hasher: hasher)
                continue
            }
            found += try compare(t.id, t.schema, entries: wanted, oldKnown: oldKnown, shouldStop: shouldStop)
        }
        if found > 0 { logger.info("\(found) changed row(s) found by comparing with the last export") }
        return deferred
    }

    /// Whether a table's change log holds what an export must read: entries past its watermark
    /// (another capture's, before a switch of mode) or holes.
    private func logPending(_ id: Int) throws -> Bool {
        guard
            let r = try conn.query(
                "SELECT watermark, EXISTS (SELECT 1 FROM salesync_holes WHERE table_id = ?) FROM salesync_capture WHERE table_id = ?",
                [.int(Int64(id)), .int(Int64(id))]
            ).first
        else { return true }
        return try r[1] == "1" || Exporter.pendingEntries(conn, table: id, watermark: r.uint(0) ?? 0) > 0
    }

    /// Leaves the mode (`init` to another): what changed since the last export goes into the
    /// change logs (the old rows unknown: the new capture may have logged some of it already),
    /// then the seen tables go. Call it once the new capture runs, so nothing falls in between.
    func stop() throws -> [String] {
        guard try Self.installed(conn) else { return [] }
        try catchUp()
        for name in try Self.seenTables(conn) { try conn.execute("DROP TABLE IF EXISTS \(quoteIdentifier(name))") }
        return ["capture no longer compares tables with what was exported"]
    }

    /// `feed` in a transaction of its own (a rejoin's first step reads the branch's changes).
    func catchUp() throws {
        try transaction { try feed(oldKnown: false) }
    }

    /// `body` in a REPEATABLE READ transaction: both reads of a comparison see one snapshot.
    private func transaction(_ body: () throws -> Void) throws {
        try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try conn.transaction(body)
    }
}

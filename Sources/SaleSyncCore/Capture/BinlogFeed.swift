import Foundation
import Logging
import MariaDB

/// `[capture] mode = "binlog"`: fills the change logs from the server's binary log instead of
/// triggers, at each export (docs/capture.md). The till's writes carry nothing of salesync's;
/// the export then works exactly as with triggers, from the change logs.
///
/// Each committed transaction's row events on synced tables become change-log entries (the
/// keys; `nh = 1`: the old row is not kept, so the export takes the state from the table). The
/// entries and the new position commit together: a crash anywhere re-reads from the old position,
/// and an entry read twice only sends a row's current image twice.
struct BinlogFeed {
    let conn: MariaDBConnection
    let config: Config
    let logger: Logger

    /// What the mode needs of the server, and why (checked by `init` and every export).
    static let required: [(variable: String, value: String, why: String)] = [
        ("log_bin", "1", "the binary log is what salesync reads"),
        ("binlog_format", "ROW", "changes must be logged as rows, with their keys"),
        ("binlog_row_image", "FULL", "a row's key must be in every image"),
        ("binlog_row_metadata", "FULL", "salesync finds the key columns by name"),
        ("sync_binlog", "1", "without it a power cut can lose changes the table kept"),
    ]

    /// The settings that are not as the mode needs, one line each.
    static func problems(_ found: [String: String]) -> [String] {
        required.compactMap { r in
            let v = found[r.variable] ?? "?"
            return v.uppercased() == r.value ? nil : "\(r.variable) is \(v), expected \(r.value) (\(r.why))"
        }
    }

    /// Refuses a server or a table the mode cannot capture from, saying what to change.
    func check(_ schemas: [TableSchema]) throws {
        let names = Self.required.map(\.variable)
        let row = try conn.query("SELECT " + names.map { "@@" + $0 }.joined(separator: ", ")).first
        let found = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, row?[$0] ?? "?") })
        let problems = Self.problems(found)
        if !problems.isEmpty {
            throw SyncError.config(
                "\(config.path): capture.mode = \"binlog\" needs the server's binary log: \(problems.joined(separator: "; ")). Set them in the server's configuration and restart it, or use mode = \"triggers\""
            )
        }
        try Capture.refuseUnreadableKeys(schemas, config: config)
    }

    /// Where the change logs stand in the binary log; nil when the mode was never started.
    func saved() throws -> BinlogPosition? {
        try conn.query("SELECT file, pos FROM salesync_binlog WHERE id = 1").first.map {
            BinlogPosition(file: $0[0] ?? "", offset: $0.uint(1) ?? 0)
        }
    }

    /// Records `position` as read (in the caller's transaction, if any).
    func save(_ position: BinlogPosition) throws {
        try conn.execute(
            "INSERT INTO salesync_binlog (id, file, pos) VALUES (1, ?, ?) ON DUPLICATE KEY UPDATE file = VALUES(file), pos = VALUES(pos)",
            [.text(position.file), .uint(position.offset)])
    }

    /// The binary log position of the current consistent snapshot (or of now, outside one): it
    /// holds exactly the transactions the snapshot sees. Needs no privilege, unlike SHOW MASTER STATUS.
    func snapshotPosition() throws -> BinlogPosition {
        let rows = try conn.query("SHOW STATUS LIKE 'binlog_snapshot_%'")
        let v = Dictionary(rows.map { (($0[0] ?? "").lowercased(), $0[1] ?? "") }) { a, _ in a }
        guard let file = v["binlog_snapshot_file"], !file.isEmpty, let pos = UInt64(v["binlog_snapshot_position"] ?? "") else {
            throw SyncError.config("\(config.path): capture.mode = \"binlog\": the server keeps no binary log (log_bin is off)")
        }
        return BinlogPosition(file: file, offset: pos)
    }

    /// Starts the mode: reading begins at the binary log's current end. Nothing before it is
    /// needed: a table's first export (and every table's after a restart) sends it whole.
    func start() throws {
        try conn.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        let here = try snapshotPosition()
        try conn.commit()
        try save(here)
        logger.notice("capture reads the binary log from \(here)")
    }

    /// Reads the binary log from the saved position to its end into the change logs, in one
    /// transaction with the new position.
    func catchUp(shouldStop: () -> Bool = { false }) throws {
        guard let from = try saved() else { return }
        let tables = try synced()
        try conn.begin()
        do {
            var writer = ChangeLogWriter(conn: conn)
            let end = try read(from: from, to: nil, tables, shouldStop: shouldStop) { try writer.add($0) }
            try writer.flush()
            try markWhole(end.unreadable)
            try save(end.position)
            faultPoint("binlog-fed-before-commit")
            try conn.commit()
            if writer.written > 0 { logger.info("\(writer.written) change(s) read from the binary log, up to \(end.position)") }
        } catch let e as MariaDBError where e.code == MariaDBError.Code.binlogUnreadable {
            try? conn.rollback()
            try restartWhole(because: e)
        } catch {
            try? conn.rollback()
            throw error
        }
    }

    /// Inside an export's snapshot: reads the binary log up to the snapshot's own position into
    /// the change logs, in the export's transaction. The change logs then hold exactly the changes
    /// the snapshot sees, however fast the till writes, and the entries, the position and the
    /// export commit (or roll back) together.
    func feedSnapshot() throws {
        guard let from = try saved() else { return }
        let to = try snapshotPosition()
        guard to > from else { return }
        do {
            var writer = ChangeLogWriter(conn: conn)
            let end = try read(from: from, to: to, try synced()) { try writer.add($0) }
            try writer.flush()
            try markWhole(end.unreadable)
        } catch let e as MariaDBError where e.code == MariaDBError.Code.binlogUnreadable {
            logUnreadable(e)
            try conn.execute("UPDATE salesync_capture SET snapshot_done = 0")
        }
        try save(to)
    }

    /// The synced tables' ids and key columns, by name.
    private func synced() throws -> [String: (id: Int, keys: [String])] {
        var out: [String: (id: Int, keys: [String])] = [:]
        for r in try conn.query("SELECT table_id, table_name FROM salesync_capture") {
            guard let name = r[1], config.database.tables.contains(name) else { continue }
            let schema = try Database.schema(conn, database: config.database.name, table: name)
            out[name] = (Int(r.int(0) ?? 0), schema.keyColumns.map(\.name))
        }
        return out
    }

    /// Where a read ended (a transaction boundary) and the tables it could not follow.
    struct ReadEnd {
        var position: BinlogPosition
        var unreadable: Set<Int> = []
    }

    /// Reads committed transactions from `from` to `to` (nil: the log's end) and hands over the
    /// entries of each, except those of salesync's own quiet transactions.
    private func read(
        from: BinlogPosition, to: BinlogPosition?, _ tables: [String: (id: Int, keys: [String])],
        shouldStop: () -> Bool = { false }, _ take: (ChangeLogEntry) throws -> Void
    ) throws -> ReadEnd {
        let connection = try MariaDBConnection(conn.options)
        defer { connection.close() }
        let reader: BinlogReader
        do {
            reader = try BinlogReader(connection, from: from, serverID: UInt32.random(in: 0x4000_0000...0x7FFF_FFFF))
        } catch let e as MariaDBError where e.code == MariaDBError.Code.privilegeNeeded || e.code == MariaDBError.Code.databaseAccessDenied
        {
            throw SyncError.config(
                "\(config.path): capture.mode = \"binlog\": user \(config.database.user) may not read the binary log (\(e.message)); GRANT REPLICATION SLAVE ON *.* TO it"
            )
        }
        defer { reader.close() }
        var end = ReadEnd(position: from)
        var transaction = BinlogTransaction()
        while let event = try reader.next(wanted: { wanted($0, $1, $2, tables, &end.unreadable) }) {
            switch event {
            case .begin:
                // The previous transaction ended without a commit event (DDL, or tables without
                // transactions): this one's start is a boundary, and may be where to stop.
                try transaction.end(take)
                end.position = reader.eventStart
                if let to, end.position >= to { return end }
                transaction.open = true
            case .rows(let rows):
                if rows.table == "salesync_binlog" {
                    transaction.quiet = true
                    try Self.refuseRewound(rows, from: from)
                }
                if let id = tables[rows.table]?.id { try transaction.add(rows, table: id, take) }
            case .commit:
                try transaction.end(take)
                end.position = reader.position
                if let to, end.position >= to { return end }
                if shouldStop() { return end }
            case .other:
                if !transaction.open { end.position = reader.position }
            }
        }
        try transaction.end(take)
        end.position = reader.position
        return end
    }

    /// Which columns of a table's row events to decode: a synced table's keys, found by name;
    /// `salesync_binlog`'s position (its writes mark salesync's own transactions). A synced table
    /// whose keys are not all named is unreadable (it goes whole).
    private func wanted(
        _ database: String, _ table: String, _ names: [String], _ tables: [String: (id: Int, keys: [String])],
        _ unreadable: inout Set<Int>
    ) -> [Int]? {
        guard database == config.database.name else { return nil }
        if table == "salesync_binlog" {
            let columns = ["file", "pos"].compactMap { names.firstIndex(of: $0) }
            return columns.count == 2 ? columns : []
        }
        guard let t = tables[table] else { return nil }
        let indexes = t.keys.compactMap { names.firstIndex(of: $0) }
        guard indexes.count == t.keys.count else {
            unreadable.insert(t.id)
            logger.warning(
                "table \(table): its key columns are not in the binary log's row events (renamed, or binlog_row_metadata was not FULL): it is sent whole"
            )
            return nil
        }
        return indexes
    }

    /// The database went back in time (restored from a backup) while the binary log went on: the
    /// log then holds changes this database no longer has (the lost days), and reading them would
    /// send those keys' restored rows as the branch's own changes, which `salesync rejoin` would
    /// let win over the head office's. The sign: after the position this database holds, the log
    /// shows salesync recording a later one. Refused, with what to do (`init` starts reading anew).
    struct Rewound: Error, CustomStringConvertible {
        let from: BinlogPosition
        let seen: BinlogPosition
        var description: String {
            "this database was restored from a backup (capture stood at \(from) in the binary log, which shows it reached \(seen) before): run salesync init now, before the till sells again; it reads the binary log from then on (docs/capture.md)"
        }
    }

    static func refuseRewound(_ rows: BinlogRows, from: BinlogPosition) throws {
        let written = rows.kind == .update ? stride(from: 1, to: rows.images.count, by: 2).map { rows.images[$0] } : rows.images
        for image in written where image.count == 2 {
            guard case .bytes(let file) = image[0] else { continue }
            let pos: UInt64
            switch image[1] {
            case .uint(let p): pos = p
            case .int(let p): pos = UInt64(max(p, 0))
            default: continue
            }
            let seen = BinlogPosition(file: String(decoding: file, as: UTF8.self), offset: pos)
            if seen > from { throw Rewound(from: from, seen: seen) }
        }
    }

    /// The tables the binary log could not follow go whole at the next export.
    private func markWhole(_ ids: Set<Int>) throws {
        for id in ids { try conn.execute("UPDATE salesync_capture SET snapshot_done = 0 WHERE table_id = ?", [.int(Int64(id))]) }
    }

    /// The saved position can no longer be read (its file was purged before an export read it,
    /// or the server's log was reset): changes may be missing, so every table goes whole, and
    /// reading starts again at the log's end.
    private func restartWhole(because e: MariaDBError) throws {
        logUnreadable(e)
        try conn.execute("UPDATE salesync_capture SET snapshot_done = 0")
        try start()
    }

    private func logUnreadable(_ e: MariaDBError) {
        logger.error(
            "the binary log cannot be read from where capture stood (\(e.message)): every table is sent whole at this export; keep binary logs longer than the time between exports (binlog_expire_logs_seconds)"
        )
    }
}

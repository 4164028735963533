import Crypto
import Foundation
import Logging
import MariaDB

/// Turns a branch's captured changes into bundle files in the outbox.
///
/// One export reads everything in one consistent snapshot (REPEATABLE READ): the change-log
/// entries visible in it and, for each changed key, the row as it is in that snapshot. Bundle
/// files are made durable first, then the watermark, holes and bundle records commit in one
/// transaction, then the files get their final names. A crash at any point either leaves no
/// trace (temporary files are removed on the next run) or is completed by `recover()`.
public final class Exporter {
    let config: Config
    let conn: MariaDBConnection
    let key: Curve25519.Signing.PrivateKey
    let logger: Logger

    public init(config: Config, connection: MariaDBConnection, key: Curve25519.Signing.PrivateKey, logger: Logger) {
        self.config = config
        self.conn = connection
        self.key = key
        self.logger = logger
    }

    /// File name of bundle `seq`: safe on FAT (no colons, fixed case, sorts in sequence order).
    public static func fileName(site: String, sequence: UInt64) -> String {
        "\(site.lowercased())-\(String(sequence).leftPadded(to: 12)).ssb"
    }

    /// Finishes what a crashed export left: committed bundles still under their temporary
    /// name get their final name; temporary files of uncommitted exports are removed.
    public func recover() throws {
        try ensureDirectory(config.outboxDir)
        let open = try conn.query("SELECT seq, file, sha256 FROM salesync_bundles WHERE status <> ? ORDER BY seq", [BundleStatus.acked.sql])
        var known = Set<String>()
        var lost: [UInt64] = []
        for r in open {
            let file = r[1] ?? ""
            known.insert(file)
            let final = config.outboxDir + "/" + file
            if FileManager.default.fileExists(atPath: final) { continue }
            let tmp = final + ".tmp"
            guard FileManager.default.fileExists(atPath: tmp) else {
                lost.append(r.uint(0) ?? 0)
                continue
            }
            let recorded = r[2] ?? ""
            let f = try BundleFile(path: tmp)
            guard f.sha256 == recorded else {
                throw SyncError.other("bundle \(tmp) does not match its record (sha256 \(f.sha256), recorded \(recorded))")
            }
            try renameDurably(from: tmp, to: final)
            logger.info("recovered bundle after a crash", metadata: ["bundle": "\(file)"])
        }
        if let first = lost.min() { try stateLost(from: first) }
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: config.outboxDir)) ?? []
        for e in entries where e.hasSuffix(".ssb.tmp") {
            let final = String(e.dropLast(4))
            if !known.contains(final) {
                try? FileManager.default.removeItem(atPath: config.outboxDir + "/" + e)
                logger.info("removed an uncommitted bundle left by a crashed export", metadata: ["file": "\(e)"])
            }
        }
    }

    /// Exports all changes since the watermark (or, with `snapshot` or on a table's first
    /// export, its whole content). Returns the bundles written, none when nothing changed.
    /// `prune: false` leaves the exported change-log entries for `pruneLogs` to delete later (the
    /// `run` command does it beside the drain, which mostly waits on the network).
    public func run(
        snapshot forceSnapshot: Bool = false, prune: Bool = true, shouldStop: @escaping () -> Bool = { false },
        progress: ((Int) -> Void)? = nil
    ) throws -> [ExportedBundle] {
        try recover()
        let feed = try captureFeed()
        try followSchemaChanges()
        // Taken before the snapshot: which transactions were open then (see saveHoles).
        let open = try openTransactions()
        try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        let compared = try beginSnapshot(feed, whole: forceSnapshot, shouldStop: shouldStop)
        do {
            let result = try exportInTransaction(
                forceSnapshot: forceSnapshot, openTransactions: open, compared: compared, shouldStop: shouldStop, progress: progress)
            faultPoint("export-before-commit")
            try conn.commit()
            faultPoint("export-after-commit")
            for b in result {
                try renameDurably(from: config.outboxDir + "/" + b.file + ".tmp", to: config.outboxDir + "/" + b.file)
            }
            if prune { try pruneLogs() }
            return result
        } catch {
            try? conn.rollback()
            // Bundles of a rolled-back export were never recorded: remove them now.
            try? recover()
            throw error
        }
    }

    /// The capture feed that fills the change logs at each export, when triggers do not: the
    /// binary log's reader or the comparison. The mode the database was set up for must be the
    /// configured one: `init` switches it (the new capture started, then the old one read up to
    /// the switch), an export alone would lose the changes between.
    func captureFeed() throws -> CaptureFeed? {
        guard config.role == .branch else { return nil }
        let binlog = BinlogFeed(conn: conn, config: config, logger: logger)
        let setUp: CaptureMode = try binlog.saved() != nil ? .binlog : (try CompareFeed.installed(conn) ? .compare : .triggers)
        if setUp != config.captureMode {
            throw SyncError.config(
                "\(config.path): capture.mode is \"\(config.captureMode.rawValue)\" but capture was set up for \"\(setUp.rawValue)\"; run salesync init to switch"
            )
        }
        switch setUp {
        case .triggers: return nil
        case .binlog:
            try binlog.check([])
            return .binlog(binlog)
        case .compare: return .compare(CompareFeed(conn: conn, config: config, logger: logger))
        }
    }

    /// Starts the export's consistent snapshot, with the change logs holding exactly the changes
    /// the snapshot sees (its rows, and the state taken from the table). Reading the binary
    /// log: the backlog first, on its own transaction, then the rest up to the snapshot's own
    /// position inside the export's transaction, which sees its own writes. Comparing: inside it;
    /// returns the tables whose differences go to the bundles as they are (`ComparedTable`).
    private func beginSnapshot(_ feed: CaptureFeed?, whole: Bool, shouldStop: () -> Bool) throws -> [Int: ComparedTable] {
        do {
            if case .binlog(let binlog) = feed { try binlog.catchUp(shouldStop: shouldStop) }
            try conn.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
            do {
                switch feed {
                case .binlog(let binlog): try binlog.feedSnapshot()
                case .compare(let compare): return try compare.feed(whole: whole, direct: true, shouldStop: shouldStop)
                case nil: break
                }
                return [:]
            } catch {
                try? conn.rollback()
                throw error
            }
        } catch let e as BinlogFeed.Rewound {
            throw SyncError.data("\(config.path): \(e)")
        }
    }

    /// Bundles recorded in the database but gone from disk: `state_dir` was lost (or wiped) and
    /// the database kept. Their changes cannot be read again (the change log let them go), but the
    /// database is whole: from the first lost bundle on, the branch sends every table whole (a
    /// snapshot, which replaces the head office's copy), under the lost bundle's number. If the
    /// head office had applied that number, it sees the branch went back; `salesync rejoin` then
    /// keeps the branch's database as it is (`salesync_state_lost`).
    func stateLost(from first: UInt64) throws {
        guard config.role == .branch else {
            throw SyncError.other("bundle \(first) is recorded but missing from \(config.outboxDir)")
        }
        let dropped = try conn.transaction {
            try conn.execute("UPDATE salesync_capture SET snapshot_done = 0")
            try conn.execute("INSERT IGNORE INTO salesync_state_lost (first_seq, found_at) VALUES (?, NOW(6))", [.uint(first)])
            return try Self.dropUnacknowledged(conn, from: first)
        }
        Self.removeFromOutbox(config, dropped)
        logger.error(
            "bundles from \(first) on are recorded but gone from \(config.outboxDir) (state_dir lost?): the database is whole, so the next export sends every table whole"
        )
    }

    /// Regenerates the capture of every table whose columns changed since its triggers were made
    /// (outside the snapshot: trigger DDL commits, and waits for writers of the old shape to finish).
    func followSchemaChanges() throws {
        for r in try conn.query("SELECT table_id, table_name FROM salesync_capture") {
            guard let name = r[1], config.database.tables.contains(name) else { continue }
            let schema = try Database.schema(conn, database: config.database.name, table: name)
            if try Capture.follow(conn, id: Int(r.int(0) ?? 0), schema: schema, config: config) {
                logger.notice(
                    "table \(name) changed shape: capture follows its columns",
                    metadata: ["fingerprint": "\(schema.fingerprint.prefix(12))"])
            }
        }
    }

    /// The transactions open on the server other than ours, as seen just before the snapshot.
    func openTransactions() throws -> OpenTransactions {
        do {
            let r = try conn.query(
                """
                SELECT MIN(trx_started) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID()
                """)
            return r.first?[0].map { .since($0) } ?? .none
        } catch let e as MariaDBError where e.code == MariaDBError.Code.privilegeNeeded {
            return .unknown
        }
    }

    /// The export proper, inside the consistent snapshot: every table's rows into bundles,
    /// then the watermarks and bundle records.
    private func exportInTransaction(
        forceSnapshot: Bool, openTransactions: OpenTransactions, compared: [Int: ComparedTable],
        shouldStop: @escaping () -> Bool, progress: ((Int) -> Void)?
    ) throws -> [ExportedBundle] {
        let tables = try Capture.tables(conn, config: config)
        let now = try conn.query("SELECT DATE_FORMAT(NOW(6), '%Y-%m-%dT%H:%i:%s.%fZ'), NOW(6)").first
        let snapshotTime = now?[1] ?? ""
        let (last, epoch) = try Self.numbering(conn, role: config.role)
        let isSnapshot = forceSnapshot || tables.contains { !$0.snapshotDone }
        var run = ExportRun(
            builder: BundleBuilder(
                exporter: self, created: now?[0] ?? isoNow(), kind: isSnapshot ? .snapshot : .changes,
                firstSequence: last + 1, epoch: epoch),
            snapshotTime: snapshotTime, openTransactions: openTransactions, compared: compared, shouldStop: shouldStop,
            progress: progress)
        defer { run.builder.workers.settle() }
        var exported: [(StateChecksum, TableSchema, CapturedTable)] = []
        for t in tables {
            if let done = try export(t, snapshot: forceSnapshot || !t.snapshotDone, &run) { exported.append(done) }
        }
        guard !exported.isEmpty else { return [] }
        let bundles = try run.builder.finish(states: exported.map { ($0.1, $0.0) })
        try record(tables: exported.map(\.2), bundles: bundles)
        return bundles
    }

    /// The last bundle's sequence and the epoch: after a rejoin the branch numbers on from the
    /// head office's last applied bundle, in the rejoin's epoch (docs/operations.md).
    static func numbering(_ conn: MariaDBConnection, role: Role) throws -> (last: UInt64, epoch: UInt64?) {
        let last = try conn.query("SELECT COALESCE(MAX(seq), 0) FROM salesync_bundles").first?.uint(0) ?? 0
        guard role == .branch,
            let r = try conn.query("SELECT epoch, base_seq FROM salesync_rejoins ORDER BY epoch DESC LIMIT 1").first
        else { return (last, nil) }
        return (max(last, r.uint(1) ?? 0), r.uint(0))
    }

    /// What one export carries from table to table.
    struct ExportRun {
        var builder: BundleBuilder
        let snapshotTime: String
        let openTransactions: OpenTransactions
        /// Tables whose differences a comparison found and the export sends as they are.
        let compared: [Int: ComparedTable]
        let shouldStop: () -> Bool
        let progress: ((Int) -> Void)?
        var rows = 0

        /// Counts a row; every few thousand, reports progress and gives up if the run must stop
        /// (the export's transaction rolls back: nothing is exported, the next run starts over).
        mutating func counted() throws {
            rows += 1
            guard rows % 4096 == 0 else { return }
            if rows % 49_152 == 0 { progress?(rows) }
            if shouldStop() {
                throw SyncError.temporary(
                    "export stopped after \(rows) rows (\(StopSignal.requested ? "stop signal" : "deadline reached")); nothing was exported, the next run exports again"
                )
            }
        }
    }

    /// Exports one table: its change-log entries and their rows (or, for a snapshot, all its
    /// rows). Returns its new state, or nil when it had nothing to export.
    private func export(
        _ table: CapturedTable, snapshot: Bool, _ run: inout ExportRun
    ) throws -> (StateChecksum, TableSchema, CapturedTable)? {
        var t = table
        let schema = try Database.schema(conn, database: config.database.name, table: t.name)
        // The table's shape changed since its last export (docs/schema-changes.md): its rows now
        // hash differently, so this export takes the state from the table itself.
        let reshaped = schema.fingerprint != t.fingerprint
        // Copies of old rows are named only in a log that holds them for this shape (`follow`
        // made it so before the snapshot; should it not have, the old rows count as unknown).
        let images = try Capture.imagesCurrent(conn, id: t.id, schema: schema)
        if reshaped {
            guard try images && Capture.triggersCurrent(conn, id: t.id, schema: schema, mode: config.captureMode) else {
                throw Self.altered(t.name)
            }
            t.fingerprint = schema.fingerprint
        }
        let oldRow = OldRowSQL(schema, images: images)
        try conn.execute("SET @salesync_w = ?, @salesync_tid = ?", [.uint(t.watermark), .int(Int64(t.id))])
        // 1. The change-log entries this export consumes, and the holes left among them.
        let scan = try scanLog(t, oldRow, snapshotTime: run.snapshotTime, gatherKeys: !snapshot && Self.hasIntegerKey(schema))
        // Or the table compared now, its differences sent as found, with nothing in the log
        // (`CompareFeed.feed`): its section is begun at the first difference.
        var sent: (rowDelta: Int64, added: UInt64, removed: UInt64)?
        if !snapshot, let compared = run.compared[t.id] {
            guard compared.schema.fingerprint == schema.fingerprint else { throw Self.altered(t.name) }
            sent = try compared.send(&run, logFrom: scan.logFrom, logTo: scan.logTo)
        }
        if !snapshot && scan.entries == 0 && sent == nil && !reshaped {
            try saveHoles(t, scan.holes, openTransactions: run.openTransactions)
            return nil
        }
        // 2. The rows: the whole table for a snapshot, else the current image of each changed key.
        if snapshot {
            run.builder.beginTable(schema, logFrom: scan.logFrom, logTo: scan.logTo, reset: true)
            (t.rows, t.hash) = try snapshotRows(t, schema, &run)
        } else {
            var (added, removed, delta) = (UInt64(0), UInt64(0), scan.rowDelta)
            if let sent {
                (delta, added, removed) = sent
            } else {
                run.builder.beginTable(schema, logFrom: scan.logFrom, logTo: scan.logTo, reset: false)
                (added, removed) = try changedRows(t, schema, scan, oldRow, &run)
            }
            if reshaped || scan.oldHashUnknown {
                (t.rows, t.hash) = try Database.contentState(conn, schema)
            } else {
                t.rows += delta
                t.hash = t.hash &+ added &- removed
            }
        }
        t.watermark = max(t.watermark, scan.logTo)
        t.snapshotDone = true
        if Self.hasIntegerKey(schema) {
            let key = quoteIdentifier(schema.keyColumns[0].name)
            t.keyHigh = try conn.query("SELECT MAX(\(key)) FROM \(quoteIdentifier(t.name))").first?.int(0)
        }
        try saveHoles(t, scan.holes, openTransactions: run.openTransactions)
        return (StateChecksum(rows: t.rows, hash: t.hash), schema, t)
    }

    /// A table's shape changed under a running export: it gives up, and the next run starts over.
    static func altered(_ table: String) -> SyncError {
        .temporary("table \(table) was altered during the export; nothing was exported, the next run exports again")
    }

    /// The new watermarks and states, and a record per bundle written (in the export's transaction).
    private func record(tables: [CapturedTable], bundles: [ExportedBundle]) throws {
        for t in tables {
            try conn.execute(
                """
                UPDATE salesync_capture SET watermark = ?, snapshot_done = 1, state_rows = ?, state_hash = ?, fingerprint = ? WHERE table_id = ?
                """, [.uint(t.watermark), .int(t.rows), .uint(t.hash), .text(t.fingerprint), .int(Int64(t.id))])
        }
        let highs = Dictionary(uniqueKeysWithValues: tables.compactMap { t in t.keyHigh.map { (t.name, $0) } })
        let highsJSON: SQLValue = highs.isEmpty ? .null : .text(String(decoding: try JSONEncoder().encode(highs), as: UTF8.self))
        for b in bundles {
            try conn.execute(
                """
                INSERT INTO salesync_bundles (seq, file, sha256, bytes, row_count, created_at, status, key_highs)
                VALUES (?, ?, ?, ?, ?, NOW(6), ?, ?)
                """,
                [
                    .uint(b.sequence), .text(b.file), .text(b.sha256), .int(Int64(b.bytes)), .int(Int64(b.rows)), BundleStatus.pending.sql,
                    highsJSON,
                ])
            logger.info(
                "bundle written",
                metadata: [
                    "branch": "\(config.site)", "seq": "\(b.sequence)",
                    "rows": "\(b.rows)", "bytes": "\(b.bytes)",
                ])
        }
    }
}

import Crypto
import Foundation
import Logging
import MariaDB

/// One bundle written by an export.
public struct ExportedBundle: Sendable {
    public let sequence: UInt64
    public let file: String
    public let rows: Int
    public let bytes: Int
    public let sha256: String
}

/// Turns a branch's captured changes into bundle files in the outbox.
///
/// One export reads everything in one consistent snapshot (REPEATABLE READ): the change-log
/// entries visible in it and, for each changed key, the row as it is in that snapshot. Bundle
/// files are made durable first, then the watermark, holes and bundle records commit in one
/// transaction, then the files get their final names. A crash at any point either leaves no
/// trace (temporary files are removed on the next run) or is completed by `recover()`.
public final class Exporter {
    let config: Config
    let conn: Connection
    let key: Curve25519.Signing.PrivateKey
    let logger: Logger

    public init(config: Config, connection: Connection, key: Curve25519.Signing.PrivateKey, logger: Logger) {
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
        let open = try conn.query("SELECT seq, file, sha256 FROM salesync_bundles WHERE status <> 'acked' ORDER BY seq")
        var known = Set<String>()
        for r in open {
            let file = r[1] ?? ""
            known.insert(file)
            let final = config.outboxDir + "/" + file
            if FileManager.default.fileExists(atPath: final) { continue }
            let tmp = final + ".tmp"
            guard FileManager.default.fileExists(atPath: tmp) else {
                throw SyncError.other("bundle \(file) is recorded as \(r[0] ?? "?") but missing from \(config.outboxDir)")
            }
            let recorded = r[2] ?? ""
            let f = try BundleFile(path: tmp)
            guard f.sha256 == recorded else {
                throw SyncError.other("bundle \(tmp) does not match its record (sha256 \(f.sha256), recorded \(recorded))")
            }
            try renameDurably(from: tmp, to: final)
            logger.info("recovered bundle after a crash", metadata: ["bundle": "\(file)"])
        }
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
    public func run(snapshot forceSnapshot: Bool = false, progress: ((Int) -> Void)? = nil) throws -> [ExportedBundle] {
        try recover()
        // Taken before the snapshot: which transactions were open then (see settleHoles).
        let oldestOpen = try oldestOpenTransaction()
        try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        try conn.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        do {
            let result = try exportInTransaction(forceSnapshot: forceSnapshot, oldestOpen: oldestOpen, progress: progress)
            faultPoint("export-before-commit")
            try conn.commit()
            faultPoint("export-after-commit")
            for b in result {
                try renameDurably(from: config.outboxDir + "/" + b.file + ".tmp", to: config.outboxDir + "/" + b.file)
            }
            try pruneLogs()
            return result
        } catch {
            try? conn.rollback()
            // Bundles of a rolled-back export were never recorded: remove them now.
            try? recover()
            throw error
        }
    }

    /// Start time of the oldest transaction open on the server other than ours, as the
    /// server's text; "" when none; nil when it cannot be known (no PROCESS privilege).
    func oldestOpenTransaction() throws -> String?? {
        do {
            let r = try conn.query("""
                SELECT MIN(trx_started) FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id <> CONNECTION_ID()
                """)
            return .some(r.first?[0] ?? "")
        } catch let e as MariaDBError where e.code == 1227 {
            return .some(nil)
        }
    }

    private func exportInTransaction(forceSnapshot: Bool, oldestOpen: String??, progress: ((Int) -> Void)?) throws -> [ExportedBundle] {
        let tables = try Capture.tables(conn, config: config)
        let now = try conn.query("SELECT DATE_FORMAT(NOW(6), '%Y-%m-%dT%H:%i:%s.%fZ'), NOW(6)").first!
        let created = now[0] ?? isoNow()
        let snapshotTime = now[1] ?? ""
        let nextSeq = UInt64(try conn.query("SELECT COALESCE(MAX(seq), 0) + 1 FROM salesync_bundles").first?.uint(0) ?? 1)
        let isSnapshot = forceSnapshot || tables.contains { !$0.snapshotDone }
        var builder = BundleBuilder(exporter: self, created: created, kind: isSnapshot ? "snapshot" : "changes",
                                    firstSequence: nextSeq)
        var finalStates: [(TableState, TableSchema, Capture.TableState)] = []
        var totalRows = 0

        for var t in tables {
            let schema = try Database.schema(conn, database: config.database.name, table: t.name)
            guard schema.fingerprint == t.fingerprint else {
                throw SyncError.config("table \(t.name) changed shape since salesync init; run salesync init again after exporting")
            }
            let snapshotThis = forceSnapshot || !t.snapshotDone
            try conn.execute("SET @salesync_w = ?, @salesync_tid = ?", [.uint(t.watermark), .int(Int64(t.id))])
            // 1. The change-log entries this export consumes, and the holes left among them.
            let scan = try scanLog(t, snapshotTime: snapshotTime)
            if !snapshotThis && scan.entries == 0 {
                try saveHoles(t, scan.holes, oldestOpen: oldestOpen)
                continue
            }
            builder.beginTable(schema, logFrom: scan.logFrom, logTo: scan.logTo, reset: snapshotThis)
            // 2. The rows: the whole table for a snapshot, else the current image of each changed key.
            let cols = schema.columns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
            let table = quoteIdentifier(t.name)
            let keyCount = schema.keyIndexes.count
            if snapshotThis {
                // The row hashes come with the rows: one scan gives both the bundle and the state.
                let order = schema.keyColumns.map { "t." + quoteIdentifier($0.name) }.joined(separator: ", ")
                let hashSQL = Database.rowHashSQL(schema) { "t.\($0)" }
                let n = schema.columns.count
                var rows: Int64 = 0
                var hash: UInt64 = 0
                try conn.stream("SELECT \(cols), \(hashSQL) FROM \(table) t ORDER BY \(order)") { row in
                    try builder.upsert(row)
                    rows += 1
                    if let h = row.bytes(n) { hash = hash &+ wrappingUInt64(digits: h) }
                    totalRows += 1
                    if totalRows % 50_000 == 0 { progress?(totalRows) }
                }
                t.rows = rows
                t.hash = hash
            } else {
                let log = quoteIdentifier(t.logTable)
                let kcols = (1...keyCount).map { "k.`k\($0)`" }
                let join = schema.keyColumns.enumerated().map { i, c in "t.\(quoteIdentifier(c.name)) = k.`k\(i + 1)`" }
                let firstKey = quoteIdentifier(schema.keyColumns[0].name)
                try conn.stream("""
                    SELECT \(cols), t.\(firstKey) IS NULL, \(kcols.joined(separator: ", "))
                    FROM (SELECT DISTINCT \((1...keyCount).map { "`k\($0)`" }.joined(separator: ", "))
                          FROM \(log) l WHERE \(Self.pendingCondition)) k
                    LEFT JOIN \(table) t ON \(join.joined(separator: " AND "))
                    ORDER BY \(kcols.joined(separator: ", "))
                    """) { row in
                    if row.bytes(schema.columns.count)?.first == UInt8(ascii: "1") {
                        try builder.delete(row, keyOffset: schema.columns.count + 1)
                    } else {
                        try builder.upsert(row)
                    }
                    totalRows += 1
                    if totalRows % 50_000 == 0 { progress?(totalRows) }
                }
                t.rows += scan.rowDelta
                t.hash = t.hash &+ scan.hashAdded &- scan.hashRemoved
            }
            builder.endTable()
            t.watermark = max(t.watermark, scan.logTo)
            t.snapshotDone = true
            try saveHoles(t, scan.holes, oldestOpen: oldestOpen)
            finalStates.append((TableState(rows: t.rows, hash: t.hash), schema, t))
        }
        guard !finalStates.isEmpty else { return [] }
        let bundles = try builder.finish(states: finalStates.map { ($0.1, $0.0) })
        for (_, _, t) in finalStates {
            try conn.execute("""
                UPDATE salesync_capture SET watermark = ?, snapshot_done = 1, state_rows = ?, state_hash = ? WHERE table_id = ?
                """, [.uint(t.watermark), .int(t.rows), .uint(t.hash), .int(Int64(t.id))])
        }
        for b in bundles {
            try conn.execute("""
                INSERT INTO salesync_bundles (seq, file, sha256, bytes, row_count, created_at, status)
                VALUES (?, ?, ?, ?, ?, NOW(6), 'pending')
                """, [.uint(b.sequence), .text(b.file), .text(b.sha256), .int(Int64(b.bytes)), .int(Int64(b.rows))])
            logger.info("bundle written", metadata: ["branch": "\(config.site)", "seq": "\(b.sequence)",
                                                     "rows": "\(b.rows)", "bytes": "\(b.bytes)"])
        }
        return bundles
    }

    /// Log entries not yet exported: past the watermark, or inside a recorded hole.
    static let pendingCondition = """
        (l.seq > @salesync_w OR EXISTS (SELECT 1 FROM salesync_holes h
           WHERE h.table_id = @salesync_tid AND l.seq BETWEEN h.lo AND h.hi))
        """

    struct LogScan {
        var entries = 0
        var logFrom: UInt64 = 0
        var logTo: UInt64 = 0
        var rowDelta: Int64 = 0
        var hashAdded: UInt64 = 0
        var hashRemoved: UInt64 = 0
        var holes: [(lo: UInt64, hi: UInt64, seenAt: String)] = []
    }

    /// Reads the pending log entries in order, adding up their effect on the state checksum and
    /// finding positions that are not visible (yet) although later ones are: holes.
    func scanLog(_ t: Capture.TableState, snapshotTime: String) throws -> LogScan {
        var scan = LogScan()
        // Ranges an entry may come from: recorded holes, then everything past the watermark.
        var ranges: [(lo: UInt64, hi: UInt64, seenAt: String)] = try conn.query(
            "SELECT lo, hi, DATE_FORMAT(seen_at, '%Y-%m-%d %H:%i:%s.%f') FROM salesync_holes WHERE table_id = ? ORDER BY lo",
            [.int(Int64(t.id))]).map { ($0.uint(0) ?? 0, $0.uint(1) ?? 0, $0[2] ?? snapshotTime) }
        ranges.append((t.watermark + 1, UInt64.max, snapshotTime))
        var ri = 0
        var expected = ranges[0].lo
        func closeRange(upTo end: UInt64) {
            // Whatever of the current range was not seen before `end` is a hole.
            if expected <= end && expected <= ranges[ri].hi {
                scan.holes.append((expected, min(end, ranges[ri].hi), ranges[ri].seenAt))
            }
        }
        try conn.stream("SELECT l.seq, l.dc, l.oh, l.nh FROM \(quoteIdentifier(t.logTable)) l WHERE \(Self.pendingCondition) ORDER BY l.seq") { row in
            let seq = UInt64(row.string(0) ?? "") ?? 0
            while seq > ranges[ri].hi {
                closeRange(upTo: ranges[ri].hi)
                ri += 1
                expected = ranges[ri].lo
            }
            if seq > expected { closeRange(upTo: seq - 1) }
            expected = seq + 1
            scan.entries += 1
            if scan.logFrom == 0 { scan.logFrom = seq }
            scan.logTo = seq
            scan.rowDelta += Int64(row.string(1) ?? "0") ?? 0
            scan.hashRemoved = scan.hashRemoved &+ (UInt64(row.string(2) ?? "0") ?? 0)
            scan.hashAdded = scan.hashAdded &+ (UInt64(row.string(3) ?? "0") ?? 0)
        }
        // Recorded holes past the last entry seen stay holes; the open range ends at the last entry.
        while ri < ranges.count - 1 {
            closeRange(upTo: ranges[ri].hi)
            ri += 1
            expected = ranges[ri].lo
        }
        return scan
    }

    /// Replaces the table's holes. A hole recorded by an earlier export is dropped once no
    /// transaction that started before it was seen is still open: its position was then
    /// rolled back (a commit would have made it visible to this snapshot, taken after).
    func saveHoles(_ t: Capture.TableState, _ holes: [(lo: UInt64, hi: UInt64, seenAt: String)], oldestOpen: String??) throws {
        try conn.execute("DELETE FROM salesync_holes WHERE table_id = ?", [.int(Int64(t.id))])
        for h in holes {
            var settled = false
            if case .some(.some(let oldest)) = oldestOpen {
                let seenBeforeNow = try conn.query("SELECT ? < NOW(6) - INTERVAL 1 SECOND", [.text(h.seenAt)]).first?[0] == "1"
                if oldest.isEmpty {
                    settled = seenBeforeNow
                } else {
                    settled = try conn.query("SELECT ? < ?", [.text(h.seenAt), .text(oldest)]).first?[0] == "1" && seenBeforeNow
                }
            }
            if settled { continue }
            try conn.execute("INSERT INTO salesync_holes (table_id, lo, hi, seen_at) VALUES (?, ?, ?, ?)",
                             [.int(Int64(t.id)), .uint(h.lo), .uint(h.hi), .text(h.seenAt)])
        }
    }

    /// Deletes exported entries from the change logs without ever waiting on an open
    /// transaction: the positions to delete are read first (a plain read takes no locks), then
    /// each run lo...hi of consecutive positions goes as `BETWEEN lo AND hi-1` plus `= hi`. A range
    /// delete reads (and locks) the record after its end; ending the range one short makes that
    /// record `hi`, which is committed, instead of a neighbour an open transaction still holds.
    func pruneLogs() throws {
        try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        defer { try? conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ") }
        for r in try conn.query("SELECT table_id, watermark FROM salesync_capture") {
            let id = r.int(0) ?? 0
            let log = quoteIdentifier("salesync_log_\(id)")
            while true {
                let seqs = try conn.query("""
                    SELECT seq FROM \(log) l WHERE seq <= ? AND NOT EXISTS (
                      SELECT 1 FROM salesync_holes h WHERE h.table_id = ? AND l.seq BETWEEN h.lo AND h.hi)
                    ORDER BY seq LIMIT 20000
                    """, [.uint(r.uint(1) ?? 0), .int(id)]).compactMap { $0.uint(0) }
                if seqs.isEmpty { break }
                var i = 0
                while i < seqs.count {
                    var j = i
                    while j + 1 < seqs.count && seqs[j + 1] == seqs[j] + 1 { j += 1 }
                    if j > i {
                        try conn.execute("DELETE FROM \(log) WHERE seq BETWEEN ? AND ?", [.uint(seqs[i]), .uint(seqs[j] - 1)])
                    }
                    try conn.execute("DELETE FROM \(log) WHERE seq = ?", [.uint(seqs[j])])
                    i = j + 1
                }
                if seqs.count < 20000 { break }
            }
        }
    }
}

/// Collects rows into bundles, cutting a new one every `max_rows` rows or `max_bytes` bytes.
struct BundleBuilder {
    let exporter: Exporter
    let created: String
    let kind: String
    var sequence: UInt64
    var written: [ExportedBundle] = []
    var tables: [TableChanges] = []
    var current: (schema: TableSchema, upserts: RowBatch, deletes: RowBatch, logFrom: UInt64, logTo: UInt64, reset: Bool)?
    var rowsInBundle = 0
    var bytesInBundle = 0

    init(exporter: Exporter, created: String, kind: String, firstSequence: UInt64) {
        self.exporter = exporter
        self.created = created
        self.kind = kind
        self.sequence = firstSequence
    }

    mutating func beginTable(_ schema: TableSchema, logFrom: UInt64, logTo: UInt64, reset: Bool) {
        current = (schema, RowBatch(columnCount: schema.columns.count), RowBatch(columnCount: schema.keyIndexes.count),
                   logFrom, logTo, reset)
    }

    mutating func upsert(_ row: RowView) throws {
        for i in 0..<current!.upserts.columns.count { current!.upserts.columns[i].append(row.bytes(i)) }
        try counted()
    }

    mutating func delete(_ row: RowView, keyOffset: Int) throws {
        for i in 0..<current!.deletes.columns.count { current!.deletes.columns[i].append(row.bytes(keyOffset + i)) }
        try counted()
    }

    private mutating func counted() throws {
        rowsInBundle += 1
        if rowsInBundle % 1024 == 0 {
            bytesInBundle = tables.reduce(0) { $0 + $1.upserts.byteSize + $1.deletes.byteSize }
                + current!.upserts.byteSize + current!.deletes.byteSize
        }
        if rowsInBundle >= exporter.config.export.maxRows || bytesInBundle >= exporter.config.export.maxBytes {
            closeSection(keepOpen: true)
            try flush(states: nil)
        }
    }

    /// Moves the open table's rows into the bundle being built; a table split across bundles
    /// continues in the next one (without `reset`, which only the first part carries).
    private mutating func closeSection(keepOpen: Bool) {
        guard let c = current else { return }
        let section = TableSection(name: c.schema.name, fingerprint: c.schema.fingerprint, columns: c.schema.columns,
                                   logFrom: c.logFrom, logTo: c.logTo, upserts: 0, deletes: 0, state: nil, reset: c.reset)
        tables.append(TableChanges(section: section, upserts: c.upserts, deletes: c.deletes))
        current = keepOpen ? (c.schema, RowBatch(columnCount: c.upserts.columns.count),
                              RowBatch(columnCount: c.deletes.columns.count), c.logFrom, c.logTo, false) : nil
    }

    mutating func endTable() { closeSection(keepOpen: false) }

    private mutating func flush(states: [(TableSchema, TableState)]?) throws {
        if let states {
            // The last bundle of an export carries every exported table's state, even with no rows.
            for (schema, state) in states {
                if let i = tables.lastIndex(where: { $0.section.name == schema.name }) {
                    tables[i].section.state = state
                } else {
                    let s = TableSection(name: schema.name, fingerprint: schema.fingerprint, columns: schema.columns,
                                         logFrom: 0, logTo: 0, upserts: 0, deletes: 0, state: state)
                    tables.append(TableChanges(section: s, upserts: RowBatch(columnCount: schema.columns.count),
                                               deletes: RowBatch(columnCount: schema.keyIndexes.count)))
                }
            }
        }
        let rows = tables.reduce(0) { $0 + $1.upserts.count + $1.deletes.count }
        guard rows > 0 || states != nil else { return }
        let config = exporter.config
        let bytes = try BundleFormat.encode(branch: config.site, sequence: sequence, kind: kind, created: created,
                                            tables: tables, key: exporter.key, level: config.export.compressionLevel)
        let name = Exporter.fileName(site: config.site, sequence: sequence)
        try writeDurably(path: config.outboxDir + "/" + name + ".tmp", bytes: bytes, mode: 0o640)
        let sha = BundleFormat.checksumField(of: bytes).hex
        written.append(ExportedBundle(sequence: sequence, file: name, rows: rows, bytes: bytes.count, sha256: sha))
        faultPoint("export-bundle-written")
        sequence += 1
        tables = []
        rowsInBundle = 0
        bytesInBundle = 0
    }

    mutating func finish(states: [(TableSchema, TableState)]) throws -> [ExportedBundle] {
        try flush(states: states)
        return written
    }
}

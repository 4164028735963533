import AMQP
import Crypto
import Foundation
import Logging
import MariaDB

/// What an ingest run did.
public struct IngestReport: Sendable {
    public var chunksReceived = 0
    public var applied: [(branch: String, seq: UInt64, rows: Int, verdict: String)] = []
    public var duplicates = 0
    public var quarantined = 0
    public var resendRequested = 0
    public var held: [String: [UInt64]] = [:]
    public var rowsApplied: Int { applied.reduce(0) { $0 + $1.rows } }

    public init() {}

    /// Adds another round's figures (held bundles are the latest round's).
    public mutating func merge(_ r: IngestReport) {
        add(r)
        held = r.held
    }

    /// Adds a lane's figures from the same round (its held bundles are not its to report).
    mutating func add(_ r: IngestReport) {
        chunksReceived += r.chunksReceived
        applied += r.applied
        duplicates += r.duplicates
        quarantined += r.quarantined
        resendRequested += r.resendRequested
    }
}

/// The head office's side: receives chunks into the durable inbox, applies complete bundles
/// per branch strictly in sequence, each in one transaction with its record, and owes each
/// branch an acknowledgement.
public final class Ingestor {
    let config: Config
    let db: Connection
    let logger: Logger
    var keys: [String: Curve25519.Signing.PublicKey] = [:]
    var checkedTables: [String: TableSchema] = [:]
    /// Bundles applied by this run, for ack files (USB).
    public private(set) var touched: [(branch: String, seq: UInt64)] = []
    /// The second lane of pipelined applying, with a connection of its own (see Pipeline.swift).
    private var helper: Ingestor?
    private var helperUnavailable = false
    private let ownsConnection: Bool

    public init(config: Config, connection: Connection, logger: Logger) throws {
        self.config = config
        self.db = connection
        self.logger = logger
        self.ownsConnection = false
        for b in config.branches { keys[b.id] = try Keys.publicKey(base64: b.publicKey) }
    }

    private init(lane config: Config, connection: Connection, logger: Logger, keys: [String: Curve25519.Signing.PublicKey]) {
        self.config = config
        self.db = connection
        self.logger = logger
        self.keys = keys
        self.ownsConnection = true
    }

    /// Closes the connections this ingestor opened itself (the caller's stays open).
    public func close() {
        helper?.close()
        helper = nil
        if ownsConnection { db.close() }
    }

    deinit { close() }

    /// One round of the ingest loop: apply what the inbox already holds (a crash may have left
    /// complete bundles there), take what waits in the queues, apply it, send acknowledgements.
    public func cycle(_ amqp: AMQPConnection, report: inout IngestReport, stop: () -> Bool = { false },
                      progress: ((Int) -> Void)? = nil) throws {
        try process(report: &report, stop: stop)
        try receive(amqp, report: &report, progress: progress)
        try process(report: &report, stop: stop)
        _ = try sendAcks(amqp)
    }

    /// Runs `cycle` until a round finds nothing new (`ingest --once`).
    public func runOnce(_ amqp: AMQPConnection) throws -> IngestReport {
        var total = IngestReport()
        while true {
            var r = IngestReport()
            try cycle(amqp, report: &r)
            total.merge(r)
            if r.chunksReceived == 0 && r.applied.isEmpty { return total }
        }
    }

    // MARK: receiving

    /// Moves every waiting chunk of every branch's queue into the inbox; a chunk's message is
    /// acknowledged to the broker only after the chunk is committed to the database.
    public func receive(_ amqp: AMQPConnection, report: inout IngestReport, progress: ((Int) -> Void)? = nil) throws {
        for b in config.branches {
            let queue = Topology.bundleQueue(b.id)
            while let d = try amqp.get(queue) {
                do {
                    let chunk = try Chunk(decoding: d.body)
                    try storeChunk(chunk, queueBranch: b.id)
                    report.chunksReceived += 1
                    progress?(report.chunksReceived)
                } catch let e as BundleError {
                    // Not a chunk at all: keep it for an operator, never apply it.
                    try quarantine(branch: b.id, seq: nil, sha: nil, bytes: d.body, reason: "message in \(queue) is not a salesync chunk: \(e)")
                    report.quarantined += 1
                }
                try amqp.ack(d.deliveryTag)
                faultPoint("ingest-chunk-acked")
            }
        }
    }

    func storeChunk(_ c: Chunk, queueBranch: String) throws {
        // The queue a chunk came through decides which branch's inbox it lands in: a bundle
        // claiming another branch is caught when checked against it.
        try db.execute("""
            INSERT IGNORE INTO salesync_inbox (branch_id, seq, sha256, chunk_count, chunk_index, bundle_size, payload, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, NOW(6))
            """, [.text(queueBranch), .uint(c.sequence), .text(c.bundleSHA256.hex), .int(Int64(c.count)), .int(Int64(c.index)),
                  .int(Int64(c.bundleSize)), .bytes(c.payload)])
    }

    /// Puts a bundle file (from a USB stick) into the inbox of the branch it names.
    public func receiveFile(_ path: String, report: inout IngestReport) throws {
        let bytes = try readFile(path)
        let file: BundleFile
        do { file = try BundleFile(bytes: bytes) } catch let e as BundleError {
            try quarantine(branch: "unknown", seq: nil, sha: nil, bytes: bytes, reason: "\(path): \(e)")
            report.quarantined += 1
            logger.error("refused \(path): \(e)")
            return
        }
        guard keys[file.header.branch] != nil else {
            try quarantine(branch: file.header.branch, seq: file.header.sequence, sha: file.sha256, bytes: bytes,
                           reason: "\(path): \(BundleError.unknownBranch(file.header.branch))")
            report.quarantined += 1
            return
        }
        try storeWhole(file, bytes)
        report.chunksReceived += 1
    }

    /// Stores a whole bundle file (USB, or a retried quarantine entry) as a bundle of one chunk
    /// in the inbox of the branch it names.
    func storeWhole(_ file: BundleFile, _ bytes: [UInt8]) throws {
        let c = Chunk(branch: file.header.branch, sequence: file.header.sequence, index: 0, count: 1, bundleSize: bytes.count,
                      bundleSHA256: Array(BundleFormat.checksumField(of: bytes)), payload: bytes)
        try storeChunk(c, queueBranch: file.header.branch)
    }

    // MARK: applying

    /// Applies every complete bundle that is next in its branch's sequence, branch by branch.
    /// A branch another ingest process is working on is skipped (database lock per branch).
    public func process(report: inout IngestReport, stop: () -> Bool = { false }) throws {
        for b in config.branches {
            if stop() { return }
            let lockName = "salesync-ingest-\(config.database.name)-\(b.id)"
            guard try db.query("SELECT GET_LOCK(?, 0)", [.text(lockName)]).first?[0] == "1" else {
                logger.info("another ingest is applying this branch's bundles", metadata: ["branch": "\(b.id)"])
                continue
            }
            defer { _ = try? db.query("SELECT RELEASE_LOCK(?)", [.text(lockName)]) }
            try processBranch(b.id, report: &report, stop: stop)
        }
    }

    struct Complete {
        var seq: UInt64
        var sha: String
        var count: Int
    }

    func completeBundles(_ branch: String) throws -> [Complete] {
        try db.query("""
            SELECT seq, sha256, chunk_count FROM salesync_inbox WHERE branch_id = ?
            GROUP BY seq, sha256, chunk_count HAVING COUNT(*) = chunk_count ORDER BY seq, MIN(received_at)
            """, [.text(branch)]).map { Complete(seq: $0.uint(0) ?? 0, sha: $0[1] ?? "", count: Int($0.int(2) ?? 0)) }
    }

    func assemble(_ branch: String, _ c: Complete) throws -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<c.count {
            guard let r = try db.query("""
                SELECT payload FROM salesync_inbox WHERE branch_id = ? AND seq = ? AND sha256 = ? AND chunk_count = ? AND chunk_index = ?
                """, [.text(branch), .uint(c.seq), .text(c.sha), .int(Int64(c.count)), .int(Int64(i))]).first, let p = r.bytes(0) else {
                throw SyncError.other("chunk \(i) of bundle \(branch)/\(c.seq) vanished from the inbox")
            }
            out += p
        }
        return out
    }

    func lastApplied(_ branch: String, lock: Bool = false) throws -> UInt64 {
        try db.execute("INSERT IGNORE INTO salesync_branches (branch_id) VALUES (?)", [.text(branch)])
        return try db.query("SELECT last_seq FROM salesync_branches WHERE branch_id = ?" + (lock ? " FOR UPDATE" : ""),
                            [.text(branch)]).first?.uint(0) ?? 0
    }

    func dropFromInbox(_ branch: String, _ c: Complete) throws {
        try db.execute("DELETE FROM salesync_inbox WHERE branch_id = ? AND seq = ? AND sha256 = ? AND chunk_count = ?",
                       [.text(branch), .uint(c.seq), .text(c.sha), .int(Int64(c.count))])
    }

    func processBranch(_ branch: String, report: inout IngestReport, stop: () -> Bool) throws {
        while !stop() {
            let last = try lastApplied(branch)
            let ready = try completeBundles(branch)
            // A copy of a bundle already applied: re-acknowledged or quarantined, one at a time.
            if let seen = ready.first(where: { $0.seq <= last }) {
                try handle(branch, seen, last: last, report: &report)
                continue
            }
            // The run of consecutive sequence numbers that can be applied now.
            var run: [Complete] = []
            for c in ready where c.seq == last + 1 + UInt64(run.count) && run.count < 64 { run.append(c) }
            if run.isEmpty {
                let held = ready.map(\.seq)
                if !held.isEmpty { report.held[branch] = held }
                return
            }
            if run.count > 1, let helper = helperLane() {
                try applyPipelined(branch, run, helper: helper, report: &report, stop: stop)
            } else {
                try handle(branch, run[0], last: last, report: &report)
            }
        }
    }

    /// The second lane, opened on first use; nil when configured off or the database refuses
    /// another connection (then bundles are applied one at a time).
    private func helperLane() -> Ingestor? {
        guard config.parallelBundles > 1, !helperUnavailable else { return nil }
        if helper == nil {
            do {
                let conn = try Database.connect(config, localInfile: true)
                // Two lanes wait for each other only through an unexpected lock conflict: let it
                // surface in seconds (both retry), not after InnoDB's default 50.
                // The same for metadata locks, which trigger DDL of another process may queue.
                for c in [conn, db] { try c.execute("SET SESSION innodb_lock_wait_timeout = 10, SESSION lock_wait_timeout = 30") }
                helper = Ingestor(lane: config, connection: conn, logger: logger, keys: keys)
            } catch {
                logger.warning("applying one bundle at a time: no second database connection (\(error))")
                helperUnavailable = true
            }
        }
        return helper
    }

    /// Applies `run` (consecutive sequence numbers, the first one next) on two lanes: bundles at
    /// even positions on this connection, odd ones on the helper's, each gated by the one before.
    private func applyPipelined(_ branch: String, _ run: [Complete], helper: Ingestor, report: inout IngestReport,
                                stop: () -> Bool) throws {
        // The second lane's thread ends before this function returns: `stop` does not escape.
        try withoutActuallyEscaping(stop) { stop in
            try applyPipelined(branch, run, helper: helper, report: &report, stopEscaping: stop)
        }
    }

    private func applyPipelined(_ branch: String, _ run: [Complete], helper: Ingestor, report: inout IngestReport,
                                stopEscaping stop: @escaping () -> Bool) throws {
        let gates = run.map { _ in ApplyGate() }
        final class Lane {
            var report = IngestReport()
            var error: Error?
        }
        func lane(_ ing: Ingestor, _ k: Int, _ out: Lane) {
            var failed = false
            for i in stride(from: k, to: run.count, by: 2) {
                if failed || stop() { gates[i].finish(applied: false); continue }
                do {
                    let applied = try ing.handle(branch, run[i], last: run[i].seq - 1, report: &out.report,
                                                 after: i > 0 ? gates[i - 1] : nil, gate: gates[i])
                    gates[i].finish(applied: applied)
                } catch {
                    out.error = error
                    failed = true
                    gates[i].finish(applied: false)
                }
            }
        }
        let lanes = [Lane(), Lane()]
        let second = Handoff { lane(helper, 1, lanes[1]) }
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            second.run()
            done.signal()
        }
        lane(self, 0, lanes[0])
        done.wait()
        touched += helper.touched
        helper.touched = []
        var both = lanes[0].report
        both.add(lanes[1].report)
        both.applied.sort { $0.seq < $1.seq }
        report.add(both)
        if let e = lanes[0].error ?? lanes[1].error { throw e }
    }

    /// Checks one complete bundle and applies, re-acknowledges, quarantines or holds it. In a
    /// pipelined run, `after` is the gate of the bundle before this one and `gate` this one's.
    /// Returns whether the bundle was applied.
    @discardableResult
    func handle(_ branch: String, _ c: Complete, last: UInt64, report: inout IngestReport,
                after: ApplyGate? = nil, gate: ApplyGate? = nil) throws -> Bool {
        let t0 = Date()
        let bytes = try assemble(branch, c)
        logger.debug("assembled", metadata: ["branch": "\(branch)", "seq": "\(c.seq)", "ms": "\(Int(Date().timeIntervalSince(t0) * 1000))"])
        let file: BundleFile
        do {
            file = try BundleFile(bytes: bytes)
            guard file.sha256 == c.sha else {
                throw BundleError.checksumMismatch(expected: c.sha, actual: file.sha256)
            }
        } catch let e as BundleError {
            // Damaged in transit: keep the evidence, ask the branch for another copy.
            try db.transaction {
                try quarantine(branch: branch, seq: c.seq, sha: c.sha, bytes: bytes, reason: "damaged in transit: \(e)")
                try dropFromInbox(branch, c)
                try owe(Ack(status: "resend", branch: branch, sequence: c.seq, sha256: c.sha, rows: 0, verdict: "unchecked",
                            detail: "\(e)"))
            }
            report.quarantined += 1
            report.resendRequested += 1
            logger.error("bundle damaged in transit, resend requested: \(e)", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
            return false
        }
        let h = file.header
        var refusal: String?
        if h.branch != branch {
            refusal = "bundle of branch \(h.branch) arrived through branch \(branch)'s queue"
        } else if h.sequence != c.seq {
            refusal = "bundle says sequence \(h.sequence), its chunks said \(c.seq)"
        } else if let key = keys[branch] {
            do { try file.verifySignature(key) } catch { refusal = "\(error)" }
        } else {
            refusal = "\(BundleError.unknownBranch(branch))"
        }
        if let refusal {
            try db.transaction {
                try quarantine(branch: branch, seq: c.seq, sha: c.sha, bytes: bytes, reason: refusal)
                try dropFromInbox(branch, c)
                if h.branch == branch {
                    try owe(Ack(status: "rejected", branch: branch, sequence: c.seq, sha256: c.sha, rows: 0, verdict: "unchecked", detail: refusal))
                }
            }
            report.quarantined += 1
            logger.error("bundle refused: \(refusal)", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
            return false
        }
        if c.seq <= last {
            // Seen before: the same bytes are acknowledged again; different bytes are a conflict.
            let prior = try db.query("SELECT sha256, row_count, verdict FROM salesync_applied WHERE branch_id = ? AND seq = ?",
                                     [.text(branch), .uint(c.seq)]).first
            try db.transaction {
                if let prior, prior[0] == c.sha {
                    try owe(Ack(status: "duplicate", branch: branch, sequence: c.seq, sha256: c.sha, rows: Int(prior.int(1) ?? 0),
                                verdict: prior[2] ?? "unchecked", detail: "applied earlier"))
                    report.duplicates += 1
                    touched.append((branch, c.seq))
                } else {
                    let why = "sequence \(c.seq) was already applied with SHA-256 \(prior?[0] ?? "?"); this copy differs"
                    try quarantine(branch: branch, seq: c.seq, sha: c.sha, bytes: bytes, reason: why)
                    report.quarantined += 1
                    logger.error("conflicting bundle quarantined: \(why)", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
                }
                try dropFromInbox(branch, c)
            }
            return false
        }
        do {
            // Two ingest processes applying different branches into one table can deadlock on
            // InnoDB's locks; the loser's transaction is rolled back whole, so it simply retries.
            var attempt = 0
            let (rows, verdict): (Int, String) = try {
                while true {
                    do { return try apply(file, branch: branch, inbox: c, after: after, gate: gate) } catch let e as MariaDBError where e.isTransient && attempt < 8 {
                        // The bundle after this one may hold what we wait for: it lets go.
                        gate?.markTroubled()
                        attempt += 1
                        logger.notice("\(e.message); retrying", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
                        usleep(UInt32.random(in: 20_000...200_000) * UInt32(attempt))
                    }
                }
            }()
            report.applied.append((branch, c.seq, rows, verdict))
            touched.append((branch, c.seq))
            logger.info("bundle applied", metadata: ["branch": "\(branch)", "seq": "\(c.seq)", "rows": "\(rows)", "verdict": "\(verdict)"])
            return true
        } catch is Deferred {
            logger.debug("the bundle before did not commit; applying this one later", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
            return false
        } catch let e as BundleError {
            try refuseContent(branch, c, bytes, "\(e)", &report)
        } catch let e as SyncError where e.failure == .data {
            try refuseContent(branch, c, bytes, e.message, &report)
        }
        return false
    }

    private func refuseContent(_ branch: String, _ c: Complete, _ bytes: [UInt8], _ why: String, _ report: inout IngestReport) throws {
        try db.transaction {
            try quarantine(branch: branch, seq: c.seq, sha: c.sha, bytes: bytes, reason: why)
            try dropFromInbox(branch, c)
            try owe(Ack(status: "rejected", branch: branch, sequence: c.seq, sha256: c.sha, rows: 0, verdict: "unchecked", detail: why))
        }
        report.quarantined += 1
        logger.error("bundle refused: \(why)", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
    }

    /// Applies a verified bundle: its changes, its record, the removal from the inbox and the
    /// acknowledgement owed, in one transaction. With `after` (pipelined), the changes may go in
    /// while the bundle before is still being applied; the record waits until that one committed.
    func apply(_ file: BundleFile, branch: String, inbox c: Complete, after: ApplyGate? = nil, gate: ApplyGate? = nil) throws -> (Int, String) {
        let t0 = Date()
        let tables = try file.decodeBody()
        let tDecoded = Date()
        // The head office hashes the rows it loads from the bundle's own values, off the
        // server's critical path (nil for column types only the server can render).
        let upsertHashes = tables.map { t in RowHasher(t.section.schema).map { $0.sum(t.upserts) } }
        logger.debug("decoded and hashed", metadata: ["branch": "\(branch)", "seq": "\(c.seq)", "ms": "\(Int(tDecoded.timeIntervalSince(t0) * 1000))",
                                                    "hash_ms": "\(Int(Date().timeIntervalSince(tDecoded) * 1000))"])
        defer { logger.debug("applied", metadata: ["branch": "\(branch)", "seq": "\(c.seq)", "ms": "\(Int(Date().timeIntervalSince(t0) * 1000))"]) }
        // DDL commits implicitly, so tables are created and checked before the transaction.
        for t in tables { try ensureTable(t.section) }
        // Keys are only computed in a pipelined run, where the bundles either side need them.
        let keys = gate != nil || after != nil ? touchedKeys(tables) : nil
        // Announced only now, after any DDL: the bundle after this one must not hold the table
        // open while this one waits to alter it.
        gate?.publish(touched: keys)
        if let after {
            switch after.overlap(with: keys) {
            case .independent:
                logger.debug("applying alongside the bundle before (disjoint keys)", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
            case .dependent:
                logger.debug("waiting for the bundle before (shared keys or a reset)", metadata: ["branch": "\(branch)", "seq": "\(c.seq)"])
                guard after.awaitApplied() else { throw Deferred() }
            case .finished(let applied): guard applied else { throw Deferred() }
            }
        }
        try db.execute("SET @salesync_branch = ?", [.text(branch)])
        var verdict = "unchecked"
        let rows: Int = try db.transaction {
            var deltas: [TableApplier.Delta] = []
            let appliers = tables.indices.map {
                TableApplier(db: db, branch: branch, changes: tables[$0], isSnapshot: file.header.kind == "snapshot", upsertHash: upsertHashes[$0])
            }
            for a in appliers { deltas.append(try a.applyChanges()) }
            if let after { guard after.awaitApplied() else { throw Deferred() } }
            // Re-read under lock: the database, not this process, has the last word on order.
            let last = try lastApplied(branch, lock: true)
            guard last + 1 == c.seq else {
                throw SyncError.temporary("bundle \(branch)/\(c.seq) is no longer next (last applied \(last))")
            }
            var rows = 0
            var verdicts: [String] = []
            for (a, d) in zip(appliers, deltas) {
                if let v = try a.record(d) { verdicts.append(v) }
                rows += a.changes.upserts.count + a.changes.deletes.count
            }
            if !verdicts.isEmpty { verdict = verdicts.contains("drift") ? "drift" : "match" }
            try db.execute("""
                INSERT INTO salesync_applied (branch_id, seq, sha256, row_count, applied_at, verdict) VALUES (?, ?, ?, ?, NOW(6), ?)
                """, [.text(branch), .uint(c.seq), .text(c.sha), .int(Int64(rows)), .text(verdict)])
            try db.execute("""
                UPDATE salesync_branches SET last_seq = ?, last_applied_at = NOW(6), last_created = ?,
                  verdict = IF(? = 'unchecked', verdict, ?) WHERE branch_id = ?
                """, [.uint(c.seq), .text(file.header.created), .text(verdict), .text(verdict), .text(branch)])
            try dropFromInbox(branch, c)
            try owe(Ack(status: "applied", branch: branch, sequence: c.seq, sha256: c.sha, rows: rows, verdict: verdict, detail: ""))
            faultPoint("ingest-before-commit")
            return rows
        }
        faultPoint("ingest-after-commit")
        return (rows, verdict)
    }

    /// Creates the head office's table from the bundle's column list if missing, and refuses a
    /// bundle whose columns differ from the existing table's.
    func ensureTable(_ s: TableSection) throws {
        guard config.database.tables.contains(s.name) else {
            throw SyncError.data("bundle has changes for table \(s.name), which this head office does not sync (database.tables)")
        }
        if checkedTables[s.name] == nil {
            // Several ingest processes may meet a new table at once: one of them creates it.
            let lock = "salesync-ddl-\(config.database.name)"
            guard try db.query("SELECT GET_LOCK(?, 60)", [.text(lock)]).first?[0] == "1" else {
                throw SyncError.temporary("another ingest holds the table-creation lock for more than 60 s")
            }
            defer { _ = try? db.query("SELECT RELEASE_LOCK(?)", [.text(lock)]) }
            try checkTable(s)
        }
        try checkTable(s)
    }

    private func checkTable(_ s: TableSection) throws {
        if let known = checkedTables[s.name] {
            guard known.fingerprint == s.fingerprint else {
                throw BundleError.schemaMismatch(table: s.name, detail: "bundle fingerprint \(s.fingerprint), head office \(known.fingerprint)")
            }
            return
        }
        if try HeadOfficeStore.branchView(db, database: config.database.name, table: s.name) == nil {
            try db.execute(HeadOfficeStore.createTableSQL(s.schema))
            logger.notice("created table \(s.name) from the bundle's column list")
        }
        guard let ho = try HeadOfficeStore.branchView(db, database: config.database.name, table: s.name) else {
            throw SyncError.other("table \(s.name) could not be created")
        }
        if ho.fingerprint != s.fingerprint {
            let diff = zip(ho.columns, s.columns).first { $0 != $1 }.map { "head office has \($0.0.name) \($0.0.type), bundle \($0.1.name) \($0.1.type)" }
                ?? "column count \(ho.columns.count) vs \(s.columns.count)"
            throw BundleError.schemaMismatch(table: s.name, detail: diff)
        }
        try HeadOfficeStore.syncDriftTriggers(db, database: config.database.name, s.schema, watch: config.watchExternalChanges)
        checkedTables[s.name] = ho
    }

    // MARK: verification

    /// One table's comparison for `salesync verify`.
    public struct Verification: Sendable {
        public var table: String
        public var headOfficeRows: Int64
        public var headOfficeHash: UInt64
        public var branchRows: Int64?
        public var branchHash: UInt64?
        public var verdict: String
    }

    /// Compares the head office's copy of a branch with the branch's last reported state.
    /// `full` recomputes the head office's side from the table (and corrects the running
    /// checksum to it); otherwise the running checksum is used.
    public func verify(branch: String, full: Bool) throws -> [Verification] {
        guard keys[branch] != nil else { throw SyncError.config("\(config.path): no branch \(branch) in [branches]") }
        var out: [Verification] = []
        for table in config.database.tables {
            let st = try db.query("SELECT state_rows, state_hash, branch_rows, branch_hash FROM salesync_table_state WHERE branch_id = ? AND table_name = ?",
                                  [.text(branch), .text(table)]).first
            var rows = st?.int(0) ?? 0
            var hash = st?.uint(1) ?? 0
            if full, let schema = try HeadOfficeStore.branchView(db, database: config.database.name, table: table) {
                (rows, hash) = try HeadOfficeStore.fullState(db, schema, branch: branch)
                try db.execute("""
                    INSERT INTO salesync_table_state (branch_id, table_name, state_rows, state_hash) VALUES (?, ?, ?, ?)
                    ON DUPLICATE KEY UPDATE state_rows = VALUES(state_rows), state_hash = VALUES(state_hash)
                    """, [.text(branch), .text(table), .int(rows), .uint(hash)])
            }
            let bRows = st?.int(2)
            let bHash = st?.uint(3)
            let verdict = bRows == nil ? "unchecked" : (bRows == rows && bHash == hash ? "match" : "drift")
            out.append(Verification(table: table, headOfficeRows: rows, headOfficeHash: hash, branchRows: bRows, branchHash: bHash, verdict: verdict))
        }
        let overall = out.contains { $0.verdict == "drift" } ? "drift" : out.allSatisfy { $0.verdict == "match" } ? "match" : "unchecked"
        try db.execute("UPDATE salesync_branches SET verdict = ? WHERE branch_id = ?", [.text(overall), .text(branch)])
        return out
    }

    // MARK: acknowledgements and quarantine

    func owe(_ ack: Ack) throws {
        try db.execute("""
            INSERT INTO salesync_outbound_acks (branch_id, seq, status, body, created_at) VALUES (?, ?, ?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE body = VALUES(body), sent_at = NULL
            """, [.text(ack.branch), .uint(ack.sequence), .text(ack.status), .bytes(ack.encoded())])
    }

    /// Publishes every acknowledgement owed; each is marked sent only once the broker confirmed it.
    public func sendAcks(_ amqp: AMQPConnection) throws -> Int {
        let owed = try db.query("SELECT branch_id, seq, status, body FROM salesync_outbound_acks WHERE sent_at IS NULL ORDER BY created_at")
        var sent = 0
        for r in owed {
            let branch = r[0] ?? ""
            let body = r.bytes(3) ?? []
            let id = "ack.\(branch).\(r[1] ?? "").\(r[2] ?? "")"
            try body.withUnsafeBytes {
                try amqp.publish(exchange: Topology.ackExchange(branch), routingKey: branch, body: $0, messageId: id, type: "salesync.ack")
            }
            let res = try amqp.awaitConfirms(maxOutstanding: 0, timeout: 30)
            guard res.confirmed.contains(id) else {
                throw SyncError.temporary("the broker did not confirm acknowledgement \(id): \(res.failed[id] ?? "timeout")")
            }
            try db.execute("UPDATE salesync_outbound_acks SET sent_at = NOW(6) WHERE branch_id = ? AND seq = ? AND status = ?",
                           [.text(branch), .text(r[1] ?? ""), .text(r[2] ?? "")])
            faultPoint("ingest-ack-sent")
            sent += 1
        }
        return sent
    }

    /// Writes an ack file for every bundle this run handled into `dir/acks/` (USB procedure).
    public func writeAckFiles(to dir: String) throws -> Int {
        let acksDir = dir + "/acks"
        try ensureDirectory(acksDir)
        var n = 0
        for (branch, seq) in touched {
            for r in try db.query("SELECT body FROM salesync_outbound_acks WHERE branch_id = ? AND seq = ? AND status IN ('applied','duplicate')",
                                  [.text(branch), .uint(seq)]) {
                let body = r.bytes(0) ?? []
                let ack = try Ack.decode(body)
                try writeFileAtomically(path: acksDir + "/" + ack.fileName, bytes: body)
                n += 1
            }
        }
        fsyncDirectory(of: acksDir + "/x")
        return n
    }

    /// One quarantined bundle, for `salesync quarantine list`.
    public struct QuarantineEntry: Sendable, Codable {
        public var id: UInt64
        public var branch: String
        public var sequence: UInt64?
        public var file: String
        public var reason: String
        public var created: String
        public var status: String
    }

    public func quarantineList(all: Bool = false) throws -> [QuarantineEntry] {
        try db.query("""
            SELECT id, branch_id, seq, file, reason, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), status
            FROM salesync_quarantine \(all ? "" : "WHERE status = 'open'") ORDER BY id
            """).map {
            QuarantineEntry(id: $0.uint(0) ?? 0, branch: $0[1] ?? "", sequence: $0.uint(2), file: $0[3] ?? "", reason: $0[4] ?? "",
                            created: $0[5] ?? "", status: $0[6] ?? "")
        }
    }

    /// Puts a quarantined bundle back into the inbox, to be checked again from scratch by the next
    /// ingest (e.g. after the head office's config got the branch's new key).
    public func quarantineRetry(id: UInt64) throws -> QuarantineEntry {
        guard let e = try quarantineList(all: true).first(where: { $0.id == id && $0.status == "open" }) else {
            throw SyncError.data("no open quarantine entry \(id) (see salesync quarantine list)")
        }
        let path = config.quarantineDir + "/" + e.file
        let bytes = try readFile(path)
        let file: BundleFile
        do { file = try BundleFile(bytes: bytes) } catch let err as BundleError {
            throw SyncError.data("\(path): \(err); a damaged bundle cannot be retried (the branch was asked to send it again)")
        }
        try db.transaction {
            try storeWhole(file, bytes)
            try db.execute("UPDATE salesync_quarantine SET status = 'retried' WHERE id = ?", [.uint(id)])
        }
        return e
    }

    /// Marks a quarantined bundle as dealt with and deletes its bytes.
    public func quarantineDrop(id: UInt64) throws -> QuarantineEntry {
        guard let e = try quarantineList(all: true).first(where: { $0.id == id && $0.status == "open" }) else {
            throw SyncError.data("no open quarantine entry \(id) (see salesync quarantine list)")
        }
        try db.execute("UPDATE salesync_quarantine SET status = 'dropped' WHERE id = ?", [.uint(id)])
        try? FileManager.default.removeItem(atPath: config.quarantineDir + "/" + e.file)
        return e
    }

    /// Keeps a refused bundle's bytes in the quarantine directory and records why.
    func quarantine(branch: String, seq: UInt64?, sha: String?, bytes: [UInt8], reason: String) throws {
        try ensureDirectory(config.quarantineDir)
        let stamp = String(Int(Date().timeIntervalSince1970 * 1000))
        let name = "\(branch.lowercased())-\(seq.map { String($0).leftPadded(to: 12) } ?? "unknown")-\(stamp).ssb"
        try writeFileAtomically(path: config.quarantineDir + "/" + name, bytes: bytes)
        try db.execute("""
            INSERT INTO salesync_quarantine (branch_id, seq, sha256, file, reason, created_at) VALUES (?, ?, ?, ?, ?, NOW(6))
            """, [.text(branch), seq.map { .uint($0) } ?? .null, sha.map { .text($0) } ?? .null, .text(name), .text(reason)])
    }
}

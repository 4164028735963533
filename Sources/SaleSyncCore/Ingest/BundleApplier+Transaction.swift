import Foundation
import Logging
import MariaDB

extension BundleApplier {
    /// Applies a verified bundle, retrying a deadlock; a bundle whose content the head office
    /// refuses is quarantined; one whose predecessor did not commit (pipelined) waits for later.
    func applyOrRefuse(
        _ file: BundleFile, _ bytes: [UInt8], branch: String, _ b: InboxBundle, report: inout IngestReport,
        after: ApplyGate?, gate: ApplyGate?
    ) throws -> Bool {
        do {
            let (rows, verdict) = try retryingConflicts(["branch": "\(branch)", "seq": "\(b.seq)"], gate) {
                try applyInTransaction(file, branch: branch, inbox: b, after: after, gate: gate)
            }
            report.applied.append(.init(branch: branch, seq: b.seq, rows: rows, verdict: verdict))
            touched.append((branch, b.seq))
            logger.info("bundle applied", metadata: ["branch": "\(branch)", "seq": "\(b.seq)", "rows": "\(rows)", "verdict": "\(verdict)"])
            return true
        } catch is Deferred {
            logger.debug("the bundle before did not commit; applying this one later", metadata: ["branch": "\(branch)", "seq": "\(b.seq)"])
        } catch let hold as SchemaHold {
            // Held, not refused: it stays in the inbox, and the branch's later bundles wait behind it.
            if try SchemaHolds(connection: db).record(branch: branch, seq: b.seq, hold) {
                logger.warning("schema change held: \(hold)", metadata: ["branch": "\(branch)", "seq": "\(b.seq)"])
            }
            report.schemaHeld += 1
        } catch let e as BundleError {
            try refuse(branch, b, bytes, reason: "\(e)", answer: .rejected, report: &report)
        } catch let e as SyncError where e.failure == .data {
            try refuse(branch, b, bytes, reason: e.message, answer: .rejected, report: &report)
        }
        return false
    }

    /// Two ingest processes applying different branches into one table can deadlock on InnoDB's
    /// locks; the loser's transaction is rolled back whole, so it simply runs again.
    func retryingConflicts<T>(_ what: Logger.Metadata, _ gate: ApplyGate?, _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            do { return try body() } catch let e as MariaDBError where e.isTransient && attempt < 8 {
                // The bundle after this one may hold what we wait for: it lets go.
                gate?.markTroubled()
                attempt += 1
                logger.notice("\(e.message); retrying", metadata: what)
                usleep(UInt32.random(in: 20_000...200_000) * UInt32(attempt))
            }
        }
    }

    /// Applies a verified bundle: its changes, its record, the removal from the inbox and the
    /// acknowledgement owed, in one transaction. With `after` (pipelined), the changes may go in
    /// while the bundle before is still being applied; the record waits until that one committed.
    func applyInTransaction(
        _ file: BundleFile, branch: String, inbox b: InboxBundle, after: ApplyGate?,
        gate: ApplyGate?
    ) throws -> (Int, Verdict) {
        let t0 = Date()
        defer {
            logger.debug(
                "applied", metadata: ["branch": "\(branch)", "seq": "\(b.seq)", "ms": "\(Int(Date().timeIntervalSince(t0) * 1000))"])
        }
        let prepared = try prepare(file, branch: branch, seq: b.seq, after: after, gate: gate)
        try db.execute("SET @salesync_branch = ?", [.text(branch)])
        let result: (Int, Verdict) = try db.transaction {
            let appliers = prepared.tables.indices.map {
                TableApplier(
                    db: db,
                    parts: [
                        .init(
                            branch: branch, changes: prepared.tables[$0], isSnapshot: file.header.kind == .snapshot,
                            upsertHash: prepared.hashes[$0])
                    ])
            }
            let deltas = try appliers.map { try $0.loadChanges()[0] }
            if let after { guard after.awaitApplied() else { throw Deferred() } }
            // Re-read under lock: the database, not this process, has the last word on order.
            let last = try lastApplied(branch, lock: true)
            guard last + 1 == b.seq else {
                throw SyncError.temporary("bundle \(branch)/\(b.seq) is no longer next (last applied \(last))")
            }
            var verdicts: [Verdict] = []
            for (a, d) in zip(appliers, deltas) { if let v = try a.recordState(0, d) { verdicts.append(v) } }
            let rows = prepared.tables.reduce(0) { $0 + $1.upserts.count + $1.deletes.count }
            let verdict = Verdict.combined(verdicts)
            try recordApplied(branch, b, created: file.header.created, rows: rows, verdict: verdict)
            faultPoint("ingest-before-commit")
            return (rows, verdict)
        }
        faultPoint("ingest-after-commit")
        return result
    }

    /// A bundle decoded, hashed and with its tables ready, about to be applied.
    struct Prepared {
        var tables: [TableChanges]
        var hashes: [UInt64?]
    }

    /// Everything that happens before the transaction: decoding, hashing, table DDL (which
    /// commits implicitly) and, pipelined, waiting for the bundle before when keys overlap.
    private func prepare(_ file: BundleFile, branch: String, seq: UInt64, after: ApplyGate?, gate: ApplyGate?) throws -> Prepared {
        let t0 = Date()
        let tables = try file.decodeBody()
        let tDecoded = Date()
        // The head office hashes the rows it loads from the bundle's own values, off the
        // server's critical path (nil for column types only the server can render).
        let hashes = tables.map { t in RowHasher(t.section.schema).map { $0.sum(t.upserts) } }
        logger.debug(
            "decoded and hashed",
            metadata: [
                "branch": "\(branch)", "seq": "\(seq)", "ms": "\(Int(tDecoded.timeIntervalSince(t0) * 1000))",
                "hash_ms": "\(Int(Date().timeIntervalSince(tDecoded) * 1000))",
            ])
        for t in tables { try ensureTable(t.section, branch: branch, seq: seq) }
        // Keys are only computed in a pipelined run, where the bundles either side need them.
        let keys = gate != nil || after != nil ? touchedKeys(tables) : nil
        // Announced only now, after any DDL: the bundle after this one must not hold the table
        // open while this one waits to alter it.
        gate?.publish(touched: keys)
        guard let after else { return Prepared(tables: tables, hashes: hashes) }
        switch after.overlap(with: keys) {
        case .independent:
            logger.debug("applying alongside the bundle before (disjoint keys)", metadata: ["branch": "\(branch)", "seq": "\(seq)"])
        case .dependent:
            logger.debug("waiting for the bundle before (shared keys or a reset)", metadata: ["branch": "\(branch)", "seq": "\(seq)"])
            guard after.awaitApplied() else { throw Deferred() }
        case .finished(let applied):
            guard applied else { throw Deferred() }
        }
        return Prepared(tables: tables, hashes: hashes)
    }

    /// The bundle's record, the branch's progress, its removal from the inbox and the ack owed.
    func recordApplied(_ branch: String, _ b: InboxBundle, created: String, rows: Int, verdict: Verdict) throws {
        // Size and arrival come from the inbox rows, which are removed just after.
        try db.execute(
            """
            INSERT INTO salesync_applied (branch_id, seq, sha256, row_count, applied_at, verdict, bytes, received_at)
            SELECT ?, ?, ?, ?, NOW(6), ?, MAX(bundle_size), MAX(received_at) FROM salesync_inbox
            WHERE branch_id = ? AND seq = ? AND sha256 = ?
            """, [.text(branch), .uint(b.seq), .text(b.sha), .int(Int64(rows)), verdict.sql, .text(branch), .uint(b.seq), .text(b.sha)])
        try db.execute(
            """
            UPDATE salesync_branches SET last_seq = ?, last_applied_at = NOW(6), last_created = ?,
              verdict = IF(? = ?, verdict, ?) WHERE branch_id = ?
            """, [.uint(b.seq), .text(created), verdict.sql, Verdict.unchecked.sql, verdict.sql, .text(branch)])
        try inbox.remove(branch, b)
        try acks.owe(Ack(status: .applied, branch: branch, sequence: b.seq, sha256: b.sha, rows: rows, verdict: verdict, detail: ""))
    }

    /// The branch's last applied sequence (with `lock`, read under a row lock until commit).
    func lastApplied(_ branch: String, lock: Bool = false) throws -> UInt64 {
        try position(branch, lock: lock).last
    }

    /// Where a branch stands at the head office: its last applied sequence; if it went back in
    /// time and has not rejoined, the first bundle of its that reused a sequence
    /// (BundleApplier+WentBack.swift); its epoch, and the one its rejoin copy opened (nil: no
    /// copy out; BundleApplier+Rejoin.swift).
    struct Position {
        var last: UInt64
        var wentBack: UInt64?
        var epoch: UInt64
        var rejoinEpoch: UInt64?
    }

    func position(_ branch: String, lock: Bool = false) throws -> Position {
        let read = {
            try self.db.query(
                "SELECT last_seq, went_back_seq, epoch, rejoin_epoch FROM salesync_branches WHERE branch_id = ?"
                    + (lock ? " FOR UPDATE" : ""), [.text(branch)]
            ).first
        }
        // The branch's row is made the first time only: every later call is one read.
        var row = try read()
        if row == nil {
            try db.execute("INSERT IGNORE INTO salesync_branches (branch_id) VALUES (?)", [.text(branch)])
            row = try read()
        }
        return Position(last: row?.uint(0) ?? 0, wentBack: row?.uint(1), epoch: row?.uint(2) ?? 0, rejoinEpoch: row?.uint(3))
    }
}

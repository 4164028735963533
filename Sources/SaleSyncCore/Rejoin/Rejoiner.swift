import Crypto
import Foundation
import Logging
import MariaDB

/// Branch: `salesync rejoin` (docs/operations.md). Merges the head office's copy of this
/// branch's rows into its tables after the branch went back in time, in one transaction, then
/// numbers its bundles on after the head office's last, in the copy's new epoch.
///
/// The rules, per key (`RejoinMerge`): a row the branch changed since it went back (its
/// unacknowledged bundles and its change log name it) is the branch's; every other row is as
/// the head office holds it. A key both sides took for different rows since the restore (the
/// AUTO_INCREMENT counter came back with the backup) keeps the head office's row, and the
/// branch's moves to a new key. The rows the head office already holds are written without
/// capture; only the branch's own changes and the moved rows travel up again.
public final class Rejoiner {
    /// The downlink's applier: the same head-office key, connection and acknowledgements.
    let downlink: DownlinkApplier
    var config: Config { downlink.config }
    var conn: MariaDBConnection { downlink.conn }
    var logger: Logger { downlink.logger }

    /// `connection` must allow LOAD DATA LOCAL (`Database.open(config, localInfile: true)`).
    public init(config: Config, connection: MariaDBConnection, logger: Logger) throws {
        downlink = try DownlinkApplier(config: config, connection: connection, logger: logger)
    }

    /// Where copies received over the downlink wait for `salesync rejoin`.
    public static func copiesDir(_ config: Config) -> String { config.stateDir + "/rejoin" }

    /// Checks a copy: signed by the head office, for this branch, a rejoin copy.
    func check(_ file: BundleFile, _ origin: String) throws {
        do { try file.verifySignature(downlink.headOffice) } catch {
            throw SyncError.data("\(origin): not signed by the head office's key (downlink.head_office_key)")
        }
        guard file.header.kind == .rejoin, let epoch = file.header.epoch, epoch > 0, file.header.base != nil else {
            throw SyncError.data("\(origin): not a rejoin copy (kind \(file.header.kind.rawValue))")
        }
        guard file.header.branch == config.site else {
            throw SyncError.data("\(origin): a rejoin copy for branch \(file.header.branch), this is \(config.site)")
        }
    }

    /// Keeps a copy that came down the downlink queue until `salesync rejoin` merges it.
    public func keep(_ file: BundleFile) throws {
        try check(file, "rejoin copy \(file.header.sequence)")
        let dir = Self.copiesDir(config)
        try ensureDirectory(dir)
        try writeFileAtomically(
            path: dir + "/" + Distributor.fileName(branch: config.site, sequence: file.header.sequence), bytes: Array(file.data))
        logger.notice("rejoin copy received: run salesync rejoin", metadata: ["seq": "\(file.header.sequence)"])
    }

    /// The newest rejoin copy in `dir` (USB: `dir/<site>/` or `dir`), else in the state directory.
    public func findCopy(in dir: String?) throws -> (path: String, file: BundleFile)? {
        let places = dir.map { [$0 + "/" + config.site, $0] } ?? [Self.copiesDir(config)]
        var best: (path: String, file: BundleFile)?
        for d in places {
            for name in ((try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []).sorted()
            where name.hasPrefix("ho-to-") && name.hasSuffix(".ssb") {
                let path = d + "/" + name
                let file = try BundleFile(path: path)
                guard file.header.kind == .rejoin else { continue }
                try check(file, path)
                if file.header.history > best?.file.header.history ?? 0 { best = (path, file) }
            }
        }
        return best
    }

    /// The epoch of the branch's last rejoin (0: never).
    public func currentEpoch() throws -> UInt64 {
        try conn.query("SELECT COALESCE(MAX(epoch), 0) FROM salesync_rejoins").first?.uint(0) ?? 0
    }

    /// Merges the copy; a copy merged before changes nothing.
    public func run(_ file: BundleFile, from path: String) throws -> RejoinReport {
        try check(file, path)
        var report = RejoinReport()
        report.epoch = file.header.history
        report.base = file.header.base ?? 0
        if try currentEpoch() >= report.epoch {
            report.alreadyDone = true
            logger.notice("\(report.text)")
            removeCopy(path)
            return report
        }
        if try !conn.query("SELECT 1 FROM salesync_state_lost LIMIT 1").isEmpty {
            return try keepDatabase(file, from: path, report)
        }
        // Without triggers, the change log holds the branch's changes once the feed has run.
        switch config.captureMode {
        case .binlog: try BinlogFeed(conn: conn, config: config, logger: logger).catchUp()
        case .compare: try CompareFeed(conn: conn, config: config, logger: logger).catchUp()
        case .triggers: break
        }
        let tables = try file.decodeBody()
        let unacknowledged = try conn.query("SELECT file FROM salesync_bundles WHERE status <> ?", [BundleStatus.acked.sql])
        let changes = try changedKeys(in: unacknowledged.compactMap { $0[0] })
        var firstFree: [String: Int64] = [:]
        for t in tables {
            let moving = (changes[t.section.name]?.count ?? 0) + (try pendingCount(t.section.name))
            firstFree[t.section.name] = try RejoinMerge.reserveKeys(conn, config, copy: t, moving: moving)
        }
        try conn.execute("SET @salesync_quiet = 1")
        defer { try? conn.execute("SET @salesync_quiet = NULL") }
        try commit(file, from: path, &report) { report in
            for t in tables {
                try RejoinMerge(
                    db: conn, config: config, copy: t, branchChanged: changes[t.section.name] ?? [],
                    firstFreeKey: firstFree[t.section.name]
                ).run(&report)
            }
            // Comparing: the rows written back are the head office's, so they count as exported
            // (the branch's own changes are in the change log already, and go up from there).
            if config.captureMode == .compare {
                try CompareFeed(conn: conn, config: config, logger: logger).feed(entries: false)
            }
        }
        return report
    }

    /// The rejoin of a branch that lost `state_dir` but kept its database (`Exporter.stateLost`):
    /// the database is the whole truth, so nothing of the copy is merged; every table goes up
    /// whole in the new epoch and replaces the head office's copy.
    private func keepDatabase(_ file: BundleFile, from path: String, _ report: RejoinReport) throws -> RejoinReport {
        var report = report
        report.keptWhole = true
        try commit(file, from: path, &report) { _ in
            try conn.execute("UPDATE salesync_capture SET snapshot_done = 0")
            try conn.execute("DELETE FROM salesync_state_lost")
        }
        return report
    }

    /// The rejoin's one transaction: `work`, the branch's old bundles dropped (their changes go
    /// in the new epoch), the rejoin recorded; once it commits, their files and the copy removed.
    private func commit(
        _ file: BundleFile, from path: String, _ report: inout RejoinReport, _ work: (inout RejoinReport) throws -> Void
    ) throws {
        let dropped: [String]
        try conn.begin()
        do {
            // First: marks this transaction in the binary log as salesync's own, whose writes a
            // capture reading it skips (BinlogFeed), as the triggers skip them for @salesync_quiet.
            try conn.execute("UPDATE salesync_binlog SET quiet = quiet + 1")
            try work(&report)
            dropped = try Exporter.dropUnacknowledged(conn)
            report.droppedBundles = dropped.count
            try record(file, report)
            faultPoint("rejoin-before-commit")
            try conn.commit()
        } catch {
            try? conn.rollback()
            throw error
        }
        faultPoint("rejoin-after-commit")
        Exporter.removeFromOutbox(config, dropped)
        removeCopy(path)
        logger.notice("\(report.text)")
    }

    /// Change-log entries of `table` not yet exported (an upper bound of the keys they name).
    func pendingCount(_ table: String) throws -> Int {
        guard let r = try conn.query("SELECT table_id, watermark FROM salesync_capture WHERE table_name = ?", [.text(table)]).first
        else { return 0 }
        return try Exporter.pendingEntries(conn, table: Int(r.int(0) ?? 0), watermark: r.uint(1) ?? 0)
    }

    /// The keys the branch's unacknowledged bundles carry, per table (their rows are the
    /// branch's changes since it went back, or were sent but never applied).
    func changedKeys(in files: [String]) throws -> [String: [[[UInt8]?]]] {
        var out: [String: [[[UInt8]?]]] = [:]
        for name in files {
            let path = config.outboxDir + "/" + name
            guard FileManager.default.fileExists(atPath: path) else {
                throw SyncError.other(
                    "bundle \(name) is recorded as not yet acknowledged but missing from \(config.outboxDir): its changes cannot be told apart (docs/operations.md, state_dir lost)"
                )
            }
            for t in try BundleFile(path: path).decodeBody() {
                let keys = t.upserts.projected(t.section.schema.keyIndexes)
                for i in 0..<keys.count { out[t.section.name, default: []].append(keys.row(i)) }
                for i in 0..<t.deletes.count { out[t.section.name, default: []].append(t.deletes.row(i)) }
            }
        }
        return out
    }

    /// The rejoin, and the copy as the downlink bundle it was (acknowledged to the head office
    /// like any other; the downlink numbers on after it).
    private func record(_ file: BundleFile, _ report: RejoinReport) throws {
        let text = report.text
        try conn.execute(
            "INSERT INTO salesync_rejoins (epoch, base_seq, downlink_seq, sha256, applied_at, report) VALUES (?, ?, ?, ?, NOW(6), ?)",
            [.uint(report.epoch), .uint(report.base), .uint(file.header.sequence), .text(file.sha256), .text(text)])
        let ack = Ack(
            status: .applied, branch: config.site, sequence: file.header.sequence, sha256: file.sha256, rows: file.header.rowCount,
            verdict: .unchecked, detail: "rejoin copy merged")
        try downlink.recordApplied(file, ack, orIgnore: true)
    }

    private func removeCopy(_ path: String) {
        guard path.hasPrefix(Self.copiesDir(config) + "/") else { return }
        try? FileManager.default.removeItem(atPath: path)
    }
}

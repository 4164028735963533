import Crypto
import Foundation
import Logging
import MariaDB

/// Head office: turns changes to its downlink tables into each branch's downlink bundles
/// (docs/downlink.md).
///
/// The head office captures its downlink tables exactly as a branch captures its sales (same
/// triggers, change logs and `Exporter`, over `Config.downlinkCapture`), which gives *master*
/// bundles. Each master bundle then becomes every branch's next bundle: when it holds no row
/// meant for one branch only, its compressed body is sealed again under that branch's header,
/// so a change for all branches is encoded once however many branches there are; otherwise the
/// rows are filtered per branch and encoded for each. A branch with no downlink yet gets a
/// snapshot of what is its instead.
///
/// Crash safety: the branches' files (one pack of frames, or a file each) are written under
/// their final names and flushed, then their records and the master's "distributed" mark commit
/// in one transaction. Everything reads these files through their records, so a file a crash
/// left without one is never used (and is overwritten by the next of that name); `recover`
/// removes such branch files after a run that did not end cleanly, which the absence of a stamp
/// file tells at the cost of a stat, and `pruneShared` such packs.
public final class Distributor {
    let config: Config
    let conn: MariaDBConnection
    let key: Curve25519.Signing.PrivateKey
    let logger: Logger
    /// `salesync_downlink` rows of the bundles staged in the open transaction, inserted together
    /// before it commits (one statement per few hundred branches instead of one each).
    private var records: [[SQLValue]] = []
    /// Whether a staged bundle was written as a file of its own (flushed with the file system)
    /// rather than in a pack (flushed as it was written).
    private var wroteLooseFiles = false

    public init(config: Config, connection: MariaDBConnection, key: Curve25519.Signing.PrivateKey, logger: Logger) {
        self.config = config
        self.conn = connection
        self.key = key
        self.logger = logger
    }

    /// Where branch `branch`'s downlink bundles wait to be sent or copied.
    public static func directory(_ config: Config, branch: String) -> String { config.downlinkDir + "/branches/" + branch }

    /// A downlink bundle's file name: says who sends it to whom, so it cannot be mistaken for a
    /// branch's own bundle on a USB stick that carries both.
    public static func fileName(branch: String, sequence: UInt64) -> String {
        "ho-to-\(branch.lowercased())-\(String(sequence).leftPadded(to: 12)).ssb"
    }

    /// Exports the downlink tables' changes and distributes every master bundle not yet
    /// distributed; returns the branch bundles written.
    @discardableResult
    public func run(shouldStop: @escaping () -> Bool = { false }) throws -> [DownlinkBundle] {
        guard config.downlink.isEnabled else { return [] }
        let capture = config.downlinkCapture
        _ = try Exporter(config: capture, connection: conn, key: key, logger: logger).run(shouldStop: shouldStop)
        try recover()
        var written: [DownlinkBundle] = []
        for master in try pendingMasters() {
            written += try distribute(master)
        }
        written += try snapshots(for: try branchesToResync())
        try pruneShared()
        return written
    }

    /// Master bundles exported and not yet handed to the branches, in sequence order.
    func pendingMasters() throws -> [(seq: UInt64, file: String)] {
        try conn.query("SELECT seq, file FROM salesync_bundles WHERE status = ? ORDER BY seq", [BundleStatus.pending.sql])
            .map { (UInt64($0.uint(0) ?? 0), $0[1] ?? "") }
    }

    /// The branches that get their whole copy next, each with the sequence it starts at: those
    /// that have never had a downlink bundle, and those whose copy drifted or was restored
    /// (`salesync_downlink_resync`).
    func branchesToResync() throws -> [(branch: String, next: UInt64)] {
        let known = Dictionary(uniqueKeysWithValues: try positions().map { ($0.branch, $0.next) })
        let asked = Set(try conn.query("SELECT branch_id FROM salesync_downlink_resync").compactMap { $0[0] })
        return config.branches.map(\.id).compactMap { b in
            guard let next = known[b] else { return (b, 1) }
            return asked.contains(b) ? (b, next) : nil
        }
    }

    /// Hands master bundle `seq` to every branch that has had everything before it, in one
    /// transaction with its "distributed" mark; the master file is then removed.
    func distribute(_ master: (seq: UInt64, file: String)) throws -> [DownlinkBundle] {
        let path = config.downlinkCapture.outboxDir + "/" + master.file
        let file = try BundleFile(path: path)
        let perBranch = try BranchRows(file: file, columns: config.downlink.branchColumns)
        try conn.begin()
        let level = config.export.compressionLevel
        let written = try staging {
            let targets = try positions().filter { $0.lastMaster < master.seq }
            let body = try perBranch.resealer.map { _ in try keepBody(linking: path, master: master.seq) }
            // Sealing a copy (a hash and a signature) and writing it is CPU work that does not
            // touch the connection: spread over the cores.
            let made: [(bundle: DownlinkBundle, header: BundleHeader)]
            if let resealer = perBranch.resealer, let body {
                let frames = try targets.concurrentMap { t in try frame(resealer, body: body, branch: t.branch, sequence: t.next) }
                made = try writePack(frames, master: master.seq, tag: "master")
            } else {
                made = try targets.concurrentMap { t in
                    let bytes = try perBranch.bundle(for: t.branch, sequence: t.next, key: key, level: level)
                    return try writeBundle(bytes, branch: t.branch, sequence: t.next, header: nil)
                }
            }
            for b in made { record(b.bundle, master: master.seq, kind: file.header.kind, header: b.header) }
            let written = made.map(\.bundle)
            try conn.execute(
                "UPDATE salesync_bundles SET status = ?, acked_at = NOW(6) WHERE seq = ?", [BundleStatus.acked.sql, .uint(master.seq)])
            faultPoint("distribute-before-commit")
            return written
        }
        removeFileIfPresent(path)
        return written
    }

    /// Per distributed branch: its next sequence and the last master bundle it has had.
    func positions() throws -> [(branch: String, next: UInt64, lastMaster: UInt64)] {
        // Two queries that each read one index entry per branch ("using index for group-by"):
        // one asking for both maxima read every record, and the records grow with every export
        // (3 ms at 10,000).
        func maxima(_ column: String, _ lock: String) throws -> [String: UInt64] {
            var m: [String: UInt64] = [:]
            for r in try conn.query("SELECT branch_id, MAX(\(column)) FROM salesync_downlink GROUP BY branch_id\(lock)") {
                m[r[0] ?? ""] = r.uint(1) ?? 0
            }
            return m
        }
        let last = try maxima("seq", " FOR UPDATE")
        let masters = try maxima("master_seq", "")
        return config.branches.compactMap { b in last[b.id].map { (b.id, $0 + 1, masters[b.id] ?? 0) } }
    }

    /// Writes a branch's bundle under its final name; its record is inserted with the others
    /// before `staging` commits.
    func stage(
        _ bytes: [UInt8], branch: String, sequence: UInt64, master: UInt64, kind: BundleKind, header known: BundleHeader? = nil
    ) throws -> DownlinkBundle {
        let (b, header) = try writeBundle(bytes, branch: branch, sequence: sequence, header: known)
        record(b, master: master, kind: kind, header: header)
        return b
    }

    /// Writes a branch's bundle under its final name, not flushed (`staging` flushes them all);
    /// touches neither the connection nor the records, so branches' bundles may be written at once.
    func writeBundle(
        _ bytes: [UInt8], branch: String, sequence: UInt64, header known: BundleHeader?
    ) throws -> (bundle: DownlinkBundle, header: BundleHeader) {
        let (path, name) = try stagingPath(branch: branch, sequence: sequence)
        // Made durable all at once before the commit (`staging`): one flush for 200 branches,
        // not 200. No temporary name: until the commit no record points at it. (A frame of the
        // same name, which would be read instead, went with `recover` if a crash left one.)
        try writeFile(path: path, bytes: bytes, mode: 0o640, sync: false)
        let b = DownlinkBundle(
            branch: branch, sequence: sequence, file: name, sha256: BundleFormat.checksumField(of: bytes).hex, bytes: bytes.count)
        return (b, try known ?? BundleFormat.writtenHeader(of: bytes))
    }

    /// Where branch `branch`'s bundle `sequence` is written (its folder made if need be).
    func stagingPath(branch: String, sequence: UInt64) throws -> (path: String, name: String) {
        let dir = Self.directory(config, branch: branch)
        try ensureDirectory(dir)
        let name = Self.fileName(branch: branch, sequence: sequence)
        return (dir + "/" + name, name)
    }

    /// Queues bundle `b`'s record, inserted with the others before `staging` commits.
    func record(_ b: DownlinkBundle, master: UInt64, kind: BundleKind, header: BundleHeader) {
        if b.frame == nil { wroteLooseFiles = true }
        var tables: [String] = []
        for t in header.tables where !tables.contains(t.name) { tables.append(t.name) }
        records.append(
            [
                .text(b.branch), .uint(b.sequence), .uint(master), .text(kind.rawValue), .text(b.file), .text(b.sha256),
                .int(Int64(b.bytes)), .int(Int64(header.rowCount)), BundleStatus.pending.sql, .text(tables.joined(separator: ",")),
            ] + FrameRef.sql(b.frame))
    }

    /// Inserts the staged bundles' records (in the caller's transaction).
    private func insertRecords() throws {
        defer { records = [] }
        var start = 0
        while start < records.count {
            let batch = records[start..<min(start + 256, records.count)]
            let tuple = "(?, ?, ?, ?, ?, ?, ?, ?, NOW(6), ?, ?, ?, ?, ?)"
            try conn.execute(
                """
                INSERT INTO salesync_downlink (branch_id, seq, master_seq, kind, file, sha256, bytes, row_count, created_at, status, tables,
                  \(FrameRef.columns))
                VALUES \(Array(repeating: tuple, count: batch.count).joined(separator: ", "))
                """, batch.flatMap { $0 })
            start += batch.count
        }
    }

    /// Runs `body` (which stages bundles) in the open transaction and commits. On failure
    /// nothing is recorded and the staged files are removed.
    func staging(_ body: () throws -> [DownlinkBundle]) throws -> [DownlinkBundle] {
        let written: [DownlinkBundle]
        do {
            (records, wroteLooseFiles) = ([], false)
            // Gone before the first file is written; the flush before the commit makes that
            // durable, so a record never exists without the stamp's absence having been seen.
            removeFileIfPresent(cleanStamp)
            written = try body()
            try insertRecords()
            // Many files of their own: one flush of the file system. Packs and bodies were
            // flushed as they were written; the stamp's removal is left.
            if wroteLooseFiles { try syncFileSystem(config.downlinkDir) } else if !written.isEmpty { flushDirectory(config.downlinkDir) }
            try conn.commit()
        } catch {
            records = []
            try? conn.rollback()
            try? recover()
            throw error
        }
        for b in written {
            logger.info("downlink bundle written", metadata: ["branch": "\(b.branch)", "seq": "\(b.sequence)", "bytes": "\(b.bytes)"])
        }
        markClean()
        return written
    }

    /// Present while no distribution is under way or unfinished (not flushed: lost to a power
    /// cut, it only costs one `recover` scan).
    var cleanStamp: String { config.downlinkDir + "/clean" }

    private func markClean() {
        try? ensureDirectory(config.downlinkDir)
        try? writeFile(path: cleanStamp, bytes: [], mode: 0o640, sync: false)
    }

    /// Clears what a run that did not end cleanly left: files without a record are removed, and
    /// a recorded bundle an earlier version left under its temporary name (`.ssb.tmp`, renamed
    /// after the commit) gets its final name. Only a stat when the last run ended cleanly: the
    /// scan reads every branch's folder and record.
    func recover() throws {
        guard !FileManager.default.fileExists(atPath: cleanStamp) else { return }
        // Any status but acknowledged: with an earlier version, a record could move on (sent)
        // before a power cut undid the rename it had not yet flushed.
        let recorded = try conn.query("SELECT branch_id, file FROM salesync_downlink WHERE status <> ?", [BundleStatus.acked.sql])
        var known = Set<String>()
        for r in recorded {
            let path = Self.directory(config, branch: r[0] ?? "") + "/" + (r[1] ?? "")
            known.insert(path)
            if !FileManager.default.fileExists(atPath: path) && FileManager.default.fileExists(atPath: path + ".tmp") {
                try renameDurably(from: path + ".tmp", to: path)
            }
        }
        for branch in config.branches.map(\.id) {
            let dir = Self.directory(config, branch: branch)
            for e in (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [] {
                let path = dir + "/" + e
                let bundle =
                    e.hasSuffix(".ssb.tmp")
                    ? String(path.dropLast(4))
                    : e.hasSuffix(".ssb" + Self.frameExtension)
                        ? String(path.dropLast(Self.frameExtension.count)) : e.hasSuffix(".ssb") ? path : nil
                let stale = e.hasSuffix(".ssb.tmp") && FileManager.default.fileExists(atPath: bundle ?? "")
                if let bundle, !known.contains(bundle) || stale {
                    removeFileIfPresent(path)
                }
            }
        }
        markClean()
    }
}

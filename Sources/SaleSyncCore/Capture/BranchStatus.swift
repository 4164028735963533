import Foundation
import MariaDB

/// A branch's state, for `salesync status` (table, JSON and metrics).
public struct BranchStatus: Codable, Sendable {
    public struct Table: Codable, Sendable {
        public var name: String
        public var watermark: UInt64
        public var unexportedChanges: Int
        public var holes: Int
        public var rows: Int64
    }
    public struct Counts: Codable, Sendable {
        public var count: Int
        public var bytes: Int64
    }
    public var site: String
    public var role = "branch"
    public var tables: [Table] = []
    public var pending = Counts(count: 0, bytes: 0)
    public var sent = Counts(count: 0, bytes: 0)
    public var acknowledged = Counts(count: 0, bytes: 0)
    public var rejected = Counts(count: 0, bytes: 0)
    /// Bundles the head office holds unapplied because this branch went back in time.
    public var wentBack = Counts(count: 0, bytes: 0)
    /// The head office's words when this branch went back in time (nil: it has not).
    public var wentBackDetail: String?
    /// A rejoin copy from the head office waits for `salesync rejoin` (its file name).
    public var rejoinCopy: String?
    /// The last rejoin: its epoch and what it did (`RejoinReport.text`).
    public var lastRejoin: Rejoin?
    public var oldestUnacknowledgedSeconds: Double?
    public var lastSequence: UInt64 = 0
    public var lastRun: Run?
    public var bundles: [Bundle] = []
    /// The head office's downlink as this branch has it (nil: the branch takes none).
    public var downlink: Downlink?
    /// `[capture] mode = "binlog"`: how far the binary log was read into the change logs (the
    /// changes after it are read, and counted, at the next export). Nil with triggers.
    public var binlogReadTo: String?
    /// `[capture] mode = "compare"`: changes are found (and counted) only when an export compares
    /// the tables, so the tables' `unexportedChanges` are those of another capture, if any.
    public var comparesTables = false

    public struct Downlink: Codable, Sendable {
        public var lastApplied: UInt64
        public var lastAppliedAt: String?
        public var verdict: Verdict?
        /// Chunks received of bundles not yet complete or applied.
        public var chunksWaiting: Int
        /// Acknowledgements not yet sent to the head office.
        public var acksUnsent: Int
    }

    public struct Run: Codable, Sendable {
        public var command: String
        public var started: String
        public var ended: String?
        public var outcome: String?
    }
    public struct Bundle: Codable, Sendable {
        public var sequence: UInt64
        public var file: String
        public var status: BundleStatus
        public var rows: Int64
        public var bytes: Int64
        public var detail: String?
    }

    /// One `salesync rejoin`.
    public struct Rejoin: Codable, Sendable {
        public var epoch: UInt64
        public var at: String
        public var report: String
    }

    public static func read(_ db: MariaDBConnection, config: Config, recentBundles: Int = 10) throws -> BranchStatus {
        var s = BranchStatus(site: config.site)
        for r in try db.query("SELECT table_id, table_name, watermark, state_rows FROM salesync_capture ORDER BY table_id") {
            let id = r.int(0) ?? 0
            let pending = try Exporter.pendingEntries(db, table: Int(id), watermark: r.uint(2) ?? 0)
            let holes = try db.query("SELECT COUNT(*) FROM salesync_holes WHERE table_id = ?", [.int(id)]).first?.int(0) ?? 0
            s.tables.append(
                Table(
                    name: r[1] ?? "", watermark: r.uint(2) ?? 0, unexportedChanges: Int(pending), holes: Int(holes),
                    rows: r.int(3) ?? 0))
        }
        for r in try db.query("SELECT status, COUNT(*), COALESCE(SUM(bytes), 0) FROM salesync_bundles GROUP BY status") {
            let c = Counts(count: Int(r.int(1) ?? 0), bytes: r.int(2) ?? 0)
            switch BundleStatus(r, 0) {
            case .pending: s.pending = c
            case .sent: s.sent = c
            case .acked: s.acknowledged = c
            case .rejected: s.rejected = c
            case .wentBack: s.wentBack = c
            case nil: break
            }
        }
        if let r = try db.query(
            "SELECT TIMESTAMPDIFF(MICROSECOND, MIN(created_at), NOW(6)) / 1e6 FROM salesync_bundles WHERE status <> ?",
            [BundleStatus.acked.sql]
        ).first,
            let v = r[0]
        {
            s.oldestUnacknowledgedSeconds = Double(v)
        }
        s.lastSequence = try Exporter.numbering(db, role: .branch).last
        s.wentBackDetail = try wentBackDetail(db)
        s.rejoinCopy = ((try? FileManager.default.contentsOfDirectory(atPath: Rejoiner.copiesDir(config))) ?? []).sorted().last {
            $0.hasSuffix(".ssb")
        }
        if let r = try db.query(
            "SELECT epoch, DATE_FORMAT(applied_at, '%Y-%m-%d %H:%i:%s'), report FROM salesync_rejoins ORDER BY epoch DESC LIMIT 1"
        ).first {
            s.lastRejoin = Rejoin(epoch: r.uint(0) ?? 0, at: r[1] ?? "", report: r[2] ?? "")
        }
        if let r = try db.query("SELECT command, started_at, ended_at, outcome FROM salesync_runs ORDER BY id DESC LIMIT 1").first {
            s.lastRun = Run(command: r[0] ?? "", started: r[1] ?? "", ended: r[2], outcome: r[3])
        }
        s.bundles = try db.query(
            "SELECT seq, file, status, row_count, bytes, ack_detail FROM salesync_bundles ORDER BY seq DESC LIMIT ?",
            [.int(Int64(recentBundles))]
        ).map {
            Bundle(
                sequence: $0.uint(0) ?? 0, file: $0[1] ?? "", status: BundleStatus($0, 2) ?? .pending, rows: $0.int(3) ?? 0,
                bytes: $0.int(4) ?? 0, detail: $0[5])
        }
        if config.downlink.headOfficeKey != nil { s.downlink = try readDownlink(db) }
        s.comparesTables = try CompareFeed.installed(db)
        s.binlogReadTo = try db.query("SELECT file, pos FROM salesync_binlog WHERE id = 1").first.map { "\($0[0] ?? ""):\($0[1] ?? "")" }
        return s
    }

    /// The head office's words on the first bundle it held because this branch went back in
    /// time (nil: none held).
    static func wentBackDetail(_ db: MariaDBConnection) throws -> String? {
        try db.query("SELECT ack_detail FROM salesync_bundles WHERE status = ? ORDER BY seq LIMIT 1", [BundleStatus.wentBack.sql])
            .first?[0]
    }

    public static func readDownlink(_ db: MariaDBConnection) throws -> Downlink {
        let last = try db.query(
            "SELECT seq, DATE_FORMAT(applied_at, '%Y-%m-%d %H:%i:%s'), verdict FROM salesync_downlink_applied ORDER BY seq DESC LIMIT 1"
        ).first
        return Downlink(
            lastApplied: last?.uint(0) ?? 0, lastAppliedAt: last?[1], verdict: last.flatMap { Verdict($0, 2) },
            chunksWaiting: Int(try db.query("SELECT COUNT(*) FROM salesync_inbox").first?.int(0) ?? 0),
            acksUnsent: Int(try db.query("SELECT COUNT(*) FROM salesync_downlink_applied WHERE ack_sent_at IS NULL").first?.int(0) ?? 0))
    }
}

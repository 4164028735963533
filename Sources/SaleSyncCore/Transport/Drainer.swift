import AMQP
import Foundation
import Logging
import MariaDB

/// Limits for one drain: when to stop and how fast to send.
public struct DrainOptions: Sendable {
    /// Stop starting new chunks after this instant.
    public var deadline: Date?
    /// Average bytes per second on the wire; nil for no limit.
    public var bandwidth: Int?
    /// After sending, wait up to this long for the head office's acknowledgements.
    public var ackWait: TimeInterval

    public init(deadline: Date? = nil, bandwidth: Int? = nil, ackWait: TimeInterval = 0) {
        self.deadline = deadline
        self.bandwidth = bandwidth
        self.ackWait = ackWait
    }
}

/// What a drain did and what is left.
public struct DrainReport: Sendable {
    public var bundlesSent = 0
    public var chunksSent = 0
    public var bytesSent = 0
    public var acksApplied = 0
    public var deadlineReached = false
    /// Bundles not yet acknowledged (pending, sent, or rejected by the head office).
    public var remaining = 0
    public var rejected = 0
}

/// The branch's side of the link: sends pending bundles in chunks with publisher confirms,
/// resuming where a cut transfer stopped, and applies the head office's acknowledgements.
public final class Drainer {
    let config: Config
    let db: Connection
    let logger: Logger

    public init(config: Config, connection: Connection, logger: Logger) {
        self.config = config
        self.db = connection
        self.logger = logger
    }

    struct Pending {
        var seq: UInt64
        var file: String
        var sha: String
        var status: String
        var chunkSize: Int
        var chunksTotal: Int
        var chunksSent: Int
        var sentLongAgo: Bool
    }

    /// Sends what is pending and collects acknowledgements, within `options`' limits.
    public func run(_ options: DrainOptions, progress: ((Int, Int) -> Void)? = nil) throws -> DrainReport {
        var report = DrainReport()
        let amqp = try Topology.connect(config)
        defer { amqp.close() }
        try Topology.declare(amqp, branch: config.site)
        try amqp.enableConfirms()
        // Acknowledgements first: no need to resend what the head office already has.
        report.acksApplied += try collectAcks(amqp)
        try send(amqp, options, &report, progress: progress)
        let ackDeadline = Date().addingTimeInterval(options.ackWait)
        while true {
            report.acksApplied += try collectAcks(amqp)
            report.remaining = try remainingCount()
            if report.remaining == 0 || Date() >= ackDeadline { break }
            if let d = options.deadline, Date() >= d { break }
            _ = try amqp.idle(for: min(1, max(0.05, ackDeadline.timeIntervalSinceNow)))
        }
        try pruneAcked()
        report.rejected = Int(try db.query("SELECT COUNT(*) FROM salesync_bundles WHERE status = 'rejected'").first?.int(0) ?? 0)
        return report
    }

    func remainingCount() throws -> Int {
        Int(try db.query("SELECT COUNT(*) FROM salesync_bundles WHERE status <> 'acked'").first?.int(0) ?? 0)
    }

    func pendingBundles() throws -> [Pending] {
        try db.query("""
            SELECT seq, file, sha256, status, chunk_size, chunks_total, chunks_sent,
                   COALESCE(sent_at < NOW(6) - INTERVAL ? SECOND, 0)
            FROM salesync_bundles WHERE status IN ('pending', 'sent') ORDER BY seq
            """, [.int(Int64(config.transfer.resendAfter))]).map {
            Pending(seq: $0.uint(0) ?? 0, file: $0[1] ?? "", sha: $0[2] ?? "", status: $0[3] ?? "",
                    chunkSize: Int($0.int(4) ?? 0), chunksTotal: Int($0.int(5) ?? 0), chunksSent: Int($0.int(6) ?? 0),
                    sentLongAgo: $0[7] == "1")
        }
    }

    private func send(_ amqp: AMQPConnection, _ options: DrainOptions, _ report: inout DrainReport,
                      progress: ((Int, Int) -> Void)?) throws {
        let started = Date()
        let exchange = Topology.bundleExchange(config.site)
        for var b in try pendingBundles() {
            if b.status == "sent" {
                guard b.sentLongAgo else { continue }
                logger.notice("no acknowledgement in time: sending again",
                              metadata: ["branch": "\(config.site)", "seq": "\(b.seq)"])
                b.chunksSent = 0
            }
            let path = config.outboxDir + "/" + b.file
            let bytes = try readFile(path)
            // A bundle damaged on the branch's own disk must not travel: it would be refused anyway.
            let file = try BundleFile(bytes: bytes)
            guard file.sha256 == b.sha else {
                throw SyncError.data("\(path): SHA-256 \(file.sha256) differs from the one recorded at export (\(b.sha))")
            }
            if b.chunkSize == 0 || b.chunksSent == 0 {
                // The chunking is fixed when a transfer starts, so a resumed transfer continues it.
                var size = config.transfer.chunkSize
                if let rate = options.bandwidth { size = min(size, max(16 << 10, rate)) }
                b.chunkSize = size
                b.chunksTotal = max(1, (bytes.count + size - 1) / size)
                try db.execute("UPDATE salesync_bundles SET chunk_size = ?, chunks_total = ?, chunks_sent = 0 WHERE seq = ?",
                               [.int(Int64(b.chunkSize)), .int(Int64(b.chunksTotal)), .uint(b.seq)])
            }
            let digest = BundleFormat.checksumField(of: bytes)
            var i = b.chunksSent
            let window = 8
            var confirmedUpTo = b.chunksSent
            var outstanding: [String: Int] = [:]
            func settle(_ r: ConfirmResult) throws {
                if let (id, why) = r.failed.first {
                    throw SyncError.temporary("the broker did not accept chunk \(id): \(why)")
                }
                for id in r.confirmed { outstanding.removeValue(forKey: id) }
                let lowest = outstanding.values.min() ?? i
                if lowest > confirmedUpTo {
                    confirmedUpTo = lowest
                    try db.execute("UPDATE salesync_bundles SET chunks_sent = ? WHERE seq = ?", [.int(Int64(confirmedUpTo)), .uint(b.seq)])
                    faultPoint("drain-chunk-confirmed")
                }
            }
            while i < b.chunksTotal {
                if let d = options.deadline, Date() >= d {
                    report.deadlineReached = true
                    break
                }
                let lo = i * b.chunkSize
                let hi = min(bytes.count, lo + b.chunkSize)
                let chunk = Chunk(branch: config.site, sequence: b.seq, index: i, count: b.chunksTotal, bundleSize: bytes.count,
                                  bundleSHA256: Array(digest), payload: Array(bytes[lo..<hi]))
                let body = chunk.encoded()
                let id = "\(config.site).\(b.seq).\(i)"
                try body.withUnsafeBytes {
                    try amqp.publish(exchange: exchange, routingKey: config.site, body: $0, messageId: id, type: "salesync.chunk")
                }
                outstanding[id] = i
                i += 1
                report.chunksSent += 1
                report.bytesSent += body.count
                progress?(report.bytesSent, report.chunksSent)
                if outstanding.count >= window { try settle(try amqp.awaitConfirms(maxOutstanding: window / 2, timeout: 60)) }
                if let rate = options.bandwidth {
                    // Hold the average to the limit; idle services heartbeats and confirms meanwhile.
                    let due = started.addingTimeInterval(Double(report.bytesSent) / Double(rate))
                    while Date() < due { try settle(try amqp.idle(for: min(1, due.timeIntervalSinceNow))) }
                }
            }
            try settle(try amqp.awaitConfirms(maxOutstanding: 0, timeout: 60))
            guard outstanding.isEmpty else {
                throw SyncError.temporary("the broker did not confirm \(outstanding.count) chunks of bundle \(b.seq) within 60 s")
            }
            if report.deadlineReached { break }
            try db.execute("UPDATE salesync_bundles SET status = 'sent', sent_at = NOW(6) WHERE seq = ? AND status <> 'acked'",
                           [.uint(b.seq)])
            report.bundlesSent += 1
            logger.info("bundle sent", metadata: ["branch": "\(config.site)", "seq": "\(b.seq)", "chunks": "\(b.chunksTotal)"])
            faultPoint("drain-bundle-sent")
        }
    }

    /// Takes every acknowledgement waiting in the branch's ack queue.
    func collectAcks(_ amqp: AMQPConnection) throws -> Int {
        var applied = 0
        while let d = try amqp.get(Topology.ackQueue(config.site)) {
            do {
                if try apply(try Ack.decode(d.body)) { applied += 1 }
            } catch let e as BundleError {
                logger.error("ignored a malformed acknowledgement: \(e)", metadata: ["branch": "\(config.site)"])
            }
            try amqp.ack(d.deliveryTag)
        }
        return applied
    }

    /// Applies one acknowledgement (from the broker or an ack file). Returns true when it changed
    /// a bundle's state; an ack for an unknown bundle or another checksum changes nothing.
    @discardableResult
    public func apply(_ ack: Ack) throws -> Bool {
        guard ack.branch == config.site else {
            logger.warning("acknowledgement for branch \(ack.branch) ignored (this is \(config.site))")
            return false
        }
        guard let row = try db.query("SELECT status, sha256, file FROM salesync_bundles WHERE seq = ?", [.uint(ack.sequence)]).first else {
            logger.warning("acknowledgement for unknown bundle ignored", metadata: ["branch": "\(ack.branch)", "seq": "\(ack.sequence)"])
            return false
        }
        guard row[1] == ack.sha256 else {
            logger.warning("acknowledgement with another checksum ignored",
                           metadata: ["branch": "\(ack.branch)", "seq": "\(ack.sequence)", "sha256": "\(ack.sha256)"])
            return false
        }
        if row[0] == "acked" { return false }
        switch ack.status {
        case "applied", "duplicate":
            try db.execute("UPDATE salesync_bundles SET status = 'acked', acked_at = NOW(6), ack_detail = ? WHERE seq = ?",
                           [.text("\(ack.status), \(ack.rows) rows, state \(ack.verdict)"), .uint(ack.sequence)])
            logger.info("bundle acknowledged", metadata: ["branch": "\(ack.branch)", "seq": "\(ack.sequence)", "verdict": "\(ack.verdict)"])
            if ack.verdict == "drift" {
                logger.error("the head office reports that its copy differs from this branch's data",
                             metadata: ["branch": "\(ack.branch)", "seq": "\(ack.sequence)"])
            }
            try moveAcked(row[2] ?? "")
        case "resend":
            try db.execute("UPDATE salesync_bundles SET status = 'pending', chunks_sent = 0, ack_detail = ? WHERE seq = ?",
                           [.text("resend requested: \(ack.detail)"), .uint(ack.sequence)])
            logger.notice("the head office asks for this bundle again", metadata: ["branch": "\(ack.branch)", "seq": "\(ack.sequence)"])
        case "rejected":
            try db.execute("UPDATE salesync_bundles SET status = 'rejected', ack_detail = ? WHERE seq = ?",
                           [.text("rejected: \(ack.detail)"), .uint(ack.sequence)])
            logger.error("the head office rejected this bundle: \(ack.detail)", metadata: ["branch": "\(ack.branch)", "seq": "\(ack.sequence)"])
        default:
            logger.warning("acknowledgement with unknown status \(ack.status) ignored")
            return false
        }
        return true
    }

    func moveAcked(_ file: String) throws {
        guard !file.isEmpty else { return }
        try ensureDirectory(config.ackedDir)
        let from = config.outboxDir + "/" + file
        if FileManager.default.fileExists(atPath: from) {
            try renameDurably(from: from, to: config.ackedDir + "/" + file)
        }
    }

    /// Moves acknowledged bundles still in the outbox (after a crash) and deletes acknowledged
    /// bundles older than `transfer.retention`.
    public func pruneAcked() throws {
        for r in try db.query("""
            SELECT file, acked_at < NOW(6) - INTERVAL ? SECOND FROM salesync_bundles WHERE status = 'acked'
              AND acked_at > NOW(6) - INTERVAL ? SECOND - INTERVAL 30 DAY
            """, [.int(Int64(config.transfer.retention)), .int(Int64(config.transfer.retention))]) {
            let file = r[0] ?? ""
            try moveAcked(file)
            if r[1] == "1" { try? FileManager.default.removeItem(atPath: config.ackedDir + "/" + file) }
        }
    }

    /// Imports ack files from a directory (the USB procedure's last step).
    public func importAcks(from dir: String) throws -> Int {
        let acks = dir + "/acks"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: acks)) ?? []).filter { $0.hasSuffix(".ack.json") }.sorted()
        var n = 0
        for name in names {
            let ack: Ack
            do { ack = try Ack.decode(try readFile(acks + "/" + name)) } catch {
                throw SyncError.data("\(acks)/\(name): \(error)")
            }
            guard ack.branch == config.site else { continue }
            if try apply(ack) { n += 1 }
        }
        try pruneAcked()
        return n
    }
}

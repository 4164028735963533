import AMQP
import Foundation
import Logging
import MariaDB

/// The branch's side of the link: sends pending bundles in chunks with publisher confirms,
/// resuming where a cut transfer stopped, and applies the head office's acknowledgements.
public final class Drainer: ChunkLedger {
    let config: Config
    let db: MariaDBConnection
    let logger: Logger
    /// What the drain is doing now, for the message when the link dies (see `enter`).
    private(set) var phase = "starting"
    private var watchdog: Watchdog?

    public init(config: Config, connection: MariaDBConnection, logger: Logger) {
        self.config = config
        self.db = connection
        self.logger = logger
    }

    /// A bundle waiting to be sent (or sent and waiting for its acknowledgement).
    struct Pending {
        var seq: UInt64
        var file: String
        var sha: String
        var status: BundleStatus
        var chunkSize: Int
        var chunksTotal: Int
        var chunksSent: Int
        var sentLongAgo: Bool
    }

    /// Names what the drain is doing, for the one-line message if the link dies now.
    func enter(_ what: String) {
        phase = what
        watchdog?.enter(what)
    }

    /// Sends what is pending and collects acknowledgements, within `options`' limits. A link that
    /// dies or is interrupted at the deadline ends the drain with a temporary error naming the phase.
    public func run(_ options: DrainOptions, progress: ((Int, Int) -> Void)? = nil) throws -> DrainReport {
        watchdog = options.watchdog
        let link = LinkInterrupter()
        options.watchdog?.watch(link)
        defer { options.watchdog?.unwatch(link) }
        var report = DrainReport()
        // The head office's downlink comes in on a connection of its own while the bundles go
        // out: the link's two directions are used at once, once the sales are on their way.
        let salesFirst = SalesFirst()
        defer { salesFirst.open() }
        let downlink = receiveDownlink(options, after: salesFirst)
        var node = 0
        var nodesLost = 0
        while true {
            do {
                try exchange(options, link, node: &node, &report, salesFirst, progress: progress)
                break
            } catch let e as AMQPError {
                salesFirst.open()
                // A node lost mid-run: carry on through the next one while the deadline allows.
                // What the broker confirmed is recorded; the rest is sent again.
                let urls = config.rabbitmq.urls
                guard urls.count > 1, e.isConnectionFailure, !e.isAccessRefused, !link.wasInterrupted, !options.shouldStop,
                    nodesLost < 2 * urls.count
                else { throw linkFailure(e, link) }
                nodesLost += 1
                logger.warning(
                    "broker node \(node + 1) of \(urls.count) lost while \(phase) (\(e)); carrying on through the next",
                    metadata: ["branch": "\(config.site)"])
                node = (node + 1) % urls.count
            }
        }
        if let downlink { report.downlink = downlink.value() }
        report.stopped = StopSignal.requested
        if options.shouldStop && !report.stopped { report.deadlineReached = true }
        report.remaining = try count(where: "status <> ?", .acked)
        report.rejected = try count(where: "status = ?", .rejected)
        report.wentBack = try BranchStatus.wentBackDetail(db)
        return report
    }

    /// Starts receiving the downlink when the branch accepts one (`downlink.head_office_key`).
    private func receiveDownlink(_ options: DrainOptions, after salesFirst: SalesFirst) -> Background<DownlinkResult>? {
        guard config.downlink.headOfficeKey != nil else { return nil }
        let receiver = DownlinkReceiver(config: config, logger: logger)
        return Background("downlink") {
            let link = LinkInterrupter()
            options.watchdog?.watch(link)
            defer { options.watchdog?.unwatch(link) }
            do {
                return DownlinkResult(report: try receiver.run(options, link: link, after: salesFirst), failure: nil)
            } catch {
                return DownlinkResult(report: nil, failure: "\(error)")
            }
        }
    }

    /// Everything said over the link: connect, declare, acks, bundles, acks again.
    private func exchange(
        _ options: DrainOptions, _ link: LinkInterrupter, node: inout Int, _ report: inout DrainReport,
        _ salesFirst: SalesFirst, progress: ((Int, Int) -> Void)?
    ) throws {
        enter("connecting to the broker")
        let (amqp, connected) = try Topology.connect(config, timeout: options.bounded(15), interrupter: link, first: node)
        node = connected
        defer { Topology.close(amqp, options) }
        enter("declaring the queues")
        try Topology.declare(amqp, for: config)
        try amqp.enableConfirms()
        // Acknowledgements first: no need to resend what the head office already has.
        enter("collecting acknowledgements")
        report.acksApplied += try collectAcks(amqp)
        salesFirst.open()
        try send(amqp, options, &report, progress: progress)
        let ackDeadline = Date().addingTimeInterval(options.ackWait)
        enter("waiting for acknowledgements")
        // The head office usually answers within milliseconds: look again soon, then less often.
        var pause: TimeInterval = 0.02
        while !options.shouldStop {
            report.acksApplied += try collectAcks(amqp)
            if try count(where: "status <> ?", .acked) == 0 || Date() >= ackDeadline { break }
            _ = try amqp.idle(for: options.bounded(min(pause, max(0.01, ackDeadline.timeIntervalSinceNow))))
            pause = min(pause * 2, 1)
        }
        try pruneAcked()
    }

    /// The one-line error for a link that failed: interrupted (deadline, signal) or dead.
    private func linkFailure(_ e: AMQPError, _ link: LinkInterrupter) -> Error {
        if link.wasInterrupted {
            let why = StopSignal.requested ? "stopped by a signal" : "deadline reached"
            return SyncError.temporary("\(why) while \(phase); the link was cut, confirmed chunks are kept and the next run continues")
        }
        guard e.isConnectionFailure else { return e }
        if e.isTimeout {
            let hint =
                config.rabbitmq.queueType == .quorum
                ? " (a quorum queue whose cluster has lost the majority of its nodes does not answer until they return)" : ""
            return SyncError.temporary("the broker did not answer while \(phase): \(e)\(hint)")
        }
        return SyncError.temporary("link to the broker lost while \(phase): \(e)")
    }

    private func count(where condition: String, _ status: BundleStatus) throws -> Int {
        Int(try db.query("SELECT COUNT(*) FROM salesync_bundles WHERE \(condition)", [status.sql]).first?.int(0) ?? 0)
    }

    func pendingBundles() throws -> [Pending] {
        try db.query(
            """
            SELECT seq, file, sha256, status, chunk_size, chunks_total, chunks_sent,
                   COALESCE(sent_at < NOW(6) - INTERVAL ? SECOND, 0)
            FROM salesync_bundles WHERE status IN (?, ?) ORDER BY seq
            """, [.int(Int64(config.transfer.resendAfter)), BundleStatus.pending.sql, BundleStatus.sent.sql]
        ).map {
            Pending(
                seq: $0.uint(0) ?? 0, file: $0[1] ?? "", sha: $0[2] ?? "", status: BundleStatus($0, 3) ?? .pending,
                chunkSize: Int($0.int(4) ?? 0), chunksTotal: Int($0.int(5) ?? 0), chunksSent: Int($0.int(6) ?? 0),
                sentLongAgo: $0[7] == "1")
        }
    }

    /// Sends every pending bundle (and every sent one whose acknowledgement is overdue), in
    /// sequence order, until done or the deadline.
    private func send(
        _ amqp: AMQPConnection, _ options: DrainOptions, _ report: inout DrainReport,
        progress: ((Int, Int) -> Void)?
    ) throws {
        let pace = Pace(bandwidth: options.bandwidth)
        for var b in try pendingBundles() {
            if b.status == .sent {
                guard b.sentLongAgo else { continue }
                logger.notice("no acknowledgement in time: sending again", metadata: ["branch": "\(config.site)", "seq": "\(b.seq)"])
                b.chunksSent = 0
            }
            let bytes = try readChecked(b)
            // On a paced link, chunks no bigger than a second's worth keep the confirms coming.
            let size = options.bandwidth.map { min(config.transfer.chunkSize, max(16 << 10, $0)) } ?? config.transfer.chunkSize
            try fixChunking(&b, bundleSize: bytes.count, chunkSize: size)
            enter("sending bundle \(b.seq)")
            var transfer = ChunkTransfer(
                ledger: self, amqp: amqp, route: (config.site, Topology.bundleExchange(config.site)), bundle: b, bytes: bytes, pace: pace)
            try transfer.run(options, &report, progress: progress)
            if transfer.unfinished { break }  // cut short by the deadline or a signal
            try db.execute(
                "UPDATE salesync_bundles SET status = ?, sent_at = NOW(6) WHERE seq = ? AND status <> ?",
                [BundleStatus.sent.sql, .uint(b.seq), BundleStatus.acked.sql])
            report.bundlesSent += 1
            logger.info("bundle sent", metadata: ["branch": "\(config.site)", "seq": "\(b.seq)", "chunks": "\(b.chunksTotal)"])
            faultPoint("drain-bundle-sent")
        }
    }

    /// The bundle's bytes, checked: a bundle damaged on the branch's own disk must not travel
    /// (it would be refused anyway).
    private func readChecked(_ b: Pending) throws -> [UInt8] {
        let path = config.outboxDir + "/" + b.file
        let bytes = try readFile(path)
        let file = try BundleFile(bytes: bytes)
        guard file.sha256 == b.sha else {
            throw SyncError.data("\(path): SHA-256 \(file.sha256) differs from the one recorded at export (\(b.sha))")
        }
        return bytes
    }

    func recordChunking(_ b: Pending) throws {
        try db.execute(
            "UPDATE salesync_bundles SET chunk_size = ?, chunks_total = ?, chunks_sent = 0 WHERE seq = ?",
            [.int(Int64(b.chunkSize)), .int(Int64(b.chunksTotal)), .uint(b.seq)])
    }

    /// Records that the broker confirmed a bundle's chunks below `index`: a resumed transfer starts there.
    func recordConfirmed(_ seq: UInt64, upTo index: Int) throws {
        try db.execute("UPDATE salesync_bundles SET chunks_sent = ? WHERE seq = ?", [.int(Int64(index)), .uint(seq)])
        faultPoint("drain-chunk-confirmed")
    }
}

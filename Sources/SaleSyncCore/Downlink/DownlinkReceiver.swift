import AMQP
import Foundation
import Logging
import MariaDB

/// Branch: takes the head office's downlink bundles from the branch's downlink queue during a
/// run, beside the drain and within the same deadline. Each chunk is stored in the inbox before
/// the broker forgets it, so a transfer cut by the deadline or a dead link resumes next window;
/// each bundle is applied (`DownlinkApplier`) as soon as it is complete, and its acknowledgement
/// goes back with the branch's bundles.
public struct DownlinkReceiver: Sendable {
    let config: Config
    let logger: Logger

    public init(config: Config, logger: Logger) {
        self.config = config
        self.logger = logger
    }

    /// What one run received.
    public struct Report: Sendable {
        public var chunks = 0
        public var applied = 0
        public var duplicates = 0
        /// Bundles refused (nothing applied), each with why.
        public var refused: [String] = []
        public var acksSent = 0
        /// Bundles complete but waiting for an earlier one.
        public var waiting = 0
        /// Rejoin copies received, kept for `salesync rejoin`.
        public var rejoinCopies = 0
        /// The deadline or a signal ended it before the queue was empty.
        public var cutShort = false
    }

    /// How many chunks the broker may push ahead of the branch's acks: enough to keep a slow
    /// link's queue busy while each ack crawls back behind the branch's own sales.
    static let prefetch: UInt16 = 4
    /// How long the receiver waits for a chunk it was told of: a 64 KiB chunk takes under a
    /// minute even at 9.6 kbit/s.
    static let silence: TimeInterval = 120

    /// Receives what the queue held when it started (later chunks wait for the next run), once
    /// `salesFirst` lets it, until done or `options` says stop; `link` ends a blocked call.
    public func run(_ options: DrainOptions, link: LinkInterrupter, after salesFirst: SalesFirst) throws -> Report {
        let db = try Database.open(config, localInfile: true)
        defer { db.close() }
        let applier = try DownlinkApplier(config: config, connection: db, logger: logger)
        let (amqp, _) = try Topology.connect(config, timeout: options.bounded(15), interrupter: link)
        defer { Topology.close(amqp, options) }
        try amqp.enableConfirms()
        var report = Report()
        report.acksSent += try sendAcks(db, amqp, options)
        let inbox = Inbox(db: db)
        if salesFirst.wait(unless: { options.shouldStop }) {
            try receive(amqp, inbox, applier, db, options, &report)
        }
        report.cutShort = report.cutShort || options.shouldStop
        try applyComplete(inbox, applier, &report)
        report.acksSent += try sendAcks(db, amqp, options)
        return report
    }

    /// Streams the queue's chunks into the inbox (a consumer, not one request per chunk: on a
    /// slow link each request would wait a round trip), applying each bundle once complete.
    private func receive(
        _ amqp: AMQPConnection, _ inbox: Inbox, _ applier: DownlinkApplier, _ db: MariaDBConnection, _ options: DrainOptions,
        _ report: inout Report
    ) throws {
        let queue = Topology.downlinkQueue(config.site)
        var left = try Topology.messageCount(amqp, queue)
        guard left > 0 else { return }
        try amqp.setPrefetch(Self.prefetch)
        try amqp.consume(queue)
        var lastHeard = Date()
        while left > 0, !options.shouldStop {
            guard let d = try amqp.nextDelivery(timeout: options.bounded(1)) else {
                // The count can overstate what comes: a message another consumer took, or the
                // queue purged. Never wait for ever on it.
                if -lastHeard.timeIntervalSinceNow > Self.silence {
                    logger.warning("downlink: nothing arrived for \(Int(Self.silence)) s though \(left) chunk(s) were expected")
                    report.cutShort = true
                    return
                }
                continue
            }
            lastHeard = Date()
            left -= 1
            var endsABundle = false
            do {
                let chunk = try Chunk(decoding: d.body)
                guard chunk.branch == config.site else { throw BundleError.malformed("chunk for branch \(chunk.branch)") }
                try inbox.store(chunk, branch: config.site)
                report.chunks += 1
                endsABundle = chunk.index == chunk.count - 1
            } catch let e as BundleError {
                report.refused.append("message in \(queue) is not a downlink chunk: \(e)")
            }
            // Stored (or refused) before the broker forgets it: a cut transfer resumes here.
            try amqp.ack(d.deliveryTag)
            if endsABundle {
                try applyComplete(inbox, applier, &report)
                report.acksSent += try sendAcks(db, amqp, options)
            }
        }
    }

    /// Applies, in order, the bundles whose chunks have all arrived; they then leave the inbox
    /// (a crash in between finds them applied next time: a duplicate, removed then).
    func applyComplete(_ inbox: Inbox, _ applier: DownlinkApplier, _ report: inout Report) throws {
        report.waiting = 0
        for b in try inbox.complete(config.site) {
            let outcome: DownlinkApplier.Outcome
            do {
                let file = try BundleFile(bytes: try inbox.assemble(config.site, b))
                // A rejoin copy is not applied in the downlink's order: it waits for `salesync rejoin`.
                if file.header.kind == .rejoin {
                    try Rejoiner(config: config, connection: applier.conn, logger: logger).keep(file)
                    report.rejoinCopies += 1
                    try inbox.remove(config.site, b)
                    continue
                }
                outcome = try applier.apply(file)
            } catch  where classify(error) == .data {
                report.refused.append("downlink bundle \(b.seq): \(error)")
                logger.error("downlink bundle refused, nothing applied", metadata: ["seq": "\(b.seq)", "reason": "\(error)"])
                try inbox.remove(config.site, b)
                continue
            }
            switch outcome {
            case .applied: report.applied += 1
            case .duplicate: report.duplicates += 1
            case .waiting:
                report.waiting += 1
                continue
            }
            try inbox.remove(config.site, b)
        }
    }

    /// Publishes the acknowledgements not yet sent, beside the branch's bundles; marks each sent
    /// once the broker confirms it.
    func sendAcks(_ db: MariaDBConnection, _ amqp: AMQPConnection, _ options: DrainOptions) throws -> Int {
        let owed = try DownlinkApplier.owedAcks(db)
        guard !owed.isEmpty else { return 0 }
        for r in owed {
            try (r.bytes(1) ?? []).withUnsafeBytes {
                try amqp.publish(
                    exchange: Topology.bundleExchange(config.site), routingKey: config.site, body: $0,
                    messageId: "\(config.site).downlink-ack.\(r[0] ?? "")", type: Topology.downlinkAckType)
            }
        }
        let confirmed = try amqp.awaitConfirms(maxOutstanding: 0, timeout: options.bounded(config.transfer.confirmTimeout))
        if let (id, why) = confirmed.failed.first { throw SyncError.temporary("the broker did not accept \(id): \(why)") }
        guard amqp.unconfirmedCount == 0 else { return 0 }
        try DownlinkApplier.markSent(db, owed)
        return owed.count
    }
}

import AMQP
import Foundation
import Logging
import MariaDB

/// The head office's ingest loop, for `ingest` and `ingest --once` alike: takes deliveries in
/// batches, stores them in the inbox, applies what is ready, sends the acknowledgements owed.
/// As a service it consumes every branch's queue until stopped, reconnecting (to the next broker
/// node, with backoff) when the broker or the database goes away; `--once` pulls what is waiting
/// and returns when a round finds nothing new.
public struct IngestService: Sendable {
    /// Whether the loop runs until stopped or until nothing is left.
    public enum Mode: Sendable { case serve, once }

    let config: Config
    let logger: Logger
    let mode: Mode
    /// Called with the chunks received so far (the command line's progress line).
    var progress: @Sendable (Int) -> Void = { _ in }
    /// Unacknowledged deliveries the broker may push at once: bounds memory, keeps the pipe full.
    let prefetch: UInt16 = 64
    /// How often the branches with chunks in the inbox are looked at even without news.
    var sweepEvery: TimeInterval = 1
    /// How often the service looks for a branch that went back in time and has no rejoin copy yet
    /// (at once when a round finds one).
    static let rejoinLookEvery: TimeInterval = 60
    /// Deliveries stored in the inbox at once at most, and their bytes: the rest of what the
    /// broker pushes waits in the socket, and other ingest processes can apply what is stored.
    let batchLimit = (count: 1024, bytes: 16 << 20)
    /// The longest wait between two reconnection attempts.
    var maxBackoff: TimeInterval = 60

    public init(config: Config, logger: Logger, mode: Mode, progress: @escaping @Sendable (Int) -> Void = { _ in }) {
        self.config = config
        self.logger = logger
        self.mode = mode
        self.progress = progress
    }

    /// Runs until `stop` says so (or, `--once`, until idle). A temporary failure (broker or
    /// database gone) is retried with backoff while serving; anything else is thrown.
    public func run(watchdog: Watchdog? = nil, stop: @escaping @Sendable () -> Bool) throws -> IngestReport {
        var backoff = 1.0
        var node = 0
        var total = IngestReport()
        while !stop() {
            do {
                try session(watchdog, node: &node, total: &total, stop: stop)
                if mode == .once { return total }
                backoff = 1
            } catch {
                if mode == .once || classify(error) != .temporary { throw error }
                logger.error("\(error); retrying in \(Int(backoff)) s")
                node += 1
                let until = Date().addingTimeInterval(backoff)
                while Date() < until && !stop() { usleep(50_000) }
                backoff = min(backoff * 2, maxBackoff)
            }
        }
        logger.notice("stopping on signal")
        return total
    }

    /// One connection's life: a receiving connection (deliveries only) and a publishing one
    /// (acknowledgements with confirms), so that confirms never interleave with deliveries.
    private func session(
        _ watchdog: Watchdog?, node: inout Int, total: inout IngestReport,
        stop: @escaping @Sendable () -> Bool
    ) throws {
        let db = try Database.open(config, localInfile: true)
        defer { db.close() }
        let links = [LinkInterrupter(), LinkInterrupter()]
        for l in links { watchdog?.watch(l) }
        defer { for l in links { watchdog?.unwatch(l) } }
        let (receiver, n) = try Topology.connect(config, interrupter: links[0], first: node)
        defer { receiver.close() }
        node = n
        let (publisher, _) = try Topology.connect(config, interrupter: links[1], first: n)
        defer { publisher.close() }
        try publisher.enableConfirms()
        let source = try openSource(receiver)
        let ingestor = try Ingestor(config: config, connection: db, logger: logger)
        defer { ingestor.close() }
        logger.info("receiving from \(config.branches.count) branch queue(s) through node \(n + 1)")
        try loop(source, ingestor, publisher, total: &total, stop: stop)
    }

    /// Rounds until stopped (`--once`: until a round receives and applies nothing).
    private func loop(
        _ source: DeliverySource, _ ingestor: Ingestor, _ publisher: AMQPConnection,
        total: inout IngestReport, stop: @escaping @Sendable () -> Bool
    ) throws {
        var lastSweep = Date.distantPast
        var busy = false
        // The head office's downlink bundles wait in the database until published here, between rounds.
        // (Also without downlink tables when the head office has a key: rejoin copies go this way.)
        let downlink =
            config.downlink.isEnabled || config.keyFile != nil
            ? DownlinkSender(config: config, connection: ingestor.db, logger: logger) : nil
        var lastRejoinLook = Date.distantPast
        var lastExport = Date.distantPast
        while !stop() {
            var report = IngestReport()
            var touched = Set<String>()
            // While bundles are being applied, another ingest process may have received more
            // than it can apply soon (the broker hands each consumer up to `prefetch` per queue):
            // the inbox they wait in is shared, so look at it again at once rather than wait.
            let batch = try takeBatch(source, wait: busy ? 0.005 : 1)
            if !batch.isEmpty {
                touched = try ingestor.receive(batch, on: source.connection, report: &report)
                progress(total.chunksReceived + report.chunksReceived)
            }
            // Also the branches whose inbox holds chunks without news (received by another
            // process, a quarantine retry, a crash before applying): one query finds them.
            if busy || mode == .once || Date().timeIntervalSince(lastSweep) >= sweepEvery {
                lastSweep = Date()
                touched.formUnion(try ingestor.branchesWithChunks())
            }
            if !touched.isEmpty { try ingestor.applyReady(report: &report, only: touched, stop: stop) }
            busy = !report.applied.isEmpty
            _ = try ingestor.sendAcks(publisher)
            if !report.wentBack.isEmpty || Date().timeIntervalSince(lastRejoinLook) >= Self.rejoinLookEvery {
                lastRejoinLook = Date()
                try prepareRejoinCopies()
            }
            if let downlink {
                if config.downlink.isEnabled && config.downlink.exportEvery > 0
                    && Date().timeIntervalSince(lastExport) >= config.downlink.exportEvery
                {
                    lastExport = Date()
                    try exportDownlink()
                }
                report.downlinkBytesSent += try downlink.send(publisher)
            }
            // The publishing connection is otherwise silent between acks: keep its heartbeats going.
            _ = try publisher.idle(for: 0.01)
            total.merge(report)
            if mode == .once && batch.isEmpty && report.applied.isEmpty && report.downlinkBytesSent == 0 { return }
        }
    }

    /// The downlink tables' changes into every branch's bundles (as `salesync export` does),
    /// on a connection of its own; skipped while an `export` from the command line holds the lock.
    private func exportDownlink() throws {
        guard let lock = try? LockedRun.stateLock(config, "downlink export") else { return }
        defer { lock.release() }
        let db = try Database.open(config)
        defer { db.close() }
        let key = try Keys.load(path: config.keyFile ?? "", config: config.path)
        try Distributor(config: config, connection: db, key: key, logger: logger).run()
    }

    /// A rejoin copy for every branch that went back in time and has none yet (`RejoinCopy`).
    private func prepareRejoinCopies() throws {
        let db = try Database.open(config)
        defer { db.close() }
        guard let keyFile = config.keyFile else {
            let waiting = try db.query("SELECT branch_id FROM salesync_branches WHERE went_back_seq IS NOT NULL").compactMap { $0[0] }
            if !waiting.isEmpty {
                logger.warning(
                    "\(waiting.joined(separator: ", ")) went back in time; its rejoin copy needs key_file at the head office (docs/downlink.md)"
                )
            }
            return
        }
        guard let lock = try? LockedRun.stateLock(config, "downlink export") else { return }
        defer { lock.release() }
        let key = try Keys.load(path: keyFile, config: config.path)
        try RejoinCopy(config: config, connection: db, key: key, logger: logger).prepareOwed()
    }

    /// Blocks (cheaply) up to `wait` seconds for the first delivery, then takes what else is
    /// already there, up to `batchLimit`.
    private func takeBatch(_ source: DeliverySource, wait: TimeInterval) throws -> [Delivery] {
        var batch: [Delivery] = []
        var bytes = 0
        var next = try source.next(timeout: wait)
        while let d = next {
            batch.append(d)
            bytes += d.body.count
            let room = batch.count < batchLimit.count && bytes < batchLimit.bytes
            next = room ? try source.next(timeout: 0.002) : nil
        }
        return batch
    }

    /// `--once` pulls every queue until empty (it must know when nothing is left); the service
    /// consumes them all.
    private func openSource(_ amqp: AMQPConnection) throws -> DeliverySource {
        let queues = config.branches.map { Topology.bundleQueue($0.id) }
        if mode == .once {
            try Topology.declare(amqp, for: config)
            return DeliverySource(amqp, polling: queues)
        }
        try amqp.setPrefetch(prefetch)
        try subscribeAll(amqp, queues)
        return DeliverySource(amqp, polling: nil)
    }

    /// Consumes every branch's bundle queue. With hundreds of branches, declaring every queue at
    /// each start is slow, and `init` declared them: only if one is missing (the broker closes the
    /// channel, and the consumers on it with it) are they all declared, then consumed again.
    private func subscribeAll(_ amqp: AMQPConnection, _ queues: [String]) throws {
        do {
            for q in queues { try amqp.consume(q) }
        } catch let e as AMQPError where e.kind == .broker && e.code == AMQPReplyCode.notFound {
            try amqp.reopenChannel()
            try amqp.setPrefetch(prefetch)
            try Topology.declare(amqp, for: config)
            for q in queues { try amqp.consume(q) }
        }
    }

    /// Where the ingest loop's deliveries come from: pushed by the broker to a consumer (the
    /// service), or pulled queue by queue with basic.get (`ingest --once`, which must be able to tell
    /// that every queue is empty).
    final class DeliverySource {
        let connection: AMQPConnection
        /// The queues pulled in turn; nil when the connection consumes.
        private let polled: [String]?
        /// The next queue to pull, so that one busy branch does not starve the others.
        private var cursor = 0

        init(_ connection: AMQPConnection, polling queues: [String]?) {
            self.connection = connection
            polled = queues
        }

        /// The next delivery: a consumer waits up to `timeout` for one; pulling returns nil at once
        /// when every queue is empty.
        func next(timeout: TimeInterval) throws -> Delivery? {
            guard let queues = polled else { return try connection.nextDelivery(timeout: timeout) }
            for _ in queues.indices {
                let q = queues[cursor]
                if let d = try connection.get(q) { return d }
                cursor = (cursor + 1) % queues.count
            }
            return nil
        }
    }
}

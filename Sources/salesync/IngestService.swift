import AMQP
import Foundation
import SaleSyncCore

/// The head office's ingest loop: subscribes to every branch's bundle queue and applies each
/// bundle as its last chunk arrives, sends the acknowledgements owed, and runs until SIGTERM,
/// reconnecting (to the next broker node, with backoff) when the broker or the database goes
/// away. `--once` instead takes what is waiting (basic.get) and exits.
struct IngestService {
    let ctx: Context
    let once: Bool
    let verbose: Bool
    /// Unacknowledged deliveries the broker may push at once: bounds memory, keeps the pipe full.
    let prefetch: UInt16 = 64
    /// How often the branches with chunks in the inbox are looked at even without news.
    let sweepEvery: TimeInterval = 1
    /// Deliveries stored in the inbox at once at most, and their bytes: the rest of what the
    /// broker pushes waits in the socket, and other ingest processes can apply what is stored.
    let batchLimit = (count: 1024, bytes: 16 << 20)

    func run() throws -> Int32 {
        // SIGTERM/SIGINT: finish the bundle in hand, then stop; a call blocked on a dead link is
        // interrupted a second later, and the watchdog ends the process if that is not enough.
        StopSignal.install()
        let watchdog = Watchdog(deadline: nil)
        defer { watchdog.finish() }
        let stop = { StopSignal.requested }
        var backoff = 1.0
        var node = 0
        var total = IngestReport()
        let progress = Progress("ingest")
        defer { progress.done() }
        while !stop() {
            do {
                if once { return finish(try takeWaiting()) }
                try serve(watchdog, node: &node, total: &total, progress: progress, stop: stop)
                backoff = 1
            } catch {
                let cls = classify(error)
                if once || cls != .temporary { throw error }
                ctx.logger.error("\(error); retrying in \(Int(backoff)) s")
                node += 1
                let until = Date().addingTimeInterval(backoff)
                while Date() < until && !stop() { usleep(100_000) }
                backoff = min(backoff * 2, 60)
            }
        }
        ctx.logger.notice("stopping on signal")
        return finish(total)
    }

    /// `ingest --once`: every waiting chunk, applied, acknowledged.
    private func takeWaiting() throws -> IngestReport {
        let db = try ctx.database(localInfile: true)
        defer { db.close() }
        let amqp = try Topology.connect(ctx.config)
        defer { amqp.close() }
        try Topology.declare(amqp, for: ctx.config)
        try amqp.enableConfirms()
        let ingestor = try Ingestor(config: ctx.config, connection: db, logger: ctx.logger)
        defer { ingestor.close() }
        return try ingestor.runUntilIdle(amqp)
    }

    /// One connection's life: a consuming connection (deliveries only) and a publishing one
    /// (acknowledgements with confirms), so that confirms never interleave with deliveries.
    private func serve(_ watchdog: Watchdog, node: inout Int, total: inout IngestReport, progress: Progress,
                       stop: @escaping () -> Bool) throws {
        let db = try ctx.database(localInfile: true)
        defer { db.close() }
        let links = (LinkInterrupter(), LinkInterrupter())
        for l in [links.0, links.1] { watchdog.watch(l) }
        defer { for l in [links.0, links.1] { watchdog.unwatch(l) } }
        let (consumer, n) = try Topology.connect(ctx.config, interrupter: links.0, first: node)
        defer { consumer.close() }
        node = n
        let (publisher, _) = try Topology.connect(ctx.config, interrupter: links.1, first: n)
        defer { publisher.close() }
        try publisher.enableConfirms()
        try consumer.setPrefetch(prefetch)
        try subscribeAll(consumer)
        let ingestor = try Ingestor(config: ctx.config, connection: db, logger: ctx.logger)
        defer { ingestor.close() }
        ctx.logger.info("consuming \(ctx.config.branches.count) branch queue(s) through node \(n + 1)")
        var lastSweep = Date.distantPast
        var busy = false
        while !stop() {
            var report = IngestReport()
            var touched = Set<String>()
            // While bundles are being applied, another ingest process may have received more
            // than it can apply soon (the broker hands each consumer up to `prefetch` per queue):
            // the inbox they wait in is shared, so look at it again at once rather than wait.
            let batch = try takeBatch(consumer, wait: busy ? 0.005 : 1)
            if !batch.isEmpty {
                touched = try ingestor.receive(batch, on: consumer, report: &report)
                progress.update(total.chunksReceived + report.chunksReceived, unit: "chunks")
            }
            // Every second, also the branches whose inbox holds chunks without news (received
            // by another process, a quarantine retry): one query finds them, however many branches.
            if busy || Date().timeIntervalSince(lastSweep) >= sweepEvery {
                lastSweep = Date()
                touched.formUnion(try ingestor.branchesWithChunks())
            }
            if !touched.isEmpty { try ingestor.applyReady(report: &report, only: touched, stop: stop) }
            busy = !report.applied.isEmpty
            _ = try ingestor.sendAcks(publisher)
            // The publishing connection is otherwise silent between acks: keep its heartbeats going.
            _ = try publisher.idle(for: 0.01)
            total.merge(report)
        }
    }

    /// Blocks (cheaply) up to `wait` seconds for the first delivery, then takes what else is
    /// already there, up to `batchLimit`.
    private func takeBatch(_ consumer: AMQPConnection, wait: TimeInterval) throws -> [Delivery] {
        var batch: [Delivery] = []
        var bytes = 0
        var next = try consumer.nextDelivery(timeout: wait)
        while let d = next {
            batch.append(d)
            bytes += d.body.count
            next = batch.count < batchLimit.count && bytes < batchLimit.bytes ? try consumer.nextDelivery(timeout: 0.002) : nil
        }
        return batch
    }

    /// Consumes every branch's bundle queue. With hundreds of branches, declaring every queue at
    /// each start is slow, and `init` declared them: only if one is missing (the broker closes the
    /// channel, and the consumers on it with it) are they all declared, then consumed again.
    private func subscribeAll(_ consumer: AMQPConnection) throws {
        do {
            for b in ctx.config.branches { try consumer.consume(Topology.bundleQueue(b.id)) }
        } catch let e as AMQPError where e.kind == .broker && e.code == Topology.notFound {
            try consumer.reopenChannel()
            try consumer.setPrefetch(prefetch)
            try Topology.declare(consumer, for: ctx.config)
            for b in ctx.config.branches { try consumer.consume(Topology.bundleQueue(b.id)) }
        }
    }

    func finish(_ r: IngestReport) -> Int32 {
        if verbose {
            print("\(r.chunksReceived) chunk(s) received; \(r.applied.count) bundle(s) applied (\(r.rowsApplied) rows; \(r.grouped) in transactions shared by several branches); \(r.duplicates) duplicate(s); \(r.quarantined) quarantined; \(r.resendRequested) resend request(s)")
            for (b, held) in r.held.sorted(by: { $0.key < $1.key }) { print("branch \(b): holding \(held.map(String.init).joined(separator: ", ")) until the missing bundles arrive") }
        }
        return 0
    }
}

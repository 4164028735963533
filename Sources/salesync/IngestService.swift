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
    let sweepEvery: TimeInterval = 30

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
        while !stop() {
            var report = IngestReport()
            var touched = Set<String>()
            // Block (cheaply) for the first delivery, then take what else is already there.
            var batch: [Delivery] = []
            var next = try consumer.nextDelivery(timeout: 1)
            while let d = next {
                batch.append(d)
                next = batch.count < Int(prefetch) ? try consumer.nextDelivery(timeout: 0.002) : nil
            }
            if !batch.isEmpty {
                touched = try ingestor.receive(batch, on: consumer, report: &report)
                progress.update(total.chunksReceived + report.chunksReceived, unit: "chunks")
            }
            // Every so often, also the branches whose inbox holds chunks without news (left by
            // another process, a quarantine retry): one query finds them, however many branches.
            if Date().timeIntervalSince(lastSweep) >= sweepEvery {
                lastSweep = Date()
                touched.formUnion(try ingestor.branchesWithChunks())
            }
            if !touched.isEmpty { try ingestor.applyReady(report: &report, only: touched, stop: stop) }
            _ = try ingestor.sendAcks(publisher)
            // The publishing connection is otherwise silent between acks: keep its heartbeats going.
            _ = try publisher.idle(for: 0.01)
            total.merge(report)
        }
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
            print("\(r.chunksReceived) chunk(s) received; \(r.applied.count) bundle(s) applied (\(r.rowsApplied) rows); \(r.duplicates) duplicate(s); \(r.quarantined) quarantined; \(r.resendRequested) resend request(s)")
            for (b, held) in r.held.sorted(by: { $0.key < $1.key }) { print("branch \(b): holding \(held.map(String.init).joined(separator: ", ")) until the missing bundles arrive") }
        }
        return 0
    }
}

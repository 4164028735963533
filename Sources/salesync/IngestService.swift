import AMQP
import Foundation
import SaleSyncCore

/// The head office's ingest loop: receive, apply, acknowledge; once, or as a service until
/// SIGTERM, reconnecting with backoff when the broker or the database goes away.
struct IngestService {
    let ctx: Context
    let once: Bool
    let verbose: Bool

    func run() throws -> Int32 {
        // SIGTERM/SIGINT: finish the bundle in hand, then stop; a call blocked on a dead link is
        // interrupted a second later, and the watchdog ends the process if that is not enough.
        StopSignal.install()
        let watchdog = Watchdog(deadline: nil)
        defer { watchdog.finish() }
        let stop = { StopSignal.requested }
        var backoff = 1.0
        var total = IngestReport()
        let progress = Progress("ingest")
        defer { progress.done() }
        while !stop() {
            do {
                let db = try ctx.database(localInfile: true)
                defer { db.close() }
                let link = LinkInterrupter()
                watchdog.watch(link)
                defer { watchdog.unwatch(link) }
                let amqp = try Topology.connect(ctx.config, interrupter: link)
                defer { amqp.close() }
                for b in ctx.config.branches { try Topology.declare(amqp, branch: b.id) }
                try amqp.enableConfirms()
                let ingestor = try Ingestor(config: ctx.config, connection: db, logger: ctx.logger)
                backoff = 1
                while !stop() {
                    var report = IngestReport()
                    let before = total.chunksReceived
                    try ingestor.runRound(amqp, report: &report, stop: stop) { progress.update(before + $0, unit: "chunks") }
                    total.merge(report)
                    if once && report.chunksReceived == 0 && report.applied.isEmpty { return finish(total) }
                    if report.chunksReceived == 0 { _ = try amqp.idle(for: 1) }
                }
            } catch {
                let cls = classify(error)
                if once || cls != .temporary { throw error }
                ctx.logger.error("\(error); retrying in \(Int(backoff)) s")
                let until = Date().addingTimeInterval(backoff)
                while Date() < until && !stop() { usleep(100_000) }
                backoff = min(backoff * 2, 60)
            }
        }
        ctx.logger.notice("stopping on signal")
        return finish(total)
    }

    func finish(_ r: IngestReport) -> Int32 {
        if verbose {
            print("\(r.chunksReceived) chunk(s) received; \(r.applied.count) bundle(s) applied (\(r.rowsApplied) rows); \(r.duplicates) duplicate(s); \(r.quarantined) quarantined; \(r.resendRequested) resend request(s)")
            for (b, held) in r.held.sorted(by: { $0.key < $1.key }) { print("branch \(b): holding \(held.map(String.init).joined(separator: ", ")) until the missing bundles arrive") }
        }
        return 0
    }
}

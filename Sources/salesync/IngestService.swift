import Foundation
import SaleSyncCore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Set by SIGTERM/SIGINT: finish the bundle in hand, then stop.
let stopRequested = Atomic<Bool>(false)

/// The head office's ingest loop: receive, apply, acknowledge; once, or as a service until
/// SIGTERM, reconnecting with backoff when the broker or the database goes away.
struct IngestService {
    let ctx: Context
    let once: Bool
    let verbose: Bool

    func run() throws -> Int32 {
        signal(SIGTERM) { _ in stopRequested.store(true, ordering: .relaxed) }
        signal(SIGINT) { _ in stopRequested.store(true, ordering: .relaxed) }
        // A parent may have started us with these signals blocked (the mask is inherited).
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &set, nil)
        let stop = { stopRequested.load(ordering: .relaxed) }
        var backoff = 1.0
        var total = IngestReport()
        let progress = Progress("ingest")
        defer { progress.done() }
        while !stop() {
            do {
                let db = try ctx.database(localInfile: true)
                defer { db.close() }
                let amqp = try Topology.connect(ctx.config)
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

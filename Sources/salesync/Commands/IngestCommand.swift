import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync ingest`: the head office's receiving and applying, from RabbitMQ or a directory.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Head office: apply branches' bundles from RabbitMQ (or a directory), exactly once, in order.",
        discussion: """
            Without --once it runs until SIGTERM, reconnecting with backoff when the broker or database \
            goes away. With --from it applies the bundle files in a directory and writes ack files to DIR/acks/.
            Examples: salesync --config /etc/salesync/ho.toml ingest --once
                      salesync --config /etc/salesync/ho.toml ingest --from /media/usb/salesync
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Take what is waiting, apply it, send acknowledgements, and exit.")
    var once = false
    @Option(help: "Apply bundle files from this directory instead of RabbitMQ (USB procedure).")
    var from: String?

    func run() throws {
        try Context.run(global, role: .headOffice) { ctx in
            if let from { return try ingestDirectory(ctx, from) }
            return try ingestQueues(ctx)
        }
    }

    /// The service (or `--once`) from RabbitMQ. SIGTERM/SIGINT: finish the bundle in hand, then
    /// stop; a call blocked on a dead link is interrupted a second later, and the watchdog ends
    /// the process if that is not enough.
    private func ingestQueues(_ ctx: Context) throws -> Int32 {
        StopSignal.install()
        let watchdog = Watchdog(deadline: nil)
        defer { watchdog.finish() }
        let progress = Progress("ingest")
        defer { progress.done() }
        let service = IngestService(config: ctx.config, logger: ctx.logger, mode: once ? .once : .serve) {
            progress.update($0, unit: "chunks")
        }
        let r = try service.run(watchdog: watchdog) { StopSignal.requested }
        if global.verbose {
            print(
                "\(r.chunksReceived) chunk(s) received; \(r.applied.count) bundle(s) applied (\(r.rowsApplied) rows; \(r.grouped) in transactions shared by several branches); \(r.duplicates) duplicate(s); \(r.quarantined) quarantined; \(r.resendRequested) resend request(s)"
            )
            for (b, held) in r.held.sorted(by: { $0.key < $1.key }) {
                print("branch \(b): holding \(held.map(String.init).joined(separator: ", ")) until the missing bundles arrive")
            }
        }
        return 0
    }

    private func ingestDirectory(_ ctx: Context, _ dir: String) throws -> Int32 {
        let db = try ctx.database(localInfile: true)
        defer { db.close() }
        let ingestor = try Ingestor(config: ctx.config, connection: db, logger: ctx.logger)
        defer { ingestor.close() }
        let r = try ingestor.ingestDirectory(dir)
        if global.verbose {
            print(
                "\(r.files) file(s): \(r.report.applied.count) applied (\(r.report.rowsApplied) rows), \(r.report.duplicates) already applied, \(r.report.quarantined) quarantined; \(r.ackFiles) ack file(s) written"
            )
        }
        return r.report.quarantined > 0 ? FailureClass.data.rawValue : 0
    }
}

import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync ingest`: the head office's receiving and applying, from RabbitMQ or a directory.
struct IngestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract:
            "Apply bundles exactly once, in order: branches' at the head office (RabbitMQ or a directory), the head office's downlink at a branch (a directory).",
        discussion: """
            Without --once it runs until SIGTERM, reconnecting with backoff when the broker or database \
            goes away. With --from it applies the bundle files in a directory and writes ack files to DIR/acks/. \
            At a branch, --from DIR applies the head office's downlink bundles from DIR/<site>/ and writes \
            the acknowledgements to DIR/<site>/acks/ (docs/downlink.md).
            Examples: salesync ingest --once
                      salesync ingest --from /media/usb/salesync
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Take what is waiting, apply it, send acknowledgements, and exit.")
    var once = false
    @Option(help: "Apply bundle files from this directory instead of RabbitMQ (USB procedure).")
    var from: String?

    func run() throws {
        try Context.run(global) { ctx in
            if ctx.config.role == .branch { return try ingestDownlink(ctx) }
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
        for b in r.report.wentBack.sorted() {
            FileHandle.standardError.write(
                Data("salesync: branch \(b) went back in time: its bundles are held (salesync status, docs/operations.md)\n".utf8))
        }
        return r.report.quarantined > 0 || !r.report.wentBack.isEmpty ? FailureClass.data.rawValue : 0
    }

    /// A branch: the head office's downlink bundles from a directory (USB procedure).
    private func ingestDownlink(_ ctx: Context) throws -> Int32 {
        guard let from else {
            throw SyncError.config(
                "at a branch, ingest takes --from DIR (the head office's downlink bundles on a USB stick); run receives them from RabbitMQ")
        }
        let ahead = DownlinkReadAhead(dir: from, site: ctx.config.site)
        return try ctx.lockedRun("ingest", localInfile: true) { db, _ in
            let r = try DownlinkApplier(config: ctx.config, connection: db, logger: ctx.logger).applyDirectory(from, ahead: ahead)
            for (file, reason) in r.refused {
                FileHandle.standardError.write(Data("salesync: \(file): refused, nothing applied: \(reason)\n".utf8))
            }
            if global.verbose {
                print(
                    "\(r.applied.count) downlink bundle(s) applied, \(r.duplicates) already applied, \(r.refused.count) refused; \(r.ackFiles) ack file(s) written"
                )
            }
            if let m = r.missing { print("downlink bundle \(m) is missing: the later ones wait for it") }
            return r.refused.isEmpty ? 0 : FailureClass.data.rawValue
        }
    }
}

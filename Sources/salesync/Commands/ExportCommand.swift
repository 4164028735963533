import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync export`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the changes since the last export into signed bundle files (a branch's sales; the head office's downlink).",
        discussion: """
            The first export of a table sends all of its rows (a snapshot); later ones send what was \
            inserted, updated or deleted since. With --to, every bundle not yet acknowledged is also \
            copied to a directory (a USB stick) for the head office.
            At the head office it exports the downlink tables (docs/downlink.md) into each branch's \
            bundles; with --to, every branch's unacknowledged ones go to DIR/<branch>/.
            Example: salesync export --to /media/usb/salesync
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Send the whole content of every table again (the head office replaces this branch's rows).")
    var snapshot = false
    @Option(help: "Also copy every unacknowledged bundle to this directory (USB procedure).")
    var to: String?
    @Flag(
        help: """
            Leave the change-log entries this export reads to the next export or run (the default now: each \
            export deletes what earlier ones left, beside its own work); kept for scripts that pass it.
            """)
    var deferPrune = false

    func run() throws {
        try Context.run(global) { ctx in
            if ctx.config.role == .headOffice { return try exportDownlink(ctx) }
            return try ctx.lockedRun("export") { db, watchdog in
                // The entries earlier exports read are deleted on a connection of their own while this
                // one reads the newer ones (no row is wanted by both); this export's entries wait for
                // the next export or run. The clean-up overlaps the work instead of adding to it.
                let bundles = try Exporter.pruningBeside(config: ctx.config, logger: ctx.logger, watchdog: watchdog) {
                    try ctx.export(db, snapshot: snapshot, prune: false, watchdog: watchdog)
                }
                if let to {
                    let n = try Courier.copyPending(db, config: ctx.config, to: to)
                    ctx.logger.info("copied \(n) bundle(s) to \(to)")
                    if global.verbose { print("copied \(n) bundle(s) to \(to)") }
                }
                if global.verbose {
                    for b in bundles { print("bundle \(b.sequence): \(b.file), \(b.rows) rows, \(b.bytes) bytes") }
                }
                return 0
            }
        }
    }

    /// The head office's export: its downlink tables into every branch's bundles.
    private func exportDownlink(_ ctx: Context) throws -> Int32 {
        guard ctx.config.downlink.isEnabled else {
            throw SyncError.config(
                "\(ctx.config.path): key downlink.tables: the head office exports only its downlink tables, and none is declared")
        }
        return try ctx.lockedRun("export") { db, watchdog in
            let key = try Keys.load(path: ctx.config.keyFile ?? "", config: ctx.config.path)
            let distributor = Distributor(config: ctx.config, connection: db, key: key, logger: ctx.logger)
            let bundles = try distributor.run(shouldStop: { watchdog.shouldStop })
            if let to {
                let n = try DownlinkOutbox(config: ctx.config, connection: db).copyPending(to: to)
                ctx.logger.info("copied \(n) downlink bundle(s) to \(to)")
                if global.verbose { print("copied \(n) downlink bundle(s) to \(to)") }
            }
            if global.verbose {
                for b in bundles { print("branch \(b.branch) bundle \(b.sequence): \(b.file), \(b.bytes) bytes") }
            }
            return 0
        }
    }
}

import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync export`.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Branch: write the changes since the last export into signed bundle files in the outbox.",
        discussion: """
            The first export of a table sends all of its rows (a snapshot); later ones send what was \
            inserted, updated or deleted since. With --to, every bundle not yet acknowledged is also \
            copied to a directory (a USB stick) for the head office.
            Example: salesync --config /etc/salesync/bo1.toml export --to /media/usb/salesync
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
        try Context.run(global, role: .branch) { ctx in
            try ctx.branchRun("export") { db, watchdog in
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
}

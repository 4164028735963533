import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync run`.
struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Branch: export, then drain (what cron starts in the connectivity window).",
        discussion: """
            Example (cron): salesync run --window 18:00-19:30 --ack-wait 60s
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var window: WindowOptions

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            let options = try window.drainOptions()
            return try ctx.lockedRun("run", deadline: options.deadline) { db, watchdog in
                _ = try ctx.export(db, snapshot: false, prune: false, watchdog: watchdog)
                return try Exporter.pruningBeside(config: ctx.config, logger: ctx.logger, watchdog: watchdog) {
                    try ctx.drain(db, options, watchdog: watchdog)
                }
            }
        }
    }
}

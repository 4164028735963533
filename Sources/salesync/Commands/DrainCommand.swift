import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync drain`.
struct DrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain",
        abstract: "Branch: send pending bundles to RabbitMQ and collect the head office's acknowledgements.",
        discussion: """
            Stops cleanly at --until / --max-duration; a cut transfer resumes at the next chunk. Exit 0 when \
            everything is sent and acknowledged, 75 when work is left for the next window.
            Example: salesync drain --window 18:00-19:30 --bwlimit 256k
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var window: WindowOptions

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            let options = try window.drainOptions()
            return try ctx.lockedRun("drain", deadline: options.deadline) { db, watchdog in try ctx.drain(db, options, watchdog: watchdog) }
        }
    }
}

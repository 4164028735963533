import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync rejoin`.
struct RejoinCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rejoin",
        abstract: "Branch: after going back in time, merge the head office's copy of this branch's rows and sync on.",
        discussion: """
            For a branch restored from a backup, or a new PC under the old site id (docs/operations.md). The head \
            office prepares the copy by itself once it has seen the branch's bundle; without --from this command \
            fetches it from RabbitMQ within the window options' deadline. Every row the rules settle is listed. \
            Exit 0 when merged (or merged before), 75 when the copy has not arrived yet, 65 when it is refused.
            Examples: salesync rejoin --max-duration 30m
                      salesync rejoin --from /media/usb
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var window: WindowOptions

    @Option(help: "Take the copy from this directory (USB procedure: DIR/<site>/ or DIR) and write the acknowledgement there.")
    var from: String?

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            let options = try window.drainOptions()
            return try ctx.lockedRun("rejoin", deadline: options.deadline, localInfile: true) { db, watchdog in
                let rejoiner = try Rejoiner(config: ctx.config, connection: db, logger: ctx.logger)
                var copy = try rejoiner.findCopy(in: from)
                if copy == nil && from == nil {
                    // The copy comes down the downlink queue with the branch's ordinary run.
                    var o = options
                    o.watchdog = watchdog
                    _ = try? Drainer(config: ctx.config, connection: db, logger: ctx.logger).run(o)
                    copy = try rejoiner.findCopy(in: nil)
                }
                guard let copy else {
                    throw SyncError.temporary(
                        from.map { "no rejoin copy for \(ctx.config.site) in \($0) or \($0)/\(ctx.config.site)" }
                            ?? "no rejoin copy from the head office yet: it prepares one once it has received a bundle of this branch's (salesync status there); run this again in the next window, or bring it by USB (--from DIR)"
                    )
                }
                // Its report is what the command is for, like status's: on stdout, every settled row listed
                // (also kept for `salesync status` and the console).
                let report = try rejoiner.run(copy.file, from: copy.path)
                print(report.text)
                if let from {
                    let n = try DownlinkApplier(config: ctx.config, connection: db, logger: ctx.logger)
                        .writeAcks(to: from + "/" + ctx.config.site + "/acks")
                    ctx.logger.info("wrote \(n) acknowledgement file(s) for the head office")
                }
                if !report.alreadyDone {
                    print("the next run sends this branch's changes as bundle \(report.base + 1) of epoch \(report.epoch)")
                }
                return 0
            }
        }
    }
}

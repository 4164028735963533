import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync acks`.
struct AcksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acks",
        abstract:
            "Import acknowledgement files from a directory (USB procedure): the head office's at a branch, the branches' downlink acks at the head office.",
        discussion: "Example: salesync acks --from /media/usb/salesync")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The directory holding acks/ (the USB stick).")
    var from: String

    func run() throws {
        try Context.run(global) { ctx in
            try ctx.lockedRun("acks") { db, _ in
                let n =
                    ctx.config.role == .branch
                    ? try Drainer(config: ctx.config, connection: db, logger: ctx.logger).importAcks(from: from)
                    : try DownlinkOutbox(config: ctx.config, connection: db).importAcks(from: from)
                if global.verbose { print("\(n) acknowledgement(s) imported") }
                return 0
            }
        }
    }
}

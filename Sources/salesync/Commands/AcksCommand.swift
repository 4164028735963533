import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync acks`.
struct AcksCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "acks",
        abstract: "Branch: import acknowledgement files the head office wrote to a directory (USB procedure).",
        discussion: "Example: salesync --config /etc/salesync/bo1.toml acks --from /media/usb/salesync")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The directory holding acks/ (the USB stick).")
    var from: String

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            try ctx.branchRun("acks") { db, _ in
                let n = try Drainer(config: ctx.config, connection: db, logger: ctx.logger).importAcks(from: from)
                if global.verbose { print("\(n) acknowledgement(s) imported") }
                return 0
            }
        }
    }
}

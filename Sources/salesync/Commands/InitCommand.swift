import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync init`.
struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create salesync's tables (and capture, on a branch) and declare the RabbitMQ queues. Idempotent.",
        discussion: """
            Example: salesync init
            A branch installed while its link is down: salesync init --offline (the first drain declares the queues).
            """)

    @OptionGroup var global: GlobalOptions

    @Flag(help: "Do not contact RabbitMQ: the tables and capture only (a branch whose link is down; its first drain declares the queues).")
    var offline = false

    func run() throws {
        try Context.run(global) { ctx in
            let db = try ctx.database(upgrading: true)
            defer { db.close() }
            let c = ctx.config
            let lines = c.role == .branch ? try Capture.install(db, config: c) : try HeadOfficeStore.install(db, config: c)
            for l in lines { ctx.logger.info("\(l)") }
            try ensureDirectory(c.stateDir)
            if offline {
                ctx.logger.notice("RabbitMQ not contacted (--offline): the first drain declares the queues")
            } else {
                let amqp = try Topology.connect(c)
                defer { amqp.close() }
                try Topology.declare(amqp, for: c)
            }
            if global.verbose { lines.forEach { print($0) } }
            return 0
        }
    }
}

import ArgumentParser
import Foundation
import SaleSyncCore

extension Context {
    /// Runs a branch command under the state-directory lock, recording it in salesync_runs.
    func branchRun(_ command: String, _ body: (MariaDBConnection) throws -> Int32) throws -> Int32 {
        let lock = try self.lock(command)
        defer { lock.release() }
        let db = try database()
        defer { db.close() }
        let record = try RunRecord(db, command: command)
        do {
            let code = try body(db)
            record.finish(code == 0 ? "ok" : "incomplete (exit \(code))")
            return code
        } catch {
            record.finish("failed: \(error)")
            throw error
        }
    }

    func export(_ db: MariaDBConnection, snapshot: Bool) throws -> [ExportedBundle] {
        let key = try Keys.load(path: config.keyFile ?? "", config: config.path)
        let progress = Progress("export")
        defer { progress.done() }
        let bundles = try Exporter(config: config, connection: db, key: key, logger: logger)
            .run(snapshot: snapshot) { progress.update($0, unit: "rows") }
        if bundles.isEmpty { logger.info("nothing to export") }
        return bundles
    }

    func drain(_ db: MariaDBConnection, _ window: WindowOptions) throws -> Int32 {
        let options = try window.drainOptions()
        let progress = Progress("drain")
        defer { progress.done() }
        let report = try Drainer(config: config, connection: db, logger: logger)
            .run(options) { bytes, _ in progress.update(bytes, unit: "bytes") }
        logger.info("drain finished", metadata: ["sent": "\(report.bundlesSent)", "chunks": "\(report.chunksSent)",
                                                 "bytes": "\(report.bytesSent)", "acks": "\(report.acksApplied)",
                                                 "unacknowledged": "\(report.remaining)"])
        if report.remaining == 0 { return 0 }
        var why = "\(report.remaining) bundle(s) not yet acknowledged"
        if report.deadlineReached { why = "deadline reached; " + why }
        if report.rejected > 0 { why += " (\(report.rejected) rejected by the head office: see salesync status)" }
        FileHandle.standardError.write(Data("salesync: \(why); the next run continues\n".utf8))
        return FailureClass.temporary.rawValue
    }
}

typealias MariaDBConnection = MariaDB.Connection
import MariaDB

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
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

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            try ctx.branchRun("export") { db in
                let bundles = try ctx.export(db, snapshot: snapshot)
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

struct Drain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Branch: send pending bundles to RabbitMQ and collect the head office's acknowledgements.",
        discussion: """
            Stops cleanly at --until / --max-duration; a cut transfer resumes at the next chunk. Exit 0 when \
            everything is sent and acknowledged, 75 when work is left for the next window.
            Example: salesync --config /etc/salesync/bo1.toml drain --until 19:30 --bwlimit 256k
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var window: WindowOptions

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            try ctx.branchRun("drain") { db in try ctx.drain(db, window) }
        }
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Branch: export, then drain (what cron starts in the connectivity window).",
        discussion: """
            Example (cron): salesync --config /etc/salesync/bo1.toml run --until 19:30 --ack-wait 60s
            """)

    @OptionGroup var global: GlobalOptions
    @OptionGroup var window: WindowOptions

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            try ctx.branchRun("run") { db in
                _ = try ctx.export(db, snapshot: false)
                return try ctx.drain(db, window)
            }
        }
    }
}

struct Acks: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Branch: import acknowledgement files the head office wrote to a directory (USB procedure).",
        discussion: "Example: salesync --config /etc/salesync/bo1.toml acks --from /media/usb/salesync")

    @OptionGroup var global: GlobalOptions
    @Option(help: "The directory holding acks/ (the USB stick).")
    var from: String

    func run() throws {
        try Context.run(global, role: .branch) { ctx in
            try ctx.branchRun("acks") { db in
                let n = try Drainer(config: ctx.config, connection: db, logger: ctx.logger).importAcks(from: from)
                if global.verbose { print("\(n) acknowledgement(s) imported") }
                return 0
            }
        }
    }
}

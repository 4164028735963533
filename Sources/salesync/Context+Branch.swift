import ArgumentParser
import Foundation
import MariaDB
import SaleSyncCore

extension Context {
    /// Runs a branch command under the state-directory lock, recording it in salesync_runs. A
    /// watchdog ends it by `deadline` (or a few seconds after SIGTERM/SIGINT) whatever the link
    /// does, closing the run record even if it has to end the process itself.
    func branchRun(_ command: String, deadline: Date? = nil, _ body: (MariaDBConnection, Watchdog) throws -> Int32) throws -> Int32 {
        StopSignal.install()
        let lock = try self.lock(command)
        defer { lock.release() }
        let db = try database()
        defer { db.close() }
        let record = try RunRecord(db, command: command)
        let watchdog = Watchdog(deadline: deadline)
        defer { watchdog.finish() }
        let config = self.config
        let runID = record.id
        watchdog.onHardStop { why in RunRecord.finish(id: runID, config: config, outcome: "stopped: \(why)") }
        do {
            let code = try body(db, watchdog)
            record.finish(code == 0 ? "ok" : StopSignal.requested ? "stopped by a signal (exit \(code))" : "incomplete (exit \(code))")
            return code
        } catch {
            record.finish("failed: \(error)")
            throw error
        }
    }

    func export(_ db: MariaDBConnection, snapshot: Bool, prune: Bool = true, watchdog: Watchdog) throws -> [ExportedBundle] {
        let key = try Keys.load(path: config.keyFile ?? "", config: config.path)
        let progress = Progress("export")
        defer { progress.done() }
        let bundles = try Exporter(config: config, connection: db, key: key, logger: logger)
            .run(snapshot: snapshot, prune: prune, shouldStop: { watchdog.shouldStop }) { progress.update($0, unit: "rows") }
        if bundles.isEmpty { logger.info("nothing to export") }
        return bundles
    }

    func drain(_ db: MariaDBConnection, _ options: DrainOptions, watchdog: Watchdog) throws -> Int32 {
        var options = options
        options.watchdog = watchdog
        let progress = Progress("drain")
        defer { progress.done() }
        let report = try Drainer(config: config, connection: db, logger: logger)
            .run(options) { bytes, _ in progress.update(bytes, unit: "bytes") }
        logger.info(
            "drain finished",
            metadata: [
                "sent": "\(report.bundlesSent)", "chunks": "\(report.chunksSent)",
                "bytes": "\(report.bytesSent)", "acks": "\(report.acksApplied)",
                "unacknowledged": "\(report.remaining)",
            ])
        if report.remaining == 0 && !report.stopped { return 0 }
        var why = "\(report.remaining) bundle(s) not yet acknowledged"
        if report.deadlineReached { why = "deadline reached; " + why }
        if report.stopped { why = "stopped by a signal; " + why }
        if report.rejected > 0 { why += " (\(report.rejected) rejected by the head office: see salesync status)" }
        FileHandle.standardError.write(Data("salesync: \(why); the next run continues\n".utf8))
        return FailureClass.temporary.rawValue
    }
}

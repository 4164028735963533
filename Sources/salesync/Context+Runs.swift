import ArgumentParser
import Foundation
import MariaDB
import SaleSyncCore

extension Context {
    /// Runs a branch command under the state-directory lock, recorded, with a watchdog (`LockedRun`).
    func lockedRun(
        _ command: String, deadline: Date? = nil, localInfile: Bool = false, _ body: (MariaDBConnection, Watchdog) throws -> Int32
    ) throws -> Int32 {
        try LockedRun.perform(command, config: config, deadline: deadline, localInfile: localInfile, body)
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
        if let d = report.downlink?.report {
            logger.info(
                "downlink received",
                metadata: [
                    "chunks": "\(d.chunks)", "applied": "\(d.applied)", "duplicates": "\(d.duplicates)",
                    "refused": "\(d.refused.count)", "acks": "\(d.acksSent)",
                ])
            for r in d.refused { FileHandle.standardError.write(Data("salesync: downlink refused, nothing applied: \(r)\n".utf8)) }
        }
        if let d = report.downlink, !d.isComplete {
            if let failure = d.failure {
                FileHandle.standardError.write(Data("salesync: downlink: \(failure); the next run continues\n".utf8))
            } else if d.report?.cutShort == true {
                FileHandle.standardError.write(
                    Data(
                        "salesync: downlink: the deadline came before the head office's bundles were all in; the next run continues\n".utf8)
                )
            } else if let waiting = d.report?.waiting, waiting > 0 {
                FileHandle.standardError.write(
                    Data("salesync: downlink: \(waiting) bundle(s) wait for an earlier one; the next run continues\n".utf8))
            }
        }
        if let wentBack = report.wentBack {
            FileHandle.standardError.write(Data("salesync: \(wentBack)\n".utf8))
            return FailureClass.data.rawValue
        }
        if report.remaining == 0 && !report.stopped {
            guard let d = report.downlink, !d.isComplete else { return 0 }
            return d.report?.refused.isEmpty == false ? FailureClass.data.rawValue : FailureClass.temporary.rawValue
        }
        var why = "\(report.remaining) bundle(s) not yet acknowledged"
        if report.deadlineReached { why = "deadline reached; " + why }
        if report.stopped { why = "stopped by a signal; " + why }
        if report.rejected > 0 { why += " (\(report.rejected) rejected by the head office: see salesync status)" }
        FileHandle.standardError.write(Data("salesync: \(why); the next run continues\n".utf8))
        return FailureClass.temporary.rawValue
    }
}

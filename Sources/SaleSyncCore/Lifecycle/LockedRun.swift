import Foundation
import MariaDB

/// A mutating command's run: the state-directory lock, a `salesync_runs` record and a watchdog.
public enum LockedRun {
    /// Runs `body` under the state-directory lock (one mutating command at a time), recorded in
    /// salesync_runs. The watchdog ends it by `deadline` (or a few seconds after SIGTERM/SIGINT)
    /// whatever the link does, closing the run record even if it has to end the process itself.
    /// `localInfile`: the body's connection may LOAD DATA LOCAL (one connection serves the
    /// record and the work: a second one, with its migrations check, was a third of a small
    /// downlink apply's time).
    public static func perform(
        _ command: String, config: Config, deadline: Date? = nil, localInfile: Bool = false,
        _ body: (MariaDBConnection, Watchdog) throws -> Int32
    ) throws -> Int32 {
        StopSignal.install()
        let lock = try stateLock(config, command)
        defer { lock.release() }
        let db = try Database.open(config, localInfile: localInfile)
        defer { db.close() }
        let record = try RunRecord(db, command: command)
        let watchdog = Watchdog(deadline: deadline)
        defer { watchdog.finish() }
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

    /// The branch's state-directory lock: taken at once or refused (another command holds it).
    public static func stateLock(_ config: Config, _ what: String, wait: TimeInterval = 0) throws -> FileLock {
        try ensureDirectory(config.stateDir)
        return try FileLock(path: config.stateDir + "/salesync.lock", what: what, wait: wait)
    }
}

import Foundation
import Logging
import MariaDB

extension Exporter {
    /// Deletes exported change-log entries on a connection of its own while `body` runs (the
    /// drain, which mostly waits on the network), and waits for it after. A failure or a stop
    /// leaves entries for the next export to delete; nothing depends on them any more.
    public static func pruningBeside<T>(config: Config, logger: Logger, watchdog: Watchdog, _ body: () throws -> T) rethrows -> T {
        let pruning = Background("prune") {
            do {
                let db = try Database.connect(config)
                defer { db.close() }
                try Exporter.pruneLogs(db) { watchdog.shouldStop }
            } catch {
                logger.warning("change-log entries not deleted yet (the next export does it)", metadata: ["error": "\(error)"])
            }
        }
        defer { pruning.value() }
        return try body()
    }
}

extension Exporter {
    /// Forgets the bundles not acknowledged from `first` on, in the caller's transaction (their
    /// changes are sent again otherwise: a lost `state_dir`, a rejoin); returns their files, for
    /// `removeFromOutbox` once it commits.
    static func dropUnacknowledged(_ conn: MariaDBConnection, from first: UInt64 = 0) throws -> [String] {
        let params: [SQLValue] = [.uint(first), BundleStatus.acked.sql]
        let files = try conn.query("SELECT file FROM salesync_bundles WHERE seq >= ? AND status <> ?", params).compactMap { $0[0] }
        try conn.execute("DELETE FROM salesync_bundles WHERE seq >= ? AND status <> ?", params)
        return files
    }

    static func removeFromOutbox(_ config: Config, _ files: [String]) {
        for f in files { try? FileManager.default.removeItem(atPath: config.outboxDir + "/" + f) }
    }
}

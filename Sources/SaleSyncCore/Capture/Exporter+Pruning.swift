import Logging

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

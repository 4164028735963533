import MariaDB

/// Records a branch command's start and outcome in salesync_runs, for `status`.
public struct RunRecord {
    let db: MariaDBConnection
    public let id: Int64

    public init(_ db: MariaDBConnection, command: String) throws {
        self.db = db
        id = Int64(try db.insert("INSERT INTO salesync_runs (command, started_at) VALUES (?, NOW(6))", [.text(command)]))
    }

    public func finish(_ outcome: String) { Self.close(id, on: db, outcome: outcome) }

    /// Closes run `id` through a connection of its own: for the watchdog, whose thread must not
    /// touch the connection the blocked run holds.
    public static func finish(id: Int64, config: Config, outcome: String) {
        guard let db = try? Database.connect(config) else { return }
        defer { db.close() }
        close(id, on: db, outcome: outcome)
    }

    private static func close(_ id: Int64, on db: MariaDBConnection, outcome: String) {
        // Best effort: the command's own outcome matters more than this record of it. The column
        // holds 255 characters: a longer message (an error naming a file, a user and the broker's
        // words) would be refused in strict mode and leave the run "running" for ever.
        let text = outcome.count > 255 ? String(outcome.prefix(254)) + "…" : outcome
        _ = try? db.execute("UPDATE salesync_runs SET ended_at = NOW(6), outcome = ? WHERE id = ?", [.text(text), .int(id)])
    }
}

import MariaDB

/// The version number of salesync's own tables in a site's database (`salesync_schema`), kept
/// for salesync releases from before the named migrations (Migrator.swift): they read it to refuse
/// a database laid out by a newer salesync instead of misreading it, and so does this one.
public enum SchemaVersion {
    /// Version 1: the first layout (databases from before versioning have no record and are the
    /// same). Version 2: the head office records each applied bundle's bytes and arrival, and who
    /// retried or dropped a quarantined bundle. Raise it only when a release's tables cannot be
    /// used by the one before (then older binaries refuse them); additive migrations do not.
    public static let current = 2

    static let ddl = """
        CREATE TABLE IF NOT EXISTS salesync_schema (
          role VARCHAR(16) NOT NULL PRIMARY KEY,
          version INT NOT NULL,
          installed_at DATETIME(6) NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """

    /// Records the current version for `role` (init, once its migrations are applied).
    static func record(_ db: MariaDBConnection, role: Role) throws {
        try db.execute(ddl)
        try db.execute(
            """
            INSERT INTO salesync_schema (role, version, installed_at) VALUES (?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE version = VALUES(version), installed_at = VALUES(installed_at)
            """, [.text(role.rawValue), .int(Int64(current))])
    }

    /// The version recorded for `role`: nil in a database without salesync's tables, 1 in one
    /// from before versioning.
    static func found(_ db: MariaDBConnection, role: Role) throws -> Int? {
        do {
            if let v = try db.query("SELECT version FROM salesync_schema WHERE role = ?", [.text(role.rawValue)]).first?.int(0) {
                return Int(v)
            }
        } catch let e as MariaDBError where e.code == MariaDBError.Code.noSuchTable {}
        let old = try db.query(
            """
            SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()
            AND TABLE_NAME IN ('salesync_branches', 'salesync_capture')
            """)
        return old.first?.int(0) ?? 0 > 0 ? 1 : nil
    }

    /// Throws a config error when the database's salesync tables are newer than this binary.
    static func refuseNewer(_ db: MariaDBConnection, config: Config) throws {
        try refuse(try found(db, role: config.role), config: config)
    }

    /// Throws a config error when version `found` is newer than this binary's.
    static func refuse(_ found: Int?, config: Config) throws {
        guard let found, found > current else { return }
        throw SyncError.config(
            """
            database \(config.database.name): salesync's tables are at schema version \(found), this salesync knows up to \
            \(current); run the newer salesync (or restore its binary) instead
            """)
    }
}

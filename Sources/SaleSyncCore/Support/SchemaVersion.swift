import MariaDB

/// The version of salesync's own tables in a site's database: `init` records it (and is where a
/// later salesync upgrades older tables), and every command refuses a database laid out by a
/// newer salesync instead of misreading it.
public enum SchemaVersion {
    /// Version 1 is this layout; databases from before versioning have no record and are the same.
    public static let current = 1

    static let ddl = """
        CREATE TABLE IF NOT EXISTS salesync_schema (
          role VARCHAR(16) NOT NULL PRIMARY KEY,
          version INT NOT NULL,
          installed_at DATETIME(6) NOT NULL
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """

    /// Records the current version for `role` (init, before it creates anything). Refuses a
    /// database of a newer salesync.
    public static func install(_ db: MariaDBConnection, config: Config) throws {
        try check(db, config: config)
        try db.execute(ddl)
        try db.execute("""
            INSERT INTO salesync_schema (role, version, installed_at) VALUES (?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE version = VALUES(version), installed_at = VALUES(installed_at)
            """, [.text(config.role.rawValue), .int(Int64(current))])
    }

    /// Throws a config error when the database's salesync tables are newer than this binary.
    public static func check(_ db: MariaDBConnection, config: Config) throws {
        let found: Int64?
        do {
            found = try db.query("SELECT version FROM salesync_schema WHERE role = ?", [.text(config.role.rawValue)]).first?.int(0)
        } catch let e as MariaDBError where e.code == MariaDBError.Code.noSuchTable {
            return // not versioned yet: the layout of version 1
        }
        if let found, found > Int64(current) {
            throw SyncError.config("""
                database \(config.database.name): salesync's tables are at schema version \(found), this salesync knows up to \
                \(current); run the newer salesync (or restore its binary) instead
                """)
        }
    }
}

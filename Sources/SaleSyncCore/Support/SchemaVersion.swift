import MariaDB

/// The version of salesync's own tables in a site's database: `init` records it (and is where a
/// later salesync upgrades older tables), and every command refuses a database laid out by a
/// newer salesync instead of misreading it.
public enum SchemaVersion {
    /// Version 1: the first layout (databases from before versioning have no record and are the
    /// same). Version 2: the head office records each applied bundle's bytes and arrival, and who
    /// retried or dropped a quarantined bundle (`init` adds the columns in place).
    public static let current = 2

    /// The oldest layout this salesync can work with for `role`: a head office needs version 2's
    /// columns; a branch's tables did not change.
    static func required(_ role: Role) -> Int { role == .headOffice ? 2 : 1 }

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
        try check(db, config: config, upgrading: true)
        try db.execute(ddl)
        try db.execute("""
            INSERT INTO salesync_schema (role, version, installed_at) VALUES (?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE version = VALUES(version), installed_at = VALUES(installed_at)
            """, [.text(config.role.rawValue), .int(Int64(current))])
    }

    /// Throws a config error when the database's salesync tables are newer than this binary.
    /// Also throws when they are older than this salesync needs, unless `upgrading` (init).
    public static func check(_ db: MariaDBConnection, config: Config, upgrading: Bool = false) throws {
        let found: Int64?
        do {
            found = try db.query("SELECT version FROM salesync_schema WHERE role = ?", [.text(config.role.rawValue)]).first?.int(0)
        } catch let e as MariaDBError where e.code == MariaDBError.Code.noSuchTable {
            // Not versioned: a fresh database (nothing to check) or one from before versioning (version 1).
            let old = try db.query("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('salesync_branches', 'salesync_capture')")
            guard old.first?.int(0) ?? 0 > 0 else { return }
            found = nil
        }
        if !upgrading && Int(found ?? 1) < required(config.role) {
            throw SyncError.config("""
                database \(config.database.name): salesync's tables are at schema version \(found ?? 1), this salesync needs \
                \(required(config.role)); run `salesync init` with this config once (it upgrades them in place)
                """)
        }
        if let found, found > Int64(current) {
            throw SyncError.config("""
                database \(config.database.name): salesync's tables are at schema version \(found), this salesync knows up to \
                \(current); run the newer salesync (or restore its binary) instead
                """)
        }
    }
}

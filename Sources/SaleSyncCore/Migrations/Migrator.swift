import MariaDB

/// salesync's own tables as named, ordered migrations per role, applied once each and recorded in
/// `salesync_migrations` (after GRDB's DatabaseMigrator). `init` applies what is missing; every
/// other command refuses a database with migrations still to apply, or with ones it does not know
/// (a newer salesync's), instead of misreading it.
public struct Migrator {
    public let role: Role
    public let migrations: [Migration]

    public init(role: Role) {
        self.role = role
        migrations = role == .branch ? Self.branch : Self.headOffice
    }

    static let recordDDL = """
        CREATE TABLE IF NOT EXISTS salesync_migrations (
          role VARCHAR(16) NOT NULL,
          name VARCHAR(128) NOT NULL,
          applied_at DATETIME(6) NOT NULL,
          PRIMARY KEY (role, name)
        ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin
        """

    /// Applies the migrations not yet recorded, in order, recording each as it is applied.
    /// Returns the names applied.
    @discardableResult
    public func migrate(_ db: MariaDBConnection, config: Config) throws -> [String] {
        try SchemaVersion.refuseNewer(db, config: config)
        try db.execute(Self.recordDDL)
        let done = try recorded(db) ?? []
        try refuseUnknown(done, config: config)
        var applied: [String] = []
        for m in migrations where !done.contains(m.name) {
            try m.body(db)
            try db.execute(
                "INSERT IGNORE INTO salesync_migrations (role, name, applied_at) VALUES (?, ?, NOW(6))",
                [.text(role.rawValue), .text(m.name)])
            applied.append(m.name)
        }
        // After the tables are in shape, so that a failed upgrade is retried by the next init.
        try SchemaVersion.record(db, role: role)
        return applied
    }

    /// Throws a config error unless this binary can work with the database as it is: refused when
    /// a newer salesync laid it out, or (unless `upgrading`, which is init) when migrations are
    /// still to apply. A database without salesync's tables passes (commands then say to run init).
    public func check(_ db: MariaDBConnection, config: Config, upgrading: Bool = false) throws {
        guard let pending = try pending(db, config: config), !upgrading, !pending.isEmpty else { return }
        throw SyncError.config(
            """
            database \(config.database.name): salesync's tables need upgrading (\(pending.map(\.name).joined(separator: ", "))); \
            run `salesync init` with this config once (it upgrades them in place)
            """)
    }

    /// The migrations this database still lacks; nil when it has no salesync tables.
    private func pending(_ db: MariaDBConnection, config: Config) throws -> [Migration]? {
        let done: Set<String>?
        if let (version, names) = try recordedAtOnce(db) {
            // Every command opens with this check: one round trip where the tables are current.
            try SchemaVersion.refuse(version, config: config)
            done = names
        } else {
            try SchemaVersion.refuseNewer(db, config: config)
            done = try recorded(db)
        }
        if let done {
            try refuseUnknown(done, config: config)
            return migrations.filter { !done.contains($0.name) }
        }
        // From before the record: its version says which migrations it holds.
        guard let version = try SchemaVersion.found(db, role: role) else { return nil }
        return migrations.filter { $0.sinceVersion > version }
    }

    /// The schema version and the migrations recorded for this role, in one query; nil when
    /// either record is missing (a fresh database, or one from before them), which `pending`
    /// then tells apart step by step.
    func recordedAtOnce(_ db: MariaDBConnection) throws -> (version: Int, names: Set<String>)? {
        let rows: [Row]
        do {
            rows = try db.query(
                "SELECT s.version, m.name FROM salesync_schema s JOIN salesync_migrations m ON m.role = s.role WHERE s.role = ?",
                [.text(role.rawValue)])
        } catch let e as MariaDBError where e.code == MariaDBError.Code.noSuchTable {
            return nil
        }
        guard let version = rows.first?.int(0) else { return nil }
        return (Int(version), Set(rows.compactMap { $0[1] }))
    }

    /// The names recorded for this role; nil in a database from before the record (or a fresh one).
    func recorded(_ db: MariaDBConnection) throws -> Set<String>? {
        do {
            let rows = try db.query("SELECT name FROM salesync_migrations WHERE role = ?", [.text(role.rawValue)])
            return Set(rows.compactMap { $0[0] })
        } catch let e as MariaDBError where e.code == MariaDBError.Code.noSuchTable {
            return nil
        }
    }

    private func refuseUnknown(_ done: Set<String>, config: Config) throws {
        let unknown = done.subtracting(migrations.map(\.name)).sorted()
        guard !unknown.isEmpty else { return }
        throw SyncError.config(
            """
            database \(config.database.name): salesync's tables were upgraded by a newer salesync (migrations \
            \(unknown.joined(separator: ", "))); run the newer salesync (or restore its binary) instead
            """)
    }
}

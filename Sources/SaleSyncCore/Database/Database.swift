import Foundation
import MariaDB

/// Opening connections for a site, and the SQL that both sides share.
public enum Database {
    /// Connects with the site's config. Sessions use UTC so TIMESTAMP values travel unshifted.
    /// A branch that compares its tables may always LOAD DATA LOCAL: whichever command exports
    /// (export, run, the console, rejoin, init) writes a day's differences that way (`CompareWriter`).
    public static func connect(_ c: Config, localInfile: Bool = false) throws -> MariaDBConnection {
        let localInfile = localInfile || (c.role == .branch && c.captureMode == .compare)
        let password = try Config.readSecret(c.database.passwordFile, key: "database.password_file", config: c.path)
        let conn = try MariaDBConnection(
            ConnectOptions(
                host: c.database.host, port: UInt32(c.database.port), socket: c.database.socket,
                user: c.database.user, password: password, database: c.database.name,
                localInfile: localInfile))
        try conn.execute("SET SESSION time_zone = '+00:00', SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'")
        if c.role == .headOffice {
            // Applying takes locks by key, not gaps: branches loading at once do not block each other.
            try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        }
        return conn
    }

    /// A connection to the site's database, refused when salesync's tables are of another
    /// version (older ones are fine while `upgrading`, which is what init does).
    public static func open(_ c: Config, localInfile: Bool = false, upgrading: Bool = false) throws -> MariaDBConnection {
        let db = try connect(c, localInfile: localInfile)
        do { try Migrator(role: c.role).check(db, config: c, upgrading: upgrading) } catch {
            db.close()
            throw error
        }
        return db
    }
}

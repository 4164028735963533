import Foundation
import MariaDB

/// Opening connections for a site, and the SQL that both sides share.
public enum Database {
    /// Connects with the site's config. Sessions use UTC so TIMESTAMP values travel unshifted.
    public static func connect(_ c: Config, localInfile: Bool = false) throws -> MariaDBConnection {
        let password = try Config.readSecret(c.database.passwordFile, key: "database.password_file", config: c.path)
        let conn = try MariaDBConnection(ConnectOptions(host: c.database.host, port: UInt32(c.database.port), socket: c.database.socket,
                                                 user: c.database.user, password: password, database: c.database.name,
                                                 localInfile: localInfile))
        try conn.execute("SET SESSION time_zone = '+00:00', SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'")
        if c.role == .headOffice {
            // Applying takes locks by key, not gaps: branches loading at once do not block each other.
            try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        }
        return conn
    }
}

import Foundation
import MariaDB

/// Opening connections for a site, and the SQL that both sides share.
public enum Database {
    /// Connects with the site's config. Sessions use UTC so TIMESTAMP values travel unshifted.
    public static func connect(_ c: Config, localInfile: Bool = false) throws -> Connection {
        let password = try Config.readSecret(c.database.passwordFile, key: "database.password_file", config: c.path)
        let conn = try Connection(ConnectOptions(host: c.database.host, port: UInt32(c.database.port), socket: c.database.socket,
                                                 user: c.database.user, password: password, database: c.database.name,
                                                 localInfile: localInfile))
        try conn.execute("SET SESSION time_zone = '+00:00', SESSION sql_mode = 'STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'")
        if c.role == .headOffice {
            // Applying takes locks by key, not gaps: branches loading at once do not block each other.
            try conn.execute("SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED")
        }
        return conn
    }

    /// A table's synced columns and primary key, from `information_schema` (generated columns are left out).
    public static func schema(_ conn: Connection, database: String, table: String) throws -> TableSchema {
        let rows = try conn.query("""
            SELECT c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, c.IS_NULLABLE, c.NUMERIC_SCALE, c.DATETIME_PRECISION,
                   c.CHARACTER_SET_NAME, c.COLLATION_NAME, COALESCE(k.ORDINAL_POSITION, 0)
            FROM information_schema.COLUMNS c
            LEFT JOIN information_schema.KEY_COLUMN_USAGE k
              ON k.TABLE_SCHEMA = c.TABLE_SCHEMA AND k.TABLE_NAME = c.TABLE_NAME
             AND k.COLUMN_NAME = c.COLUMN_NAME AND k.CONSTRAINT_NAME = 'PRIMARY'
            WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? AND c.EXTRA NOT LIKE '%GENERATED%'
            ORDER BY c.ORDINAL_POSITION
            """, [.text(database), .text(table)])
        guard !rows.isEmpty else {
            throw SyncError.config("table \(database).\(table) does not exist (listed in database.tables)")
        }
        var cols: [ColumnInfo] = []
        for r in rows {
            let dataType = r[2] ?? ""
            let kind = ColumnKind(dataType: dataType)
            let columnType = r[1] ?? dataType
            let scale = kind == .decimal ? Int(r[4] ?? "0") ?? 0 : kind == .datetime ? Int(r[5] ?? "0") ?? 0 : 0
            cols.append(ColumnInfo(name: r[0] ?? "", type: columnType, kind: kind, nullable: r[3] == "YES", scale: scale,
                                   unsigned: columnType.lowercased().contains("unsigned"), key: Int(r[8] ?? "0") ?? 0,
                                   charset: r[6], collation: r[7]))
        }
        let schema = TableSchema(name: table, columns: cols)
        if schema.keyIndexes.isEmpty {
            throw SyncError.config("table \(database).\(table) has no primary key: salesync needs one to apply updates and deletes")
        }
        return schema
    }

    /// SQL for a row's 64-bit content hash, given how to name a column (e.g. `NEW.\`x\``).
    /// Both the branch's triggers and the head office's checks use this one expression, so the
    /// two sides hash the same text. TIMESTAMP goes through UNIX_TIMESTAMP so that the session
    /// time zone cannot change the text.
    public static func rowHashSQL(_ schema: TableSchema, _ ref: (String) -> String) -> String {
        let parts = schema.columns.map { c -> String in
            let v = ref(quoteIdentifier(c.name))
            return c.type.lowercased().hasPrefix("timestamp") ? "QUOTE(UNIX_TIMESTAMP(\(v)))" : "QUOTE(\(v))"
        }
        return "CAST(CONV(LEFT(MD5(CONCAT_WS(',', \(parts.joined(separator: ", ")))), 16), 16, 10) AS UNSIGNED)"
    }

    /// Column definition for CREATE TABLE from a bundle's column info.
    static func columnDefinition(_ c: ColumnInfo) -> String {
        var s = "\(quoteIdentifier(c.name)) \(c.type)"
        if let cs = c.charset, let co = c.collation, c.kind == .bytes, !c.type.lowercased().contains("blob"),
           !c.type.lowercased().contains("binary") {
            s += " CHARACTER SET \(cs) COLLATE \(co)"
        }
        s += c.nullable ? " NULL" : " NOT NULL"
        return s
    }
}

/// The value of decimal digits modulo 2^64 (a SUM() of hashes, a hash column), without allocating.
@inline(__always)
func wrappingUInt64<S: Sequence>(digits: S) -> UInt64 where S.Element == UInt8 {
    var v: UInt64 = 0
    for c in digits where c >= 48 && c <= 57 { v = v &* 10 &+ UInt64(c - 48) }
    return v
}

/// Adds up a decimal string (what SUM() returns) modulo 2^64.
func wrappingUInt64(decimal s: String?) -> UInt64 {
    s.map { wrappingUInt64(digits: $0.utf8) } ?? 0
}

/// Current UTC time as ISO 8601 with microseconds.
func isoNow() -> String {
    let f = ISO8601DateFormatter()
    f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return f.string(from: Date())
}

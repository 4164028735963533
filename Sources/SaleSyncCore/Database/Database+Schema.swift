import Foundation
import MariaDB

extension Database {
    /// A table's synced columns and primary key, from `information_schema` (generated columns are left out).
    public static func schema(_ conn: MariaDBConnection, database: String, table: String) throws -> TableSchema {
        // The key's columns by a subquery naming the table by constants: as a join on
        // c.TABLE_SCHEMA/c.TABLE_NAME, MariaDB read KEY_COLUMN_USAGE for every table of every
        // database (4.5 ms with a few hundred tables, against 0.3 ms so).
        let rows = try conn.query(
            """
            SELECT c.COLUMN_NAME, c.COLUMN_TYPE, c.DATA_TYPE, c.IS_NULLABLE, c.NUMERIC_SCALE, c.DATETIME_PRECISION,
                   c.CHARACTER_SET_NAME, c.COLLATION_NAME,
                   COALESCE((SELECT k.ORDINAL_POSITION FROM information_schema.KEY_COLUMN_USAGE k
                             WHERE k.TABLE_SCHEMA = ? AND k.TABLE_NAME = ? AND k.CONSTRAINT_NAME = 'PRIMARY'
                               AND k.COLUMN_NAME = c.COLUMN_NAME), 0),
                   c.COLUMN_DEFAULT
            FROM information_schema.COLUMNS c
            WHERE c.TABLE_SCHEMA = ? AND c.TABLE_NAME = ? AND c.EXTRA NOT LIKE '%GENERATED%'
            ORDER BY c.ORDINAL_POSITION
            """, [.text(database), .text(table), .text(database), .text(table)])
        guard !rows.isEmpty else {
            throw SyncError.config("table \(database).\(table) does not exist (listed in database.tables)")
        }
        var cols: [ColumnInfo] = []
        for r in rows {
            let dataType = r[2] ?? ""
            let kind = ColumnKind(dataType: dataType)
            let columnType = r[1] ?? dataType
            let scale = kind == .decimal ? Int(r[4] ?? "0") ?? 0 : kind == .datetime ? Int(r[5] ?? "0") ?? 0 : 0
            cols.append(
                ColumnInfo(
                    name: r[0] ?? "", type: columnType, kind: kind, nullable: r[3] == "YES", scale: scale,
                    unsigned: columnType.lowercased().contains("unsigned"), key: Int(r[8] ?? "0") ?? 0,
                    charset: r[6], collation: r[7], defaultValue: r[9]))
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

    /// Row count and content hash (the state checksum) of a table's rows, from the table itself;
    /// `filter` (e.g. `t.branch_id = ?`) narrows it to some rows.
    public static func contentState(
        _ db: MariaDBConnection, _ schema: TableSchema, filter: String = "1",
        _ params: [SQLValue] = []
    ) throws -> (rows: Int64, hash: UInt64) {
        let r = try db.query(
            "SELECT COUNT(*), SUM(\(rowHashSQL(schema) { "t.\($0)" })) FROM \(quoteIdentifier(schema.name)) t WHERE \(filter)",
            params
        ).first
        return (r?.int(0) ?? 0, wrappingUInt64(decimal: r?[1]))
    }

    /// CREATE TABLE for a bundle's table: its columns and primary key, after a `leading` column
    /// (the head office's `branch_id`) that also leads the key.
    static func createTableSQL(_ schema: TableSchema, leading: String? = nil, key lead: String? = nil) -> String {
        let defs = (leading.map { [$0] } ?? []) + schema.columns.map(columnDefinition)
        let key = ((lead.map { [$0] } ?? []) + schema.keyColumns.map { quoteIdentifier($0.name) }).joined(separator: ", ")
        return
            "CREATE TABLE IF NOT EXISTS \(quoteIdentifier(schema.name)) (\n  \(defs.joined(separator: ",\n  ")),\n  PRIMARY KEY (\(key))\n) ENGINE=InnoDB"
    }

    /// Column definition for CREATE TABLE from a bundle's column info.
    static func columnDefinition(_ c: ColumnInfo) -> String {
        var s = "\(quoteIdentifier(c.name)) \(c.type)"
        if let cs = c.charset, let co = c.collation, c.kind == .bytes, !c.type.lowercased().contains("blob"),
            !c.type.lowercased().contains("binary")
        {
            s += " CHARACTER SET \(cs) COLLATE \(co)"
        }
        s += c.nullable ? " NULL" : " NOT NULL"
        if let d = c.defaultValue, SQLDefault.isSafe(d) { s += " DEFAULT \(d)" }
        return s
    }
}

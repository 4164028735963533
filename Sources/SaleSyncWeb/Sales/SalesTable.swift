import Foundation
import MariaDB
import SaleSyncCore

/// A synced table's columns, read from information_schema, and which of them the console filters by.
public struct SalesTable: Sendable {
    public var name: String
    public var columns: [SalesColumn]
    /// At the head office, the column that says which branch a row came from.
    public var branchColumn: String?

    public init(name: String, columns: [SalesColumn], branchColumn: String?) {
        self.name = name
        self.columns = columns
        self.branchColumn = branchColumn
    }

    /// The branch's own columns (without the head office's `branch_id`).
    public var dataColumns: [SalesColumn] { columns.filter { $0.name != branchColumn } }
    public var keyColumns: [SalesColumn] { dataColumns.filter(\.key) }
    public var measures: [SalesColumn] { dataColumns.filter(\.isMeasure) }
    public var textColumns: [SalesColumn] { dataColumns.filter { $0.kind == .text } }
    /// The column a date range and the by-day/by-month views use: the first DATE or DATETIME.
    public var dateColumn: SalesColumn? { dataColumns.first { $0.kind == .date || $0.kind == .datetime } }
    public func column(_ name: String) -> SalesColumn? { columns.first { $0.name == name } }

    /// Reads `table` of the connection's database; nil when it does not exist (yet).
    public static func read(_ db: MariaDBConnection, table: String, role: Role) throws -> SalesTable? {
        let rows = try db.query(
            """
            SELECT COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT IS NOT NULL, EXTRA LIKE '%auto_increment%',
              COLUMN_KEY = 'PRI', COALESCE(CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION), NUMERIC_SCALE
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION
            """, [.text(table)])
        guard !rows.isEmpty else { return nil }
        let columns = rows.map { r in
            SalesColumn(
                name: r[0] ?? "", kind: SalesColumn.kind(dataType: r[1] ?? ""), type: r[2] ?? "",
                nullable: r[3] == "YES", hasDefault: r[4] == "1", autoIncrement: r[5] == "1", key: r[6] == "1",
                length: r.int(7).map(Int.init), scale: r.int(8).map(Int.init), unsigned: (r[2] ?? "").contains("unsigned"))
        }
        let branch = role == .headOffice && columns.contains { $0.name == "branch_id" } ? "branch_id" : nil
        return SalesTable(name: table, columns: columns, branchColumn: branch)
    }
}

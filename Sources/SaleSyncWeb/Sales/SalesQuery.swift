import Foundation
import MariaDB
import SaleSyncCore

/// The sales page's reads over one table and filter: a page of rows, the totals of the whole
/// filtered set, a grouped view, the chart's series, and every row for the CSV download.
public struct SalesQuery: Sendable {
    public let table: SalesTable
    public let filter: SalesFilter

    public init(table: SalesTable, filter: SalesFilter) {
        self.table = table
        self.filter = filter
    }

    var from: String { "FROM \(quoteIdentifier(table.name)) " }

    /// Columns shown, branch first.
    public var shown: [SalesColumn] { (table.branchColumn.flatMap(table.column).map { [$0] } ?? []) + table.dataColumns }

    var orderBy: String {
        let dir = filter.descending ? " DESC" : ""
        let key = (table.branchColumn.map { [$0] } ?? []) + table.keyColumns.map(\.name)
        if let s = filter.sort { return "ORDER BY \(quoteIdentifier(s))\(dir)" }
        // A date range reads newest first along the (branch, date) index; otherwise key order.
        if let d = table.dateColumn, filter.from != nil || filter.to != nil {
            return "ORDER BY " + ([d.name] + key).map { quoteIdentifier($0) + " DESC" }.joined(separator: ", ")
        }
        return "ORDER BY " + key.map { quoteIdentifier($0) + dir }.joined(separator: ", ")
    }

    var selectList: String { shown.map { quoteIdentifier($0.name) }.joined(separator: ", ") }

    /// One page of rows, values as the database prints them (NULL as nil).
    public func page(_ db: MariaDBConnection) throws -> [[String?]] {
        let (w, p) = filter.whereClause(table)
        let offset = (filter.page - 1) * SalesFilter.pageSize
        return try db.query("SELECT \(selectList) \(from)\(w) \(orderBy) LIMIT \(SalesFilter.pageSize) OFFSET \(offset)", p)
            .map { r in (0..<shown.count).map { r[$0] } }
    }

    /// Row count and the sum of every measure over the whole filtered set.
    public func totals(_ db: MariaDBConnection) throws -> (rows: Int64, sums: [String: String]) {
        let (w, p) = filter.whereClause(table)
        let sums = table.measures.map { "COALESCE(SUM(\(quoteIdentifier($0.name))), 0)" }
        let r = try db.query("SELECT \((["COUNT(*)"] + sums).joined(separator: ", ")) \(from)\(w)", p).first
        var out: [String: String] = [:]
        for (i, m) in table.measures.enumerated() { out[m.name] = r?[i + 1] ?? "0" }
        return (r?.int(0) ?? 0, out)
    }

    /// The SQL expression a `group` value stands for.
    func groupExpression(_ g: String) -> String {
        switch g {
        case "branch": return quoteIdentifier(table.branchColumn ?? "branch_id")
        case "day": return "DATE(\(quoteIdentifier(table.dateColumn!.name)))"
        case "month": return "DATE_FORMAT(\(quoteIdentifier(table.dateColumn!.name)), '%Y-%m')"
        default: return quoteIdentifier(g)
        }
    }

    /// Rows grouped by `filter.group`: the group's value, its row count and its sums (at most 1,000 groups).
    public func grouped(_ db: MariaDBConnection) throws -> [(group: String?, rows: Int64, sums: [String])] {
        guard let g = filter.group else { return [] }
        let (w, p) = filter.whereClause(table)
        let e = groupExpression(g)
        let sums = table.measures.map { "COALESCE(SUM(\(quoteIdentifier($0.name))), 0)" }
        return try db.query("SELECT \(([e, "COUNT(*)"] + sums).joined(separator: ", ")) \(from)\(w) GROUP BY 1 ORDER BY 1 LIMIT 1000", p)
            .map { r in
                (r[0], r.int(1) ?? 0, (0..<sums.count).map { r[$0 + 2] ?? "0" })
            }
    }

    /// Totals of `measure` per period (day, or month when `byMonth`) and series (branch, or the site).
    public func series(_ db: MariaDBConnection, measure: SalesColumn, byMonth: Bool) throws -> [ChartPoint] {
        guard let d = table.dateColumn else { return [] }
        let (w, p) = filter.whereClause(table)
        let period = byMonth ? "DATE_FORMAT(\(quoteIdentifier(d.name)), '%Y-%m')" : "DATE(\(quoteIdentifier(d.name)))"
        let series = table.branchColumn.map { quoteIdentifier($0) } ?? "''"
        return try db.query(
            """
            SELECT \(series), \(period), COALESCE(SUM(\(quoteIdentifier(measure.name))), 0) \(from)\(w)
            GROUP BY 1, 2 ORDER BY 2, 1 LIMIT 5000
            """, p
        ).map { ChartPoint(series: $0[0] ?? "", period: $0[1] ?? "", value: Double($0[2] ?? "0") ?? 0) }
    }

    /// Every filtered row, streamed (flat memory), in key order.
    public func each(_ db: MariaDBConnection, _ body: ([String?]) throws -> Void) throws {
        let (w, p) = filter.whereClause(table)
        try db.stream(bind("SELECT \(selectList) \(from)\(w) \(orderBy)", p, db)) { row in
            try body((0..<shown.count).map { row.string($0) })
        }
    }

    /// `stream` takes no parameters: the values go into session variables through bound
    /// parameters and the SQL names the variables, so nothing typed is spliced into SQL.
    private func bind(_ sql: String, _ params: [SQLValue], _ db: MariaDBConnection) throws -> String {
        guard !params.isEmpty else { return sql }
        let names = params.indices.map { "@salesync_console_\($0)" }
        _ = try db.execute("SET " + names.map { "\($0) = ?" }.joined(separator: ", "), params)
        var out = ""
        var i = 0
        for ch in sql {
            if ch == "?" { out += names[i]; i += 1 } else { out.append(ch) }
        }
        return out
    }
}

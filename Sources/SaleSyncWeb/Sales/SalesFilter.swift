import Foundation
import MariaDB
import SaleSyncCore

/// What the sales page and `/api/sales` were asked for, checked against the table's columns:
/// unknown columns and malformed dates are refused with the parameter's name, never put in SQL.
public struct SalesFilter: Sendable, Equatable {
    public var branch: String?
    /// Inclusive dates `YYYY-MM-DD` on the table's date column.
    public var from: String?
    public var to: String?
    /// Any text column contains this (LIKE, wildcards escaped).
    public var text: String?
    public var sort: String?
    public var descending = false
    public var page = 1
    /// `branch`, a text column, `day` or `month`.
    public var group: String?
    public var measure: String?
    public static let pageSize = 50

    public init() {}

    /// Reads the filter from a query string's fields; throws `FilterError` naming the bad parameter.
    public init(_ f: FormData, table: SalesTable) throws {
        branch = f.nonEmpty("branch")
        from = try Self.date(f.nonEmpty("from"), "from")
        to = try Self.date(f.nonEmpty("to"), "to")
        if let month = f.nonEmpty("month") { (from, to) = try Self.month(month) }
        text = f.nonEmpty("q")
        if let s = f.nonEmpty("sort") {
            guard table.column(s) != nil else { throw FilterError(field: "sort", message: "no column \(s) in \(table.name)") }
            sort = s
        }
        descending = f["dir"] == "desc"
        if let p = f.nonEmpty("page") {
            guard let n = Int(p), n >= 1, n <= 1_000_000 else {
                throw FilterError(field: "page", message: "expected a page number from 1, got \"\(p)\"")
            }
            page = n
        }
        if let g = f.nonEmpty("group") {
            let ok =
                g == "day" || g == "month"
                ? table.dateColumn != nil
                : g == "branch" ? table.branchColumn != nil : table.textColumns.contains { $0.name == g }
            guard ok else {
                throw FilterError(field: "group", message: "expected branch, day, month or a text column of \(table.name), got \"\(g)\"")
            }
            group = g
        }
        if let m = f.nonEmpty("measure") {
            guard table.measures.contains(where: { $0.name == m }) else {
                throw FilterError(field: "measure", message: "expected a numeric column of \(table.name), got \"\(m)\"")
            }
            measure = m
        }
        if (from != nil || to != nil) && table.dateColumn == nil {
            throw FilterError(field: "from", message: "\(table.name) has no date column to filter on")
        }
    }

    static func date(_ s: String?, _ field: String) throws -> String? {
        guard let s else { return nil }
        guard s.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil, CivilDateCheck.valid(s) else {
            throw FilterError(field: field, message: "expected a date YYYY-MM-DD, got \"\(s)\"")
        }
        return s
    }

    static func month(_ s: String) throws -> (String, String) {
        let p = s.split(separator: "-")
        guard s.range(of: #"^\d{4}-\d{2}$"#, options: .regularExpression) != nil, let y = Int(p[0]), let m = Int(p[1]), (1...12).contains(m)
        else {
            throw FilterError(field: "month", message: "expected a month YYYY-MM, got \"\(s)\"")
        }
        return (String(format: "%04d-%02d-01", y, m), String(format: "%04d-%02d-%02d", y, m, CivilDateCheck.days(y, m)))
    }

    /// The WHERE clause (always starting `WHERE`) and its bound values.
    public func whereClause(_ table: SalesTable) -> (String, [SQLValue]) {
        var conds: [String] = []
        var params: [SQLValue] = []
        if let b = branch, let bc = table.branchColumn { conds.append("\(quoteIdentifier(bc)) = ?"); params.append(.text(b)) }
        if let d = table.dateColumn {
            let col = quoteIdentifier(d.name)
            // Half-open for DATETIME so the whole last day is in.
            if let f = from { conds.append("\(col) >= ?"); params.append(.text(f)) }
            if let t = to { conds.append(d.kind == .date ? "\(col) <= ?" : "\(col) < ? + INTERVAL 1 DAY"); params.append(.text(t)) }
        }
        if let q = text, !table.textColumns.isEmpty {
            let like = Self.containing(q)
            conds.append("(" + table.textColumns.map { "\(quoteIdentifier($0.name)) LIKE ?" }.joined(separator: " OR ") + ")")
            params += Array(repeating: .text(like), count: table.textColumns.count)
        }
        return (conds.isEmpty ? "WHERE 1" : "WHERE " + conds.joined(separator: " AND "), params)
    }

    /// A LIKE pattern for "contains `text`", its wildcards escaped.
    static func containing(_ text: String) -> String {
        "%"
            + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
            .replacingOccurrences(of: "_", with: "\\_") + "%"
    }

    /// The same filter as query fields (for links and the CSV download), without paging and sorting.
    public var queryFields: [(String, String?)] {
        [("branch", branch), ("from", from), ("to", to), ("q", text)]
    }
}

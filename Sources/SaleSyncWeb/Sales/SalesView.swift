import Foundation
import SaleSyncCore

/// The sales page's template data: filter fields, sortable headers, rows, totals, pager,
/// grouped view and chart.
struct SalesView {
    let query: SalesQuery
    let result: SalesResult
    let config: Config

    var filter: SalesFilter { query.filter }
    var table: SalesTable { query.table }

    /// A link's query: this filter with changes.
    func link(sort: String? = nil, descending: Bool? = nil, page: Int? = nil) -> String {
        var fields: [(String, String?)] = [("table", table.name)] + filter.queryFields
        fields += [("group", filter.group), ("measure", filter.measure), ("sort", sort ?? filter.sort),
                   ("dir", (descending ?? filter.descending) ? "desc" : nil), ("page", page.map(String.init))]
        return FormData.query(fields)
    }

    var data: [String: Any] {
        let pages = max(1, Int((result.count + Int64(SalesFilter.pageSize) - 1) / Int64(SalesFilter.pageSize)))
        var d: [String: Any] = [
            "table": table.name, "manyTables": config.database.tables.count > 1,
            "tables": config.database.tables.map { ["name": $0, "selected": $0 == table.name] },
            "from": filter.from ?? "", "to": filter.to ?? "", "q": filter.text ?? "",
            "hasBranches": table.branchColumn != nil,
            "branchChoices": config.branches.map { ["name": $0.id, "selected": $0.id == filter.branch] },
            "groupChoices": groupChoices, "csvQuery": FormData.query([("table", table.name)] + filter.queryFields),
            "headers": headers, "rows": rows, "totalsCells": totalsCells, "editable": config.role == .branch,
            "totalRows": result.count, "page": filter.page, "pages": pages,
            "measures": table.measures.map(\.name),
        ]
        d["dateColumn"] = table.dateColumn?.name
        if filter.page > 1 { d["prevQuery"] = link(page: filter.page - 1) }
        if filter.page < pages { d["nextQuery"] = link(page: filter.page + 1) }
        if let g = filter.group {
            d["hasGroups"] = !result.groups.isEmpty
            d["groupLabel"] = g
            d["groupRows"] = result.groups.map { ["group": $0.group ?? "NULL", "rows": $0.rows, "sums": $0.sums] }
        }
        if let m = result.measure, !result.chart.isEmpty {
            let title = "\(m.name) per \(result.chartByMonth ? "month" : "day")\(table.branchColumn != nil ? " and branch" : "")"
            d["chartTitle"] = title
            d["chart"] = SalesChart(points: result.chart, title: title).svg
        }
        return d
    }

    var groupChoices: [[String: Any]] {
        var c: [(String, String)] = []
        if table.branchColumn != nil { c.append(("branch", "branch")) }
        if let d = table.dateColumn { c += [("day", "day of \(d.name)"), ("month", "month of \(d.name)")] }
        c += table.textColumns.map { ($0.name, $0.name) }
        return c.map { ["value": $0.0, "label": $0.1, "selected": $0.0 == filter.group] }
    }

    var headers: [[String: Any]] {
        query.shown.map { c in
            let active = filter.sort == c.name
            return ["name": c.name, "numeric": c.isNumeric, "arrow": active ? (filter.descending ? " ▼" : " ▲") : "",
                    "sortQuery": link(sort: c.name, descending: active ? !filter.descending : false, page: 1)]
        }
    }

    var rows: [[String: Any]] {
        let keyIndexes = table.keyColumns.compactMap { k in query.shown.firstIndex { $0.name == k.name } }
        return result.rows.map { r in
            let key = SaleForm.keyText(keyIndexes.map { r[$0] ?? "" })
            return ["cells": zip(query.shown, r).map { ["value": $1 ?? "NULL", "numeric": $0.isNumeric] },
                    "key": key, "keyParam": FormData.encode(key)]
        }
    }

    var totalsCells: [[String: Any]] {
        query.shown.enumerated().map { i, c in
            if i == 0 { return ["value": "Total of \(result.count) row(s)", "numeric": false] }
            return ["value": c.isMeasure ? result.sums[c.name] ?? "" : "", "numeric": c.isNumeric]
        }
    }

    /// One input of the add or edit form.
    static func input(_ c: SalesColumn, value: String) -> [String: Any] {
        ["name": c.name, "value": value, "required": c.required, "isDate": c.kind == .date, "type": c.type,
         "size": c.kind == .text ? min(max(c.length ?? 20, 8), 40) : 12]
    }
}

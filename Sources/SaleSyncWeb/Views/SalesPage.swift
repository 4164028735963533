import Foundation
import SaleSyncCore

/// The sales page: filter fields, sortable headers, rows, totals, pager, grouped view, chart, and
/// at a branch the add form.
struct SalesPage: Sendable {
    /// An option of a select.
    struct Choice: Sendable {
        let value: String
        let label: String
        let selected: Bool
    }

    /// A sortable column header.
    struct Header: Sendable {
        let name: String
        let numeric: Bool
        let arrow: String
        let sortQuery: String
    }

    /// A cell of the table or of its totals row.
    struct Cell: Sendable {
        let value: String
        let numeric: Bool
    }

    /// A row, with its key for the edit link and the delete form.
    struct Row: Sendable {
        let cells: [Cell]
        let key: String
        let keyParam: String
    }

    /// A row of the grouped view.
    struct GroupRow: Sendable {
        let group: String
        let rows: Int64
        let sums: [String]
    }

    let table: String
    let manyTables: Bool
    let tables: [Choice]
    let from: String
    let to: String
    let q: String
    let hasBranches: Bool
    let branchChoices: [Choice]
    let dateColumn: String?
    let groupChoices: [Choice]
    let csvQuery: String
    let headers: [Header]
    let rows: [Row]
    let totalsCells: [Cell]
    let editable: Bool
    let totalRows: Int64
    let page: Int
    let pages: Int
    let measures: [String]
    let prevQuery: String?
    let nextQuery: String?
    let hasGroups: Bool
    let groupLabel: String?
    let groupRows: [GroupRow]
    let chartTitle: String?
    /// SVG markup the server built itself (SalesChart escapes every label).
    let chart: String?
    let addForm: Bool
    let inputs: [InputView]
    /// The catalogue's product names for the add form's list (empty: no catalogue).
    let catalogue: [String]
    /// Stored, not computed: Mustache reads a view's stored properties only.
    let hasCatalogue: Bool

    /// - Parameter addInputs: the add form's inputs, nil where the user may not add.
    init(query: SalesQuery, result: SalesResult, config: Config, addInputs: [InputView]?, catalogue: [String] = []) {
        let links = SalesLinks(query: query)
        let (filter, t) = (query.filter, query.table)
        let pages = max(1, Int((result.count + Int64(SalesFilter.pageSize) - 1) / Int64(SalesFilter.pageSize)))
        table = t.name
        manyTables = config.database.tables.count > 1
        tables = config.database.tables.map { Choice(value: $0, label: $0, selected: $0 == t.name) }
        from = filter.from ?? ""
        to = filter.to ?? ""
        q = filter.text ?? ""
        hasBranches = t.branchColumn != nil
        branchChoices = config.branches.map { Choice(value: $0.id, label: $0.id, selected: $0.id == filter.branch) }
        dateColumn = t.dateColumn?.name
        groupChoices = Self.groupChoices(t, selected: filter.group)
        csvQuery = FormData.query([("table", t.name)] + filter.queryFields)
        headers = query.shown.map { c in
            let active = filter.sort == c.name
            return Header(
                name: c.name, numeric: c.isNumeric, arrow: active ? (filter.descending ? " ▼" : " ▲") : "",
                sortQuery: links.link(sort: c.name, descending: active ? !filter.descending : false, page: 1))
        }
        rows = Self.rows(query, result)
        totalsCells = query.shown.enumerated().map { i, c in
            if i == 0 { return Cell(value: "Total of \(result.count) row(s)", numeric: false) }
            return Cell(value: c.isMeasure ? result.sums[c.name] ?? "" : "", numeric: c.isNumeric)
        }
        editable = config.role == .branch
        totalRows = result.count
        page = filter.page
        self.pages = pages
        measures = t.measures.map(\.name)
        prevQuery = filter.page > 1 ? links.link(page: filter.page - 1) : nil
        nextQuery = filter.page < pages ? links.link(page: filter.page + 1) : nil
        hasGroups = filter.group != nil && !result.groups.isEmpty
        groupLabel = filter.group
        groupRows = filter.group == nil ? [] : result.groups.map { GroupRow(group: $0.group ?? "NULL", rows: $0.rows, sums: $0.sums) }
        let chartTitle = result.measure.map {
            "\($0.name) per \(result.chartByMonth ? "month" : "day")\(t.branchColumn != nil ? " and branch" : "")"
        }
        self.chartTitle = result.chart.isEmpty ? nil : chartTitle
        chart = result.chart.isEmpty ? nil : chartTitle.map { SalesChart(points: result.chart, title: $0).svg }
        addForm = addInputs != nil
        inputs = addInputs ?? []
        self.catalogue = catalogue
        hasCatalogue = !catalogue.isEmpty
    }

    static func groupChoices(_ table: SalesTable, selected: String?) -> [Choice] {
        var c: [(String, String)] = []
        if table.branchColumn != nil { c.append(("branch", "branch")) }
        if let d = table.dateColumn { c += [("day", "day of \(d.name)"), ("month", "month of \(d.name)")] }
        c += table.textColumns.map { ($0.name, $0.name) }
        return c.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == selected) }
    }

    static func rows(_ query: SalesQuery, _ result: SalesResult) -> [Row] {
        let keyIndexes = query.table.keyColumns.compactMap { k in query.shown.firstIndex { $0.name == k.name } }
        return result.rows.map { r in
            let key = SaleForm.keyText(keyIndexes.map { r[$0] ?? "" })
            return Row(
                cells: zip(query.shown, r).map { Cell(value: $1 ?? "NULL", numeric: $0.isNumeric) },
                key: key, keyParam: FormData.encode(key))
        }
    }
}

/// Links of the sales page: this filter with changes.
struct SalesLinks {
    let query: SalesQuery

    func link(sort: String? = nil, descending: Bool? = nil, page: Int? = nil) -> String {
        let filter = query.filter
        var fields: [(String, String?)] = [("table", query.table.name)] + filter.queryFields
        fields += [
            ("group", filter.group), ("measure", filter.measure), ("sort", sort ?? filter.sort),
            ("dir", (descending ?? filter.descending) ? "desc" : nil), ("page", page.map(String.init)),
        ]
        return FormData.query(fields)
    }
}

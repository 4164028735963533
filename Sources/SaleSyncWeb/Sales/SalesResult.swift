import MariaDB

/// What one sales request read: a page of rows, the totals, the grouped view and the chart's points.
struct SalesResult: Sendable {
    var rows: [[String?]]
    var count: Int64
    var sums: [String: String]
    var groups: [(group: String?, rows: Int64, sums: [String])]
    var chart: [ChartPoint]
    var chartByMonth: Bool
    var measure: SalesColumn?

    static func read(_ db: MariaDBConnection, query: SalesQuery) throws -> SalesResult {
        let (count, sums) = try query.totals(db)
        let measure = query.filter.measure.flatMap(query.table.column) ?? query.table.measures.last
        // By day for a month or less of data, by month beyond.
        var byMonth = query.filter.group == "month" || !Self.shortRange(query.filter)
        var chart = try measure.map { try query.series(db, measure: $0, byMonth: byMonth) } ?? []
        // All within a month or two: by day says more.
        if byMonth, query.filter.group != "month", let m = measure, Set(chart.map(\.period)).count <= 2 {
            byMonth = false
            chart = try query.series(db, measure: m, byMonth: false)
        }
        return SalesResult(
            rows: try query.page(db), count: count, sums: sums, groups: try query.grouped(db),
            chart: chart, chartByMonth: byMonth, measure: measure)
    }

    static func shortRange(_ f: SalesFilter) -> Bool {
        guard let from = f.from, let to = f.to else { return false }
        return from.prefix(7) == to.prefix(7)
    }
}

import MariaDB
import Testing

@testable import SaleSyncWeb

/// The head office's product_sales as the console reads it.
let sales = SalesTable(
    name: "product_sales",
    columns: [
        SalesColumn(name: "branch_id", kind: .text, type: "varchar(64)", key: true, length: 64),
        SalesColumn(name: "id", kind: .integer, type: "bigint(20) unsigned", autoIncrement: true, key: true, unsigned: true),
        SalesColumn(name: "sale_date", kind: .date, type: "date"),
        SalesColumn(name: "region", kind: .text, type: "varchar(32)", length: 32),
        SalesColumn(name: "qty", kind: .integer, type: "int(11)"),
        SalesColumn(name: "total", kind: .decimal, type: "decimal(14,2)", length: 14, scale: 2),
        SalesColumn(name: "note", kind: .text, type: "varchar(10)", nullable: true, length: 10),
    ], branchColumn: "branch_id")

@Suite struct SalesFilterTests {
    @Test func formFieldsDecodePlusAndPercent() {
        let f = FormData("q=a+b%27c&empty=&x=%3Cscript%3E")
        #expect(f["q"] == "a b'c")
        #expect(f["empty"] == "")
        #expect(f.nonEmpty("empty") == nil)
        #expect(f["x"] == "<script>")
        #expect(f["missing"] == nil)
    }

    @Test func aMonthBecomesItsFirstAndLastDay() throws {
        let f = try SalesFilter(FormData("month=2024-02&branch=bo1"), table: sales)
        #expect(f.from == "2024-02-01" && f.to == "2024-02-29")
        #expect(try SalesFilter(FormData("month=2023-02"), table: sales).to == "2023-02-28")
    }

    @Test func badParametersAreRefusedByName() {
        for (query, field) in [
            ("from=2024-02-30", "from"), ("to=yesterday", "to"), ("month=2024-13", "month"),
            ("sort=nope", "sort"), ("page=0", "page"), ("group=qty", "group"), ("measure=region", "measure"),
        ] {
            #expect(throws: FilterError.self) { try SalesFilter(FormData(query), table: sales) }
            do { _ = try SalesFilter(FormData(query), table: sales) } catch let e as FilterError { #expect(e.field == field) } catch {}
        }
    }

    @Test func everyValueIsABoundParameterAndWildcardsAreLiteral() throws {
        let f = try SalesFilter(FormData("branch=bo1&from=2024-01-01&to=2024-01-31&q=50%25_off'"), table: sales)
        let (sql, params) = f.whereClause(sales)
        #expect(!sql.contains("bo1") && !sql.contains("50") && !sql.contains("'"))
        #expect(sql.contains("`region` LIKE ? OR `note` LIKE ?"))
        #expect(params.first == .text("bo1"))
        #expect(params.last == .text("%50\\%\\_off'%"))
        #expect(params.count == 5)
    }

    @Test func totalsSumMeasuresButNotKeys() {
        #expect(sales.measures.map(\.name) == ["qty", "total"])
        #expect(sales.dateColumn?.name == "sale_date")
        #expect(sales.textColumns.map(\.name) == ["region", "note"])
    }
}

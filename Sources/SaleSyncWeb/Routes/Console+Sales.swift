import Foundation
import Hummingbird
import MariaDB
import SaleSyncCore

extension Console {
    /// The sales page (the branch's landing page too), its CSV download.
    func addSalesRoutes(_ router: Router<ConsoleContext>) {
        router.get("/sales") { request, context in try await salesPage(FormData(request.uri.query ?? ""), path: "/sales", context) }
        if config.role == .branch {
            router.get("/") { request, context in try await salesPage(FormData(request.uri.query ?? ""), path: "/", context) }
        }
        router.get("/sales.csv") { request, context in try await salesCSV(request, context) }
    }

    /// The synced table a request names (`table=`; the first configured one by default).
    func salesTable(_ form: FormData) async throws -> SalesTable {
        let name = form.nonEmpty("table") ?? config.database.tables[0]
        guard config.database.tables.contains(name) else {
            throw FilterError(field: "table", message: "expected one of \(config.database.tables.joined(separator: ", ")), got \"\(name)\"")
        }
        let role = config.role
        guard let t = try await db({ try SalesTable.read($0, table: name, role: role) }) else {
            throw FilterError(field: "table", message: "\(name) does not exist in this database yet (nothing synced)")
        }
        return t
    }

    /// The table and filter a request asks for; `FilterError` names a refused parameter.
    func salesQuery(_ form: FormData) async throws -> SalesQuery {
        let table = try await salesTable(form)
        return SalesQuery(table: table, filter: try SalesFilter(form, table: table))
    }

    func salesPage(_ form: FormData, path: String, _ context: ConsoleContext, notice: String? = nil, error: String? = nil,
                   status: HTTPResponse.Status = .ok, typed: FormData? = nil) async throws -> Response {
        let query: SalesQuery
        do { query = try await salesQuery(form) } catch let e as FilterError {
            return pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user)
        }
        let table = query.table
        let result = try await db { db in try SalesResult.read(db, query: query) }
        var data = SalesView(query: query, result: result, config: config).data
        if config.role == .branch, context.user?.mayAct == true {
            data["addForm"] = true
            data["inputs"] = SaleForm(table: table).inputs.map { SalesView.input($0, value: typed?[$0.name] ?? "") }
        }
        return pages.page("sales", data, title: config.role == .headOffice ? "Sales of every branch" : "Sales",
                          context: context, path: path,
                          status: status, notice: notice, error: error)
    }

    /// Every row of the filtered set as CSV (RFC 4180), streamed from the database.
    func salesCSV(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let form = FormData(request.uri.query ?? "")
        let query: SalesQuery
        do { query = try await salesQuery(form) } catch let e as FilterError {
            return pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user)
        }
        let stream = CSVStream(query: query, pool: pool)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(query.table.name).csv\""
        return Response(status: .ok, headers: headers, body: ResponseBody { writer in
            try await stream.write(to: &writer)
            try await writer.finish(nil)
        })
    }
}

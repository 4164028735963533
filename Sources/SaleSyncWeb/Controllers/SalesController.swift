import Foundation
import Hummingbird
import MariaDB
import SaleSyncCore

/// The sales page (the branch's landing page too) and its CSV download; the table and filter a
/// request names, for the other controllers that show or change sales.
struct SalesController: Sendable {
    let services: ConsoleServices

    var config: Config { services.config }

    func addRoutes(to router: Router<ConsoleContext>) {
        router.get("/sales") { request, context in try await page(FormData(request.uri.query ?? ""), path: "/sales", context) }
        if config.role == .branch {
            router.get("/") { request, context in try await page(FormData(request.uri.query ?? ""), path: "/", context) }
        }
        router.get("/sales.csv") { request, context in try await csv(request, context) }
    }

    /// The synced table a request names (`table=`; the first configured one by default).
    func table(_ form: FormData) async throws -> SalesTable {
        let name = form.nonEmpty("table") ?? config.database.tables[0]
        guard config.database.tables.contains(name) else {
            throw FilterError(field: "table", message: "expected one of \(config.database.tables.joined(separator: ", ")), got \"\(name)\"")
        }
        let role = config.role
        guard let t = try await services.db({ try SalesTable.read($0, table: name, role: role) }) else {
            throw FilterError(field: "table", message: "\(name) does not exist in this database yet (nothing synced)")
        }
        return t
    }

    /// The table and filter a request asks for; `FilterError` names a refused parameter.
    func query(_ form: FormData) async throws -> SalesQuery {
        let table = try await table(form)
        return SalesQuery(table: table, filter: try SalesFilter(form, table: table))
    }

    /// The sales page for `form`'s filter; `typed` refills the add form after a refused add.
    func page(
        _ form: FormData, path: String, _ context: ConsoleContext, notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok, typed: FormData? = nil
    ) async throws -> Response {
        let query: SalesQuery
        do { query = try await self.query(form) } catch let e as FilterError {
            return services.pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user)
        }
        let result = try await services.db { db in try SalesResult.read(db, query: query) }
        let mayAdd = config.role == .branch && context.user?.mayAct == true
        let catalogue = services.catalogue.flatMap { $0.applies(to: query.table.name) ? $0 : nil }
        let inputs =
            mayAdd ? InputView.inputs(SaleForm(table: query.table), catalogue: catalogue) { typed?[$0.name] ?? "" } : nil
        let names = mayAdd ? try await services.db { db in try catalogue?.names(db) ?? [] } : []
        let view = SalesPage(query: query, result: result, config: config, addInputs: inputs, catalogue: names)
        return services.pages.page(
            "sales", view, title: config.role == .headOffice ? "Sales of every branch" : "Sales",
            context: context, path: path, status: status, notice: notice, error: error)
    }

    /// Every row of the filtered set as CSV (RFC 4180), streamed from the database.
    func csv(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let query: SalesQuery
        do { query = try await self.query(FormData(request.uri.query ?? "")) } catch let e as FilterError {
            return services.pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user)
        }
        let stream = CSVStream(query: query, pool: services.pool)
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(query.table.name).csv\""
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                try await stream.write(to: &writer)
                try await writer.finish(nil)
            })
    }
}

import Foundation
import Hummingbird
import MariaDB
import SaleSyncCore

/// A clerk's add, edit and delete of sales at a branch, validated field by field (`SaleForm`)
/// and written through `SalesWriter`.
struct SaleEditController: Sendable {
    let services: ConsoleServices
    let sales: SalesController

    func addRoutes(to router: Router<ConsoleContext>) {
        router.post("/sales") { request, context in try await add(request, context) }
        router.get("/sales/edit") { request, context in try await editPage(request, context) }
        router.post("/sales/update") { request, context in try await update(request, context) }
        router.post("/sales/delete") { request, context in try await delete(request, context) }
    }

    /// The sales page again after an action, for the table the form named.
    func salesAfter(
        _ context: ConsoleContext, table: String, notice: String? = nil, error: String? = nil,
        status: HTTPResponse.Status = .ok, typed: FormData? = nil
    ) async throws -> Response {
        try await sales.page(
            FormData(FormData.query([("table", table)])), path: "/", context, notice: notice, error: error,
            status: status, typed: typed)
    }

    func add(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let f = try await services.form(request)
        let table = try await sales.table(f)
        let values: [(SalesColumn, SQLValue)]
        do { values = try SaleForm(table: table).insertValues(try await priced(f, table)) } catch let e as FilterError {
            return try await salesAfter(
                context, table: table.name, error: "Not added: \(e.field): \(e.message)",
                status: .unprocessableContent, typed: f)
        }
        let writer = SalesWriter(table: table)
        do {
            try await services.db { try writer.insert($0, values) }
        } catch let e as MariaDBError {
            return try await salesAfter(
                context, table: table.name, error: "Not added: the database refused it: \(e.message)",
                status: .unprocessableContent, typed: f)
        }
        services.logger.info("console: \(context.user?.name ?? "?") added a row to \(table.name)")
        return try await salesAfter(context, table: table.name, notice: "Sale added.")
    }

    func editPage(_ request: Request, _ context: ConsoleContext, error: String? = nil, typed: FormData? = nil) async throws -> Response {
        let f = typed ?? FormData(request.uri.query ?? "")
        let table = try await sales.table(f)
        let form = SaleForm(table: table)
        let key: [SQLValue]
        do { key = try form.key(f) } catch let e as FilterError {
            return services.pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user)
        }
        let (writer, cols) = (SalesWriter(table: table), form.inputs)
        guard let row = try await services.db({ try writer.row($0, key: key, columns: cols) }) else {
            return services.pages.error(.notFound, "That row is no longer there (deleted meanwhile?).", user: context.user)
        }
        let current = Dictionary(zip(cols.map(\.name), row.map { $0 ?? "" })) { a, _ in a }
        let catalogue = services.catalogue.flatMap { $0.applies(to: table.name) ? $0 : nil }
        let inputs = InputView.inputs(form, catalogue: catalogue) { typed?[$0.name] ?? current[$0.name] ?? "" }
        let names = try await services.db { db in try catalogue?.names(db) ?? [] }
        return services.pages.page(
            "edit", EditPage(table: table.name, key: f["key"] ?? "", inputs: inputs, catalogue: names), title: "Edit a sale",
            context: context, path: "/sales", status: error == nil ? .ok : .unprocessableContent, error: error)
    }

    func update(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let f = try await services.form(request)
        let table = try await sales.table(f)
        let form = SaleForm(table: table)
        let key: [SQLValue], values: [(SalesColumn, SQLValue)]
        do {
            key = try form.key(f)
            values = try form.updateValues(try await priced(f, table))
        } catch let e as FilterError {
            return try await editPage(request, context, error: "Not saved: \(e.field): \(e.message)", typed: f)
        }
        let writer = SalesWriter(table: table)
        let changed: UInt64
        do {
            changed = try await services.db { try writer.update($0, key: key, values) }
        } catch let e as MariaDBError {
            return try await editPage(request, context, error: "Not saved: the database refused it: \(e.message)", typed: f)
        }
        services.logger.info("console: \(context.user?.name ?? "?") updated a row of \(table.name)")
        return try await salesAfter(context, table: table.name, notice: changed > 0 ? "Sale saved." : "Nothing changed.")
    }

    /// The form with the price and totals the catalogue gives, where it fills this table.
    private func priced(_ f: FormData, _ table: SalesTable) async throws -> FormData {
        guard let catalogue = services.catalogue, catalogue.applies(to: table.name) else { return f }
        return try await services.db { try catalogue.complete(f, $0) }
    }

    func delete(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let f = try await services.form(request)
        let table = try await sales.table(f)
        let key: [SQLValue]
        do { key = try SaleForm(table: table).key(f) } catch let e as FilterError {
            return services.pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user)
        }
        let writer = SalesWriter(table: table)
        let n = try await services.db { try writer.delete($0, key: key) }
        services.logger.info("console: \(context.user?.name ?? "?") deleted a row of \(table.name)")
        return try await salesAfter(context, table: table.name, notice: n > 0 ? "Sale deleted." : "That row was already gone.")
    }
}

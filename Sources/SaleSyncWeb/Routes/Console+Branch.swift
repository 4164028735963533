import Foundation
import Hummingbird
import MariaDB
import SaleSyncCore

extension Console {
    /// A clerk's add, edit and delete of sales, and the Sync page.
    func addBranchRoutes(_ router: Router<ConsoleContext>) {
        router.post("/sales") { request, context in try await addSale(request, context) }
        router.get("/sales/edit") { request, context in try await editPage(request, context) }
        router.post("/sales/update") { request, context in try await updateSale(request, context) }
        router.post("/sales/delete") { request, context in try await deleteSale(request, context) }
        addSyncRoutes(router)
    }

    /// The POST body's fields (already collected by the access check).
    func form(_ request: Request) async throws -> FormData {
        var request = request
        return FormData(String(buffer: try await request.collectBody(upTo: 1 << 20)))
    }

    /// The sales page again after an action, for the table the form named.
    func salesAfter(_ request: Request, _ context: ConsoleContext, table: String, notice: String? = nil, error: String? = nil,
                    status: HTTPResponse.Status = .ok, typed: FormData? = nil) async throws -> Response {
        try await salesPage(FormData(FormData.query([("table", table)])), path: "/", context, notice: notice, error: error,
                            status: status, typed: typed)
    }

    func addSale(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let f = try await form(request)
        let table = try await salesTable(f)
        let values: [(SalesColumn, SQLValue)]
        do { values = try SaleForm(table: table).insertValues(f) } catch let e as FilterError {
            return try await salesAfter(request, context, table: table.name, error: "Not added: \(e.field): \(e.message)", status: .unprocessableContent, typed: f)
        }
        let sql = "INSERT INTO \(quoteIdentifier(table.name)) (\(values.map { quoteIdentifier($0.0.name) }.joined(separator: ", "))) VALUES (\(values.map { _ in "?" }.joined(separator: ", ")))"
        let params = values.map(\.1)
        do {
            _ = try await db { try $0.execute(sql, params) }
        } catch let e as MariaDBError {
            return try await salesAfter(request, context, table: table.name, error: "Not added: the database refused it: \(e.message)", status: .unprocessableContent, typed: f)
        }
        logger.info("console: \(context.user?.name ?? "?") added a row to \(table.name)")
        return try await salesAfter(request, context, table: table.name, notice: "Sale added.")
    }

    /// WHERE for a row's key (the key columns in order).
    static func keyCondition(_ table: SalesTable) -> String {
        table.keyColumns.map { "\(quoteIdentifier($0.name)) = ?" }.joined(separator: " AND ")
    }

    func editPage(_ request: Request, _ context: ConsoleContext, error: String? = nil, typed: FormData? = nil) async throws -> Response {
        let f = typed ?? FormData(request.uri.query ?? "")
        let table = try await salesTable(f)
        let form = SaleForm(table: table)
        let key: [SQLValue]
        do { key = try form.key(f) } catch let e as FilterError { return pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user) }
        let cols = form.inputs
        let sql = "SELECT \(cols.map { quoteIdentifier($0.name) }.joined(separator: ", ")) FROM \(quoteIdentifier(table.name)) WHERE \(Self.keyCondition(table))"
        guard let row = try await db({ try $0.query(sql, key).first }) else {
            return pages.error(.notFound, "That row is no longer there (deleted meanwhile?).", user: context.user)
        }
        let inputs = cols.enumerated().map { i, c in SalesView.input(c, value: typed?[c.name] ?? row[i] ?? "") }
        let data: [String: Any] = ["table": table.name, "key": f["key"] ?? "", "inputs": inputs]
        return pages.page("edit", data, title: "Edit a sale", context: context, path: "/sales",
                          status: error == nil ? .ok : .unprocessableContent, error: error)
    }

    func updateSale(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let f = try await form(request)
        let table = try await salesTable(f)
        let form = SaleForm(table: table)
        let key: [SQLValue], values: [(SalesColumn, SQLValue)]
        do {
            key = try form.key(f)
            values = try form.updateValues(f)
        } catch let e as FilterError {
            return try await editPage(request, context, error: "Not saved: \(e.field): \(e.message)", typed: f)
        }
        let sql = "UPDATE \(quoteIdentifier(table.name)) SET \(values.map { "\(quoteIdentifier($0.0.name)) = ?" }.joined(separator: ", ")) WHERE \(Self.keyCondition(table))"
        let params = values.map(\.1) + key
        let changed: UInt64
        do {
            changed = try await db { try $0.execute(sql, params) }
        } catch let e as MariaDBError {
            return try await editPage(request, context, error: "Not saved: the database refused it: \(e.message)", typed: f)
        }
        logger.info("console: \(context.user?.name ?? "?") updated a row of \(table.name)")
        return try await salesAfter(request, context, table: table.name, notice: changed > 0 ? "Sale saved." : "Nothing changed.")
    }

    func deleteSale(_ request: Request, _ context: ConsoleContext) async throws -> Response {
        let f = try await form(request)
        let table = try await salesTable(f)
        let key: [SQLValue]
        do { key = try SaleForm(table: table).key(f) } catch let e as FilterError {
            return pages.error(.badRequest, "\(e.field): \(e.message)", user: context.user)
        }
        let sql = "DELETE FROM \(quoteIdentifier(table.name)) WHERE \(Self.keyCondition(table))"
        let n = try await db { try $0.execute(sql, key) }
        logger.info("console: \(context.user?.name ?? "?") deleted a row of \(table.name)")
        return try await salesAfter(request, context, table: table.name, notice: n > 0 ? "Sale deleted." : "That row was already gone.")
    }
}

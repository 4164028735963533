import Foundation
import Hummingbird
import SaleSyncCore

/// The JSON API for scripts (HTTP Basic, read-only): branches, quarantine, sales and totals, from
/// the same view models as the pages.
struct APIController: Sendable {
    let services: ConsoleServices
    let sales: SalesController

    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ConsoleContext>) {
        let config = services.config
        router.get("/api/branches") { _, _ in
            guard config.role == .headOffice else { return headOfficeOnly() }
            let rows = try await services.db { try BranchOverview.read($0, config: config) }
            return pages.json(.array(rows.map { BranchRow($0).json }))
        }
        router.get("/api/branches/:id") { _, context in
            guard config.role == .headOffice else { return headOfficeOnly() }
            let id = context.parameters.get("id") ?? ""
            let (overview, bundles) = try await services.db { db in
                (try BranchOverview.read(db, config: config).first { $0.status.branch == id }, try AppliedBundle.recent(db, branch: id))
            }
            guard case .object(var fields)? = overview.map({ BranchRow($0).json }) else {
                return pages.json(["error": "no branch \"\(id)\""], status: .notFound)
            }
            fields.append(("bundles", .array(bundles.map { AppliedBundleRow($0).json })))
            return pages.json(.object(fields))
        }
        router.get("/api/quarantine") { _, _ in
            guard config.role == .headOffice else { return headOfficeOnly() }
            let entries = try await services.db { try Quarantine(config: config, connection: $0).list(all: true) }
            return pages.json(.array(entries.map { QuarantineRow($0, config: config).json }))
        }
        router.get("/api/sales") { request, _ in try await salesJSON(request, totalsOnly: false) }
        router.get("/api/sales/totals") { request, _ in try await salesJSON(request, totalsOnly: true) }
    }

    func headOfficeOnly() -> Response { pages.json(["error": "this is a branch's console; ask the head office's"], status: .notFound) }

    func salesJSON(_ request: Request, totalsOnly: Bool) async throws -> Response {
        let query: SalesQuery
        do { query = try await sales.query(FormData(request.uri.query ?? "")) } catch let e as FilterError {
            return pages.json(.object([("error", .string("\(e.field): \(e.message)")), ("field", .string(e.field))]), status: .badRequest)
        }
        let (count, sums) = try await services.db { try query.totals($0) }
        let totals: JSONValue = .object([("rows", .int(count))] + query.table.measures.map { ($0.name, Self.number(sums[$0.name])) })
        if totalsOnly { return pages.json(.object([("table", .string(query.table.name)), ("totals", totals)])) }
        let rows = try await services.db { try query.page($0) }
        let json: [JSONValue] = rows.map { r in
            .object(zip(query.shown, r).map { c, v in (c.name, c.isNumeric ? Self.number(v) : .optional(v)) })
        }
        return pages.json(
            .object([
                ("table", .string(query.table.name)), ("page", .int(query.filter.page)), ("page_size", .int(SalesFilter.pageSize)),
                ("total_rows", .int(count)), ("totals", totals), ("rows", .array(json)),
            ]))
    }

    /// A database number as a JSON number (its exact text), NULL as null.
    static func number(_ v: String?) -> JSONValue {
        guard let v, v.range(of: #"^-?\d+(\.\d+)?([eE][-+]?\d+)?$"#, options: .regularExpression) != nil else {
            return v.map(JSONValue.string) ?? .null
        }
        // JSON has no leading zeros; MariaDB never prints them for numbers, but be safe.
        return .number(v)
    }
}

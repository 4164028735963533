import Foundation
import Hummingbird
import SaleSyncCore

/// The head office's Branches page (its landing page), one branch's page, and the quarantine
/// with its Retry and Drop buttons.
struct HeadOfficeController: Sendable {
    let services: ConsoleServices

    var config: Config { services.config }
    var pages: Pages { services.pages }

    func addRoutes(to router: Router<ConsoleContext>) {
        router.get("/") { _, context in try await branches(context) }
        router.get("/branches/:id") { _, context in try await branch(context) }
        router.get("/quarantine") { _, context in try await quarantinePage(context, notice: nil, error: nil) }
        router.post("/quarantine/:id/:action") { _, context in try await decide(context) }
    }

    func branches(_ context: ConsoleContext) async throws -> Response {
        let config = self.config
        let rows = try await services.db { try BranchOverview.read($0, config: config) }.map(BranchRow.init)
        let view = BranchesPage(rows: rows, count: rows.count, now: BranchRow.timeFormat.string(from: Date()))
        return pages.page("branches", view, title: "Branches", context: context, path: "/", refresh: 30)
    }

    func branch(_ context: ConsoleContext) async throws -> Response {
        let config = self.config
        let id = context.parameters.get("id") ?? ""
        guard config.branches.contains(where: { $0.id == id }) else {
            return pages.error(.notFound, "No branch \"\(id)\" in this head office's config.", user: context.user)
        }
        let view = try await services.db { db in
            BranchPage(
                id: id, row: try BranchOverview.read(db, config: config).first { $0.status.branch == id }.map(BranchRow.init),
                bundles: try AppliedBundle.recent(db, branch: id).map(AppliedBundleRow.init),
                entries: try Quarantine(config: config, connection: db).list(all: true).filter { $0.branch == id }
                    .suffix(50).reversed().map { QuarantineRow($0, config: config) })
        }
        return pages.page("branch", view, title: "Branch \(id)", context: context, path: "/branches")
    }

    func quarantinePage(
        _ context: ConsoleContext, notice: String?, error: String?, status: HTTPResponse.Status = .ok
    ) async throws -> Response {
        let config = self.config
        let entries = try await services.db { try Quarantine(config: config, connection: $0).list(all: true).reversed() }
        return pages.page(
            "quarantine", QuarantinePage(entries: entries.map { QuarantineRow($0, config: config) }), title: "Quarantine",
            context: context, path: "/quarantine", status: status, notice: notice, error: error)
    }

    /// Retry or drop, through the same `Quarantine` the command line uses, recorded with the user's name.
    func decide(_ context: ConsoleContext) async throws -> Response {
        let config = self.config
        guard let id = context.parameters.get("id").flatMap(UInt64.init), let action = context.parameters.get("action"),
            action == "retry" || action == "drop"
        else {
            return pages.error(.notFound, "Expected /quarantine/ID/retry or /quarantine/ID/drop.", user: context.user)
        }
        let who = context.user?.name ?? "?"
        do {
            let e = try await services.db { db in
                let q = Quarantine(config: config, connection: db)
                return action == "retry" ? try q.retry(id: id, by: who) : try q.drop(id: id, by: who)
            }
            services.logger.notice("console: \(who) \(action == "retry" ? "retried" : "dropped") quarantine entry \(id) (\(e.file))")
            let what = action == "retry" ? "is back in the inbox; the ingest service checks it again" : "was dropped"
            return try await quarantinePage(
                context, notice: "Entry \(id) (\(e.branch), seq \(e.sequence.map(String.init) ?? "?")) \(what).", error: nil)
        } catch let e as SyncError {
            return try await quarantinePage(context, notice: nil, error: "Entry \(id): \(e.message)", status: .conflict)
        }
    }
}

import Foundation
import Hummingbird
import SaleSyncCore

extension Console {
    /// Branches (landing page), one branch, the quarantine with its retry and drop buttons.
    func addHeadOfficeRoutes(_ router: Router<ConsoleContext>) {
        let config = self.config
        router.get("/") { _, context in
            let rows = try await db { try BranchOverview.read($0, config: config) }
            let data: [String: Any] = ["rows": rows.map(\.templateData), "count": rows.count,
                                       "now": BranchOverview.timeFormat.string(from: Date())]
            return pages.page("branches", data, title: "Branches", context: context, path: "/", refresh: 30)
        }
        router.get("/branches/:id") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard config.branches.contains(where: { $0.id == id }) else {
                return pages.error(.notFound, "No branch \"\(id)\" in this head office's config.", user: context.user)
            }
            let (overview, bundles, entries) = try await db { db in
                (try BranchOverview.read(db, config: config).first { $0.status.branch == id },
                 try AppliedBundle.recent(db, branch: id),
                 try Quarantine(config: config, connection: db).list(all: true).filter { $0.branch == id }.suffix(50).reversed())
            }
            var data = overview?.templateData ?? ["id": id]
            data["bundles"] = bundles.map(\.templateData)
            data["entries"] = entries.map { $0.templateData(config) }
            return pages.page("branch", data, title: "Branch \(id)", context: context, path: "/branches")
        }
        router.get("/quarantine") { _, context in
            try await quarantinePage(context, notice: nil, error: nil)
        }
        router.post("/quarantine/:id/:action") { _, context in
            try await decide(context)
        }
    }

    func quarantinePage(_ context: ConsoleContext, notice: String?, error: String?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let config = self.config
        let entries = try await db { try Quarantine(config: config, connection: $0).list(all: true).reversed() }
        let data: [String: Any] = ["entries": entries.map { $0.templateData(config) }]
        return pages.page("quarantine", data, title: "Quarantine", context: context, path: "/quarantine",
                          status: status, notice: notice, error: error)
    }

    /// Retry or drop, through the same `Quarantine` the command line uses, recorded with the user's name.
    func decide(_ context: ConsoleContext) async throws -> Response {
        let config = self.config
        guard let id = context.parameters.get("id").flatMap(UInt64.init), let action = context.parameters.get("action"),
              action == "retry" || action == "drop" else {
            return pages.error(.notFound, "Expected /quarantine/ID/retry or /quarantine/ID/drop.", user: context.user)
        }
        let who = context.user?.name ?? "?"
        do {
            let e = try await db { db in
                let q = Quarantine(config: config, connection: db)
                return action == "retry" ? try q.retry(id: id, by: who) : try q.drop(id: id, by: who)
            }
            logger.notice("console: \(who) \(action == "retry" ? "retried" : "dropped") quarantine entry \(id) (\(e.file))")
            let what = action == "retry" ? "is back in the inbox; the ingest service checks it again" : "was dropped"
            return try await quarantinePage(context, notice: "Entry \(id) (\(e.branch), seq \(e.sequence.map(String.init) ?? "?")) \(what).", error: nil)
        } catch let e as SyncError {
            return try await quarantinePage(context, notice: nil, error: "Entry \(id): \(e.message)", status: .conflict)
        }
    }
}

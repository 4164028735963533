import Foundation
import Hummingbird
import SaleSyncCore

extension Console {
    static let syncDurations = ["2m", "10m", "30m", "60m"]

    /// The branch's Sync page and its three actions, each the salesync command line in a child process.
    func addSyncRoutes(_ router: Router<ConsoleContext>) {
        router.get("/sync") { _, context in try await syncPage(context) }
        router.post("/sync/now") { request, context in
            let f = try await form(request)
            guard let d = f["duration"], Self.syncDurations.contains(d) else {
                return try await syncPage(context, error: "duration: expected one of \(Self.syncDurations.joined(separator: ", "))", status: .unprocessableContent)
            }
            return try await startJob(context, "Sync now", ["run", "--max-duration", d, "--ack-wait", "20s"])
        }
        router.post("/sync/usb-export") { request, context in
            guard let dir = try await usbDirectory(request) else {
                return try await syncPage(context, error: "dir: expected an absolute directory path (the USB stick)", status: .unprocessableContent)
            }
            return try await startJob(context, "Export to USB", ["export", "--to", dir])
        }
        router.post("/sync/usb-acks") { request, context in
            guard let dir = try await usbDirectory(request) else {
                return try await syncPage(context, error: "dir: expected an absolute directory path (the USB stick)", status: .unprocessableContent)
            }
            return try await startJob(context, "Import acknowledgements", ["acks", "--from", dir])
        }
    }

    func usbDirectory(_ request: Request) async throws -> String? {
        guard let d = try await form(request).nonEmpty("dir"), d.hasPrefix("/"), !d.contains("\u{0}") else { return nil }
        return d
    }

    func startJob(_ context: ConsoleContext, _ title: String, _ args: [String]) async throws -> Response {
        let user = context.user?.name ?? "?"
        let jobs = self.jobs
        guard try await Offload.run({ try jobs.start(title, user: user, args: args) }) != nil else {
            return try await syncPage(context, error: "Another action is still running; wait for it to end.", status: .conflict)
        }
        logger.notice("console: \(user) started \(title) (salesync \(args.joined(separator: " ")))")
        return Response.redirect(to: "/sync", type: .normal)
    }

    func syncPage(_ context: ConsoleContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let config = self.config
        let s = try await db { try BranchStatus.read($0, config: config) }
        let job = jobs.current
        var data: [String: Any] = [
            "unexported": s.tables.map { "\($0.name): \($0.unexportedChanges)" }.joined(separator: ", "),
            "pending": s.pending.count, "sent": s.sent.count, "acked": s.acknowledged.count, "rejected": s.rejected.count,
            "lastSequence": s.lastSequence, "oldest": BranchOverview.duration(s.oldestUnacknowledgedSeconds),
            "lastRun": s.lastRun.map { "\($0.command) started \($0.started), \($0.outcome ?? "running")" } ?? "never",
            "verdict": s.bundles.first { $0.status == .acked }?.detail ?? "none yet",
            "nextWindow": config.web.window.map { w in "\(w) (opens \(BranchOverview.timeFormat.string(from: w.nextStart(after: Date()))))" }
                ?? "not set ([web] window)",
            "bundles": s.bundles.map { ["sequence": $0.sequence, "status": $0.status.rawValue, "rows": $0.rows, "bytes": $0.bytes, "detail": $0.detail ?? ""] },
            "busy": job?.running ?? false,
        ]
        if let job {
            data["job"] = mustacheData(["title": job.title, "outcome": job.outcome, "user": job.user, "log": job.lines.joined(separator: "\n"),
                                        "started": BranchOverview.timeFormat.string(from: job.started),
                                        "ended": job.ended.map { BranchOverview.timeFormat.string(from: $0) }])
        }
        return pages.page("sync", data, title: "Sync", context: context, path: "/sync", status: status, error: error,
                          refresh: job?.running == true ? 2 : nil)
    }
}

import Foundation
import Hummingbird
import SaleSyncCore

/// The branch's Sync page and its actions, each the salesync command line in a child process.
struct SyncController: Sendable {
    let services: ConsoleServices
    let jobs: SyncJobs

    static let durations = ["2m", "10m", "30m", "60m"]
    static let usbError = "dir: expected an absolute directory path (the USB stick)"

    func addRoutes(to router: Router<ConsoleContext>) {
        router.get("/sync") { _, context in try await page(context) }
        router.post("/sync/now") { request, context in
            guard let d = try await services.form(request)["duration"], Self.durations.contains(d) else {
                return try await page(
                    context, error: "duration: expected one of \(Self.durations.joined(separator: ", "))",
                    status: .unprocessableContent)
            }
            return try await start(context, "Sync now", ["run", "--max-duration", d, "--ack-wait", "20s"])
        }
        // Rejoin after going back in time (docs/operations.md): fetches the copy within 30 minutes.
        router.post("/sync/rejoin") { request, context in
            _ = try await services.form(request)
            return try await start(context, "Rejoin", ["rejoin", "--max-duration", "30m"])
        }
        router.post("/sync/usb-export") { request, context in
            guard let dir = try await usbDirectory(request) else {
                return try await page(context, error: Self.usbError, status: .unprocessableContent)
            }
            return try await start(context, "Export to USB", ["export", "--to", dir])
        }
        router.post("/sync/usb-acks") { request, context in
            guard let dir = try await usbDirectory(request) else {
                return try await page(context, error: Self.usbError, status: .unprocessableContent)
            }
            return try await start(context, "Import acknowledgements", ["acks", "--from", dir])
        }
    }

    func usbDirectory(_ request: Request) async throws -> String? {
        guard let d = try await services.form(request).nonEmpty("dir"), d.hasPrefix("/"), !d.contains("\u{0}") else { return nil }
        return d
    }

    func start(_ context: ConsoleContext, _ title: String, _ args: [String]) async throws -> Response {
        let user = context.user?.name ?? "?"
        let jobs = self.jobs
        guard try await Offload.run({ try jobs.start(title, user: user, args: args) }) != nil else {
            return try await page(context, error: "Another action is still running; wait for it to end.", status: .conflict)
        }
        services.logger.notice("console: \(user) started \(title) (salesync \(args.joined(separator: " ")))")
        return Response.redirect(to: "/sync", type: .normal)
    }

    func page(_ context: ConsoleContext, error: String? = nil, status: HTTPResponse.Status = .ok) async throws -> Response {
        let config = services.config
        let s = try await services.db { try BranchStatus.read($0, config: config) }
        let job = jobs.current
        return services.pages.page(
            "sync", SyncPage(s, window: config.web.window, job: job), title: "Sync", context: context,
            path: "/sync", status: status, error: error, refresh: job?.running == true ? 2 : nil)
    }
}

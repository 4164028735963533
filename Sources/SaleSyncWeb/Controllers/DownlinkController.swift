import Foundation
import Hummingbird
import SaleSyncCore

/// The downlink in the console: the head office's Distribution view (and its JSON), a branch's
/// Prices page.
struct DownlinkController: Sendable {
    let services: ConsoleServices

    var config: Config { services.config }

    func addRoutes(to router: Router<ConsoleContext>) {
        if config.role == .headOffice {
            router.get("/distribution") { _, context in try await distribution(context) }
            router.get("/api/distribution") { _, _ in services.pages.json(try await distributionView().json) }
        } else if services.catalogue != nil {
            router.get("/prices") { request, context in try await prices(FormData(request.uri.query ?? ""), context) }
        }
    }

    func distributionView() async throws -> DistributionPage {
        let config = self.config
        let status = try await services.db { try DownlinkStatus.read($0, config: config) }
        return DistributionPage(status, enabled: config.downlink.isEnabled)
    }

    func distribution(_ context: ConsoleContext) async throws -> Response {
        services.pages.page(
            "distribution", try await distributionView(), title: "Distribution", context: context, path: "/distribution", refresh: 60)
    }

    func prices(_ f: FormData, _ context: ConsoleContext) async throws -> Response {
        guard let catalogue = services.catalogue else { return services.pages.error(.notFound, "No catalogue here.", user: context.user) }
        let today = ISO8601DateFormatter.string(from: Date(), timeZone: .current, formatOptions: [.withFullDate])
        let date = f.nonEmpty("date") ?? today
        guard date.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil, CivilDateCheck.valid(date) else {
            return services.pages.error(.badRequest, "date: expected a date YYYY-MM-DD, got \"\(date)\"", user: context.user)
        }
        let q = f.nonEmpty("q") ?? ""
        let limit = 500
        let (lines, downlink) = try await services.db { db in
            (try catalogue.priceList(db, containing: q, on: date, limit: limit + 1), try BranchStatus.readDownlink(db))
        }
        let received =
            downlink.lastApplied == 0
            ? "Nothing received from the head office yet."
            : "Catalogue as of downlink bundle \(downlink.lastApplied), applied \(downlink.lastAppliedAt ?? "")."
        let view = PricesPage(q: q, date: date, lines: Array(lines.prefix(limit)), more: lines.count > limit, received: received)
        return services.pages.page("prices", view, title: "Prices", context: context, path: "/prices")
    }
}

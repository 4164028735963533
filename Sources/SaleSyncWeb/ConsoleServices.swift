import Hummingbird
import Logging
import MariaDB
import SaleSyncCore

/// What the console's controllers share: the site's config, the page renderer, the database pool
/// and the logger.
struct ConsoleServices: Sendable {
    let config: Config
    let pages: Pages
    let pool: DatabasePool
    let logger: Logger

    /// Runs `body` with a database connection off the event loop.
    func db<T: Sendable>(_ body: @escaping @Sendable (MariaDBConnection) throws -> T) async throws -> T {
        try await pool.with(body)
    }

    /// The branch's catalogue for the sale form (`[web.catalogue]`), if configured.
    var catalogue: Catalogue? { config.web.catalogue.map { Catalogue(config: $0) } }

    /// A POST body's fields (already collected by the access check).
    func form(_ request: Request) async throws -> FormData {
        var request = request
        return FormData(String(buffer: try await request.collectBody(upTo: 1 << 20)))
    }
}

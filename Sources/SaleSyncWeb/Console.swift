import Foundation
import Hummingbird
import Logging
import MariaDB
import SaleSyncCore

/// `salesync serve`: the web console of one site, over the site's database and salesync's tables.
public struct Console: Sendable {
    let config: Config
    let services: ConsoleServices
    let users: UserStore
    let sessions: SessionStore
    let jobs: SyncJobs
    let logger: Logger

    public init(config: Config, logger: Logger) throws {
        if config.web.certFile != nil {
            throw SyncError.config(
                """
                \(config.path): keys web.cert_file/key_file: this build serves plain HTTP only; keep the default \
                listen address 127.0.0.1 or put a TLS proxy in front (docs/console.md)
                """)
        }
        var dbConfig = config
        if let u = config.web.databaseUser {
            dbConfig.database.user = u
            dbConfig.database.passwordFile = config.web.databasePasswordFile
        }
        self.config = config
        services = ConsoleServices(
            config: config, pages: try Pages(site: config.site, role: config.role),
            pool: DatabasePool(config: dbConfig), logger: logger)
        users = try UserStore(config: config)
        sessions = SessionStore(timeout: config.web.sessionTimeout)
        jobs = SyncJobs(configPath: config.path)
        self.logger = logger
    }

    /// The routes for this site's role, behind the access checks: one controller per area.
    public func router() -> Router<ConsoleContext> {
        let router = Router(context: ConsoleContext.self)
        router.add(middleware: AccessMiddleware(sessions: sessions, users: users, credentials: CredentialCache(), pages: services.pages))
        let sales = SalesController(services: services)
        LoginController(services: services, users: users, sessions: sessions).addRoutes(to: router)
        sales.addRoutes(to: router)
        APIController(services: services, sales: sales).addRoutes(to: router)
        if config.role == .headOffice {
            HeadOfficeController(services: services).addRoutes(to: router)
        } else {
            SaleEditController(services: services, sales: sales).addRoutes(to: router)
            SyncController(services: services, jobs: jobs).addRoutes(to: router)
        }
        return router
    }

    /// Serves until SIGINT/SIGTERM.
    public func run(listen: String) async throws {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]), (1...65535).contains(port)
        else {
            throw SyncError.config("--listen: expected ADDR:PORT (e.g. 127.0.0.1:8080), got \"\(listen)\"")
        }
        let host = String(listen[..<colon])
        if try users.load().isEmpty {
            logger.warning("no console users yet: add one with `salesync --config \(config.path) user add NAME --role operator`")
        }
        let app = Application(
            router: router(), configuration: .init(address: .hostname(host, port: port), serverName: "salesync"),
            logger: logger)
        try await app.runService()
    }

}

extension Console {
    /// Refuses to start on a database without salesync's tables at the version this binary needs.
    public func checkDatabase() async throws {
        let config = self.config
        try await services.db { db in
            try Migrator(role: config.role).check(db, config: config)
            _ = try db.query(
                config.role == .headOffice ? "SELECT 1 FROM salesync_branches LIMIT 1" : "SELECT 1 FROM salesync_capture LIMIT 1")
        }
    }
}

import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
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
        var dbConfig = config
        if let u = config.web.databaseUser {
            dbConfig.database.user = u
            dbConfig.database.passwordFile = config.web.databasePasswordFile
        }
        self.config = config
        services = ConsoleServices(
            config: config, pages: try Pages(site: config.site, role: config.role, nav: Pages.nav(config)),
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
        DownlinkController(services: services).addRoutes(to: router)
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
            router: router(), server: try server(), configuration: .init(address: .hostname(host, port: port), serverName: "salesync"),
            logger: logger)
        try await app.runService()
    }

    /// Plain HTTP, or HTTPS with `[web] cert_file` and `key_file` (PEM: the certificate chain,
    /// then the private key); a file that cannot be read or parsed is named with the key.
    func server() throws -> HTTPServerBuilder {
        guard let cert = config.web.certFile, let key = config.web.keyFile else { return .http1() }
        let chain: [NIOSSLCertificate]
        let privateKey: NIOSSLPrivateKey
        do { chain = try NIOSSLCertificate.fromPEMFile(cert) } catch {
            throw SyncError.config("\(config.path): key web.cert_file: \(cert) is not a readable PEM certificate (\(error))")
        }
        guard !chain.isEmpty else { throw SyncError.config("\(config.path): key web.cert_file: \(cert) holds no certificate") }
        do { privateKey = try NIOSSLPrivateKey(file: key, format: .pem) } catch {
            throw SyncError.config("\(config.path): key web.key_file: \(key) is not a readable PEM private key (\(error))")
        }
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(privateKey))
        return try .tls(.http1(), tlsConfiguration: tls)
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

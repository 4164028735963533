import AMQP
import Crypto
import Foundation
import Logging
import MariaDB
import SaleSyncCore

/// Where the servers started by scripts/services.sh are, read from the environment that
/// `scripts/services.sh env` prints. Missing variables fail the test: these tests need real servers.
public struct ServerEnv {
    public let host: String
    public let port: UInt32
    public let user: String
    public let passwordFile: String
    public let rabbitURL: String
    public let rabbitPasswordFile: String
    public let tlsURL: String
    public let tlsDir: String

    public static func load() throws -> ServerEnv {
        let e = ProcessInfo.processInfo.environment
        func need(_ k: String) throws -> String {
            guard let v = e[k], !v.isEmpty else {
                throw SyncError.config(
                    "environment variable \(k) is not set: run the tests through scripts/test.sh (it starts MariaDB and RabbitMQ)")
            }
            return v
        }
        return ServerEnv(
            host: try need("SALESYNC_MARIADB_HOST"), port: UInt32(try need("SALESYNC_MARIADB_PORT")) ?? 0,
            user: try need("SALESYNC_MARIADB_USER"), passwordFile: try need("SALESYNC_MARIADB_PASSWORD_FILE"),
            rabbitURL: try need("SALESYNC_RABBIT_URL"), rabbitPasswordFile: try need("SALESYNC_RABBIT_PASSWORD_FILE"),
            tlsURL: e["SALESYNC_RABBIT_TLS_URL"] ?? "", tlsDir: e["SALESYNC_RABBIT_TLS_DIR"] ?? "")
    }

    public var password: String {
        (try? String(contentsOfFile: passwordFile, encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
    }

    public func connect(_ database: String? = nil) throws -> MariaDBConnection {
        try MariaDBConnection(ConnectOptions(host: host, port: port, user: user, password: password, database: database))
    }
}

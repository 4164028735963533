internal import CMariaDB
import Foundation

/// How to reach a MariaDB server. The password travels in memory only, never in argv.
public struct ConnectOptions: Sendable {
    public var host: String
    public var port: UInt32
    public var socket: String?
    public var user: String
    public var password: String?
    public var database: String?
    public var connectTimeoutSeconds: UInt32
    /// Allows `LOAD DATA LOCAL INFILE` fed by `loadDataLocal`.
    public var localInfile: Bool

    public init(
        host: String = "127.0.0.1", port: UInt32 = 3306, socket: String? = nil, user: String,
        password: String? = nil, database: String? = nil, connectTimeoutSeconds: UInt32 = 10,
        localInfile: Bool = false
    ) {
        self.host = host
        self.port = port
        self.socket = socket
        self.user = user
        self.password = password
        self.database = database
        self.connectTimeoutSeconds = connectTimeoutSeconds
        self.localInfile = localInfile
    }
}

import Foundation
import TOMLKit

/// `[database]`: where the site's MariaDB is and which tables are synced.
public struct DatabaseConfig: Sendable {
    public var host = "127.0.0.1"
    public var port = 3306
    public var socket: String?
    public var user = "salesync"
    public var passwordFile: String?
    public var name = ""
    public var tables: [String] = []
}

import Foundation

/// `[web]`: the console that `salesync serve` runs.
public struct WebConfig: Sendable {
    /// Where the console's users live (`salesync user add`); relative paths are next to the config.
    public var usersFile: String?
    /// `ADDR:PORT` to listen on when `serve` is given no `--listen`.
    public var listen = "127.0.0.1:8080"
    /// PEM certificate and key: with both, the console speaks HTTPS only.
    public var certFile: String?
    public var keyFile: String?
    /// A login lasts this long without use.
    public var sessionTimeout: TimeInterval = 8 * 3600
    /// Optional narrower database account for the console (docs/console.md lists its grants).
    public var databaseUser: String?
    public var databasePasswordFile: String?
    /// Branch: its daily online window (as in cron), shown on the Sync page as the next window.
    public var window: DailyWindow?
    /// Branch: the sale form takes products and prices from the head office's catalogue.
    public var catalogue: CatalogueConfig?
}

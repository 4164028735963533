import ArgumentParser
import Foundation
import Logging
import SaleSyncCore

/// Options every command that reads a site's config takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: "The site's config file (default: $SALESYNC_CONFIG or /etc/salesync/salesync.toml).")
    var config: String?

    @Flag(name: .shortAndLong, help: "Say what is being done (info-level log on stderr).")
    var verbose = false

    @Option(
        name: .customLong("log-level"),
        help: "trace, debug, info, notice, warning, error or critical (default: warning; info with --verbose).")
    var logLevel: String?

    var configPath: String {
        config ?? ProcessInfo.processInfo.environment["SALESYNC_CONFIG"] ?? "/etc/salesync/salesync.toml"
    }

    var level: Logger.Level {
        if let l = logLevel, let level = Logger.Level(rawValue: l) { return level }
        return verbose ? .info : .warning
    }
}

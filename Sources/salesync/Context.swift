import ArgumentParser
import Foundation
import Logging
import MariaDB
import SaleSyncCore

#if canImport(Glibc)
import Glibc
#endif

/// Shared start-up for commands: config, logging, the one-line error and the exit status.
struct Context {
    let config: Config
    let logger: Logger

    /// Runs `body` with a loaded config; any error becomes one line on stderr and its exit code.
    static func run(_ global: GlobalOptions, role: Role? = nil, _ body: (Context) throws -> Int32) throws {
        let logger = makeLogger(global.level)
        let code: Int32
        do {
            let config = try Config.load(global.configPath)
            for w in config.warnings { logger.warning("\(w)") }
            if let role, config.role != role {
                throw SyncError.config(
                    "\(config.path): this command runs on a \(role.rawValue), the config says role = \"\(config.role.rawValue)\"")
            }
            code = try body(Context(config: config, logger: logger))
        } catch {
            code = report(error)
        }
        if code != 0 { throw ExitCode(code) }
    }

    /// Runs `body` without a config (keygen, bundle inspect).
    static func runWithoutConfig(_ level: Logger.Level, _ body: (Logger) throws -> Int32) throws {
        let logger = makeLogger(level)
        let code: Int32
        do { code = try body(logger) } catch { code = report(error) }
        if code != 0 { throw ExitCode(code) }
    }

    /// A decision or result worth keeping: logged (notice), and on stdout with --verbose.
    func say(_ text: String, _ global: GlobalOptions) {
        logger.notice("\(text)")
        if global.verbose { print(text) }
    }

    /// Who runs a command that records a decision: "cli:" and the Unix user (behind sudo, the one who ran sudo).
    static var operatorName: String {
        "cli:" + (ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "?")
    }

    static func report(_ error: Error) -> Int32 {
        let cls = classify(error)
        var line = "\(error)"
        if let e = error as? MariaDBError, e.isConnectionFailure { line = "database unreachable: \(e)" }
        if let e = error as? MariaDBError, e.code == MariaDBError.Code.accessDenied {
            line = "the database refused salesync's credentials (check the config's database.user and database.password_file): \(e)"
        }
        if let e = error as? MariaDBError, e.isMissingSalesyncTable {
            line = "\(e.message): salesync's tables are not installed in this database; run `salesync init` with this config first"
        }
        FileHandle.standardError.write(Data("salesync: \(line)\n".utf8))
        return cls.rawValue
    }

    static func makeLogger(_ level: Logger.Level) -> Logger {
        LoggingSystem.bootstrap { label in
            var h = LineLogHandler(label: label)
            h.logLevel = level
            return h
        }
        var l = Logger(label: "salesync")
        l.logLevel = level
        return l
    }

    /// A connection to the site's database (Database.open: refused when salesync's tables are
    /// of another version).
    func database(localInfile: Bool = false, upgrading: Bool = false) throws -> MariaDBConnection {
        try Database.open(config, localInfile: localInfile, upgrading: upgrading)
    }
}

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
                throw SyncError.config("\(config.path): this command runs on a \(role.rawValue), the config says role = \"\(config.role.rawValue)\"")
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

    static func report(_ error: Error) -> Int32 {
        let cls = classify(error)
        var line = "\(error)"
        if let e = error as? MariaDBError, e.isConnectionFailure { line = "database unreachable: \(e)" }
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

    /// A connection to the site's database, after checking that its salesync tables are not
    /// newer than this binary.
    func database(localInfile: Bool = false) throws -> Connection {
        let db = try Database.connect(config, localInfile: localInfile)
        do { try SchemaVersion.check(db, config: config) } catch {
            db.close()
            throw error
        }
        return db
    }

    /// The branch's state-directory lock: one mutating command at a time.
    func lock(_ what: String) throws -> FileLock {
        try ensureDirectory(config.stateDir)
        return try FileLock(path: config.stateDir + "/salesync.lock", what: what)
    }
}

/// One line per log event on stderr: time, level, message, metadata (branch=… seq=…).
struct LineLogHandler: LogHandler {
    let label: String
    var logLevel: Logger.Level = .warning
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var all = metadata
        if let m = event.metadata { all.merge(m) { _, new in new } }
        let meta = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
        let line = "\(f.string(from: Date())) \(event.level) \(label): \(event.message)\(meta.isEmpty ? "" : " " + meta)\n"
        FileHandle.standardError.write(Data(line.utf8))
    }
}

/// A progress line on a terminal (never in cron output, where stderr is not a TTY).
final class Progress {
    let enabled = isatty(2) == 1
    let started = Date()
    var last = Date.distantPast
    let what: String

    init(_ what: String) { self.what = what }

    func update(_ done: Int, total: Int? = nil, unit: String) {
        guard enabled, Date().timeIntervalSince(last) > 0.5 else { return }
        last = Date()
        let elapsed = max(Date().timeIntervalSince(started), 0.001)
        let rate = Double(done) / elapsed
        var line = "\(what): \(done) \(unit), \(Int(rate)) \(unit)/s"
        if let total, total > 0, rate > 0 { line += ", ETA \(Int(Double(total - done) / rate)) s" }
        FileHandle.standardError.write(Data("\r\(line)\u{1B}[K".utf8))
    }

    func done() {
        if enabled && last != .distantPast { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}

/// Records a branch command's start and outcome in salesync_runs, for `status`.
struct RunRecord {
    let db: Connection
    let id: Int64

    init(_ db: Connection, command: String) throws {
        self.db = db
        try db.execute("INSERT INTO salesync_runs (command, started_at) VALUES (?, NOW(6))", [.text(command)])
        id = try db.query("SELECT LAST_INSERT_ID()").first?.int(0) ?? 0
    }

    func finish(_ outcome: String) {
        // Best effort: the command's own outcome matters more than this record of it.
        _ = try? db.execute("UPDATE salesync_runs SET ended_at = NOW(6), outcome = ? WHERE id = ?", [.text(outcome), .int(id)])
    }
}

import Foundation
import SaleSyncCore

/// A branch's backup and restore as a shop's IT does them: `mariadb-dump` of its database
/// (triggers and AUTO_INCREMENT counters included) and a copy of its `state_dir`.
extension Lab {
    /// Takes a backup of branch `b`; returns where it is.
    public func backup(_ b: String) throws -> String {
        let to = "\(dir)/backup-\(b)-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: true)
        try client("mariadb-dump", ["--single-transaction", "--triggers", "--result-file=\(to)/db.sql", b])
        try FileManager.default.copyItem(atPath: try config(b).stateDir, toPath: to + "/state")
        return to
    }

    /// Puts branch `b` back as it was at `backup`: its database, and its `state_dir` unless
    /// `keepStateDir` (a database restored, the disk with the state kept).
    public func restore(_ b: String, from backup: String, keepStateDir: Bool = false) throws {
        try admin.execute("DROP DATABASE `\(b)`")
        try admin.execute("CREATE DATABASE `\(b)`")
        try client("mariadb", [b], input: backup + "/db.sql")
        guard !keepStateDir else { return }
        let state = try config(b).stateDir
        try FileManager.default.removeItem(atPath: state)
        try FileManager.default.copyItem(atPath: backup + "/state", toPath: state)
    }

    /// Runs a MariaDB client tool against the test server, the password in a defaults file
    /// (never in argv).
    private func client(_ tool: String, _ args: [String], input: String? = nil) throws {
        let defaults = "\(dir)/client.cnf"
        if !FileManager.default.fileExists(atPath: defaults) {
            let pw = try String(contentsOfFile: env.passwordFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard
                FileManager.default.createFile(
                    atPath: defaults, contents: Data("[client]\npassword=\(pw)\n".utf8), attributes: [.posixPermissions: 0o600])
            else { throw SyncError.other("cannot write \(defaults)") }
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/" + tool)
        p.arguments = ["--defaults-extra-file=\(defaults)", "-h", env.host, "-P", "\(env.port)", "-u", env.user, "--protocol=tcp"] + args
        if let input { p.standardInput = FileHandle(forReadingAtPath: input) }
        let err = Pipe()
        p.standardError = err
        try p.run()
        let why = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw SyncError.other("\(tool) \(args.joined(separator: " ")): \(String(decoding: why, as: UTF8.self))")
        }
    }
}

extension Lab {
    /// `salesync rejoin` at branch `b`: merges the rejoin copy its last drain received (or the one
    /// in `dir`, USB).
    @discardableResult
    public func rejoin(_ b: String, from dir: String? = nil) throws -> RejoinReport {
        let c = try config(b)
        let db = try Database.open(c, localInfile: true)
        defer { db.close() }
        let rejoiner = try Rejoiner(config: c, connection: db, logger: logger)
        guard let copy = try rejoiner.findCopy(in: dir) else { throw SyncError.temporary("\(b): no rejoin copy has arrived") }
        return try rejoiner.run(copy.file, from: copy.path)
    }
}

extension Lab {
    /// Branch `b` on a new PC: an empty database and `state_dir`, salesync installed anew under
    /// the same site id (and key, unless the caller changes it).
    public func replacePC(_ b: String) throws {
        let c = try config(b)
        try admin.execute("DROP DATABASE `\(b)`")
        try admin.execute("CREATE DATABASE `\(b)`")
        try FileManager.default.removeItem(atPath: c.stateDir)
        try sql(b, LabSchema.sales)
        let conn = try Database.connect(c)
        defer { conn.close() }
        _ = try Capture.install(conn, config: c)
    }
}

import Foundation
import TOMLKit

/// A site's configuration file (TOML), validated as a whole before anything is touched.
public struct Config: Sendable {
    public var path: String
    public var role: Role
    public var site: String
    public var stateDir: String
    /// The Ed25519 private key file that signs bundles (a branch's; the head office's with a downlink).
    public var keyFile: String?
    public var database = DatabaseConfig()
    public var rabbitmq = RabbitConfig()
    public var export = ExportConfig()
    /// `[capture] mode` (a branch's).
    public var captureMode = CaptureMode.triggers
    public var transfer = TransferConfig()
    public var web = WebConfig()
    public var downlink = DownlinkConfig()
    /// Head office: the branches it accepts bundles from.
    public var branches: [BranchPeer] = []
    /// Head office: keep the running checksum exact through updates and deletes made behind
    /// salesync's back (UPDATE/DELETE triggers on the synced tables), so the next bundle reports drift.
    public var watchExternalChanges = true
    /// Head office: how many of a branch's bundles may be applied at once, on as many database
    /// connections (they still commit strictly in sequence).
    public var parallelBundles = 2
    /// Warnings found while loading (e.g. a file readable by others), to be logged.
    public var warnings: [String] = []

    public var outboxDir: String { stateDir + "/outbox" }
    public var ackedDir: String { stateDir + "/outbox/acked" }
    public var inboxDir: String { stateDir + "/inbox" }
    public var quarantineDir: String { stateDir + "/quarantine" }

    /// 1-64 ASCII letters, digits, '_' or '-'. Checked by hand: a regular expression here
    /// started ICU's regex engine at every command, a millisecond of each short run.
    public static func isSiteID(_ s: String) -> Bool {
        let u = s.utf8
        return (1...64).contains(u.count)
            && u.allSatisfy {
                (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) || $0 == 0x5F || $0 == 0x2D
            }
    }

    /// Loads and validates `path`. Errors are `SyncError.config` naming file, key and what was expected.
    public static func load(_ path: String) throws -> Config {
        let r = TableReader(file: path, table: try parse(path), prefix: "")
        let roleText = try r.string("role", required: true)!
        guard let role = Role(rawValue: roleText) else {
            throw SyncError.config("\(path): key role: expected \"branch\" or \"head-office\", got \"\(roleText)\"")
        }
        let site = try r.string("site", required: true)!
        guard Self.isSiteID(site) else {
            throw SyncError.config("\(path): key site: expected 1-64 letters, digits, '_' or '-', got \"\(site)\"")
        }
        var c = Config(path: path, role: role, site: site, stateDir: try r.string("state_dir", required: true)!)
        c.keyFile = try r.string("key_file")
        try c.readDatabase(try r.table("database", required: true)!)
        if let mq = try r.table("rabbitmq", required: true) { try c.readRabbit(mq) }
        if let ex = try r.table("export") { try c.readExport(ex) }
        if let cap = try r.table("capture") { try c.readCapture(cap) }
        if let tr = try r.table("transfer") { try c.readTransfer(tr) }
        if let ing = try r.table("ingest") { try c.readIngest(ing) }
        if let w = try r.table("web") { try c.readWeb(w) }
        if let br = try r.table("branches") { try c.readBranches(br) }
        if let d = try r.table("downlink") { try c.readDownlink(d) }
        try r.finish()
        try c.checkRole()
        try c.checkDownlink()
        c.warnings += Self.permissionWarnings(path)
        for f in [c.database.passwordFile, c.rabbitmq.passwordFile, c.keyFile].compactMap({ $0 }) {
            c.warnings += Self.permissionWarnings(f)
        }
        return c
    }

    /// The file's TOML, or an error naming line and column.
    private static func parse(_ path: String) throws -> TOMLTable {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError.config("\(path): cannot read the config file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SyncError.config("\(path): not UTF-8 text")
        }
        do {
            return try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SyncError.config("\(path):\(e.source.begin.line):\(e.source.begin.column): \(e.description)")
        }
    }

    static func permissionWarnings(_ file: String) -> [String] {
        // stat(2), not FileManager's attributes: those look up the owner's and group's names too,
        // which costs every command a few milliseconds of NSS (the packaged binary is static).
        var st = stat()
        guard stat(file, &st) == 0 else { return [] }
        let mode = Int(st.st_mode) & 0o7777
        if mode & 0o004 != 0 {
            return ["\(file) is readable by every user (mode \(String(mode, radix: 8))); chmod 600 it"]
        }
        return []
    }

    /// Reads a secret file (first line, trailing newline removed). Error names the key that points at it.
    public static func readSecret(_ file: String?, key: String, config: String) throws -> String? {
        guard let file else { return nil }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw SyncError.config("\(config): key \(key): cannot read \(file)")
        }
        var s = String(decoding: data, as: UTF8.self)
        if let nl = s.firstIndex(of: "\n") { s = String(s[..<nl]) }
        return s
    }

    /// Parses "30s", "90m", "6h", "7d" or a plain number of seconds.
    public static func parseDuration(_ s: String) -> TimeInterval? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = t.last else { return nil }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86400]
        if let u = units[last], let v = Double(t.dropLast()), v >= 0 { return v * u }
        if let v = Double(t), v >= 0 { return v }
        return nil
    }

    /// Parses "512", "256k", "1m", "2g" (bytes, powers of 1024).
    public static func parseSize(_ s: String) -> Int? {
        let t = s.trimmingCharacters(in: .whitespaces).lowercased()
        guard let last = t.last else { return nil }
        let units: [Character: Int] = ["k": 1 << 10, "m": 1 << 20, "g": 1 << 30]
        if let u = units[last], let v = Double(t.dropLast()), v >= 0 { return Int(v * Double(u)) }
        if let v = Int(t), v >= 0 { return v }
        return nil
    }
}

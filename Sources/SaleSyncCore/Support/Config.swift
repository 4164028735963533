import Foundation
import TOMLKit

/// A site's configuration file (TOML), validated as a whole before anything is touched.
public struct Config: Sendable {
    public var path: String
    public var role: Role
    public var site: String
    public var stateDir: String
    /// Branch: the Ed25519 private key file that signs bundles.
    public var keyFile: String?
    public var database = DatabaseConfig()
    public var rabbitmq = RabbitConfig()
    public var export = ExportConfig()
    public var transfer = TransferConfig()
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

    /// Loads and validates `path`. Errors are `SyncError.config` naming file, key and what was expected.
    public static func load(_ path: String) throws -> Config {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError.config("\(path): cannot read the config file")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw SyncError.config("\(path): not UTF-8 text")
        }
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let e as TOMLParseError {
            throw SyncError.config("\(path):\(e.source.begin.line):\(e.source.begin.column): \(e.description)")
        }
        let r = TableReader(file: path, table: root, prefix: "")
        let roleText = try r.string("role", required: true)!
        guard let role = Role(rawValue: roleText) else {
            throw SyncError.config("\(path): key role: expected \"branch\" or \"head-office\", got \"\(roleText)\"")
        }
        let site = try r.string("site", required: true)!
        guard site.range(of: #"^[A-Za-z0-9_-]{1,64}$"#, options: .regularExpression) != nil else {
            throw SyncError.config("\(path): key site: expected 1-64 letters, digits, '_' or '-', got \"\(site)\"")
        }
        var c = Config(path: path, role: role, site: site, stateDir: try r.string("state_dir", required: true)!)
        c.keyFile = try r.string("key_file")

        let db = try r.table("database", required: true)!
        c.database.host = try db.string("host") ?? c.database.host
        c.database.port = try db.int("port", range: 1...65535) ?? c.database.port
        c.database.socket = try db.string("socket").flatMap { $0.isEmpty ? nil : $0 }
        c.database.user = try db.string("user", required: true)!
        c.database.passwordFile = try db.string("password_file").flatMap { $0.isEmpty ? nil : $0 }
        c.database.name = try db.string("name", required: true)!
        c.database.tables = try db.stringArray("tables", required: true)!
        if c.database.tables.isEmpty { throw SyncError.config("\(path): key database.tables: expected at least one table name") }
        try db.finish()

        if let mq = try r.table("rabbitmq", required: true) {
            c.rabbitmq.url = try mq.string("url", required: true)!
            c.rabbitmq.passwordFile = try mq.string("password_file").flatMap { $0.isEmpty ? nil : $0 }
            c.rabbitmq.caFile = try mq.string("ca_file").flatMap { $0.isEmpty ? nil : $0 }
            c.rabbitmq.certFile = try mq.string("cert_file").flatMap { $0.isEmpty ? nil : $0 }
            c.rabbitmq.keyFile = try mq.string("key_file").flatMap { $0.isEmpty ? nil : $0 }
            c.rabbitmq.verifyHostname = try mq.bool("verify_hostname") ?? true
            if c.rabbitmq.url.lowercased().hasPrefix("amqps://") && c.rabbitmq.caFile == nil {
                throw SyncError.config("\(path): key rabbitmq.ca_file: required for an amqps:// url")
            }
            try mq.finish()
        }
        if let ex = try r.table("export") {
            c.export.maxRows = try ex.int("max_rows", range: 1...10_000_000) ?? c.export.maxRows
            c.export.maxBytes = try ex.size("max_bytes") ?? c.export.maxBytes
            c.export.compressionLevel = Int32(try ex.int("compression_level", range: 1...9) ?? Int(c.export.compressionLevel))
            try ex.finish()
        }
        if let tr = try r.table("transfer") {
            c.transfer.chunkSize = try tr.size("chunk_size") ?? c.transfer.chunkSize
            if c.transfer.chunkSize < 1024 || c.transfer.chunkSize > 64 << 20 {
                throw SyncError.config("\(path): key transfer.chunk_size: expected 1k to 64m")
            }
            c.transfer.resendAfter = try tr.duration("resend_after") ?? c.transfer.resendAfter
            c.transfer.retention = try tr.duration("retention") ?? c.transfer.retention
            try tr.finish()
        }
        if let ing = try r.table("ingest") {
            c.watchExternalChanges = try ing.bool("watch_external_changes") ?? true
            c.parallelBundles = try ing.int("parallel_bundles", range: 1...2) ?? c.parallelBundles
            try ing.finish()
        }
        if let br = try r.table("branches") {
            for id in br.table.keys.sorted() {
                guard let t = try br.table(id) else { continue }
                c.branches.append(BranchPeer(id: id, publicKey: try t.string("public_key", required: true)!))
                try t.finish()
            }
            br.used = Set(br.table.keys)
            try br.finish()
        }
        try r.finish()

        switch role {
        case .branch:
            guard c.keyFile != nil else { throw SyncError.config("\(path): key key_file: required on a branch (see salesync keygen)") }
        case .headOffice:
            if c.branches.isEmpty { throw SyncError.config("\(path): [branches]: the head office needs at least one branch") }
            for b in c.branches {
                guard let raw = Data(base64Encoded: b.publicKey), raw.count == 32 else {
                    throw SyncError.config("\(path): key branches.\(b.id).public_key: expected the base64 Ed25519 public key that salesync keygen prints")
                }
            }
        }
        c.warnings += Self.permissionWarnings(path)
        for f in [c.database.passwordFile, c.rabbitmq.passwordFile, c.keyFile].compactMap({ $0 }) {
            c.warnings += Self.permissionWarnings(f)
        }
        return c
    }

    static func permissionWarnings(_ file: String) -> [String] {
        guard let attrs = try? FileManager.default.attributesOfItem(atPath: file),
              let mode = attrs[.posixPermissions] as? NSNumber else { return [] }
        if mode.intValue & 0o004 != 0 {
            return ["\(file) is readable by every user (mode \(String(mode.intValue, radix: 8))); chmod 600 it"]
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

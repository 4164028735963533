import AMQP
import Crypto
import Foundation
import Logging
import MariaDB
import SaleSyncCore

/// A throw-away head office and branches: their own databases, queues, keys and state
/// directories, named uniquely so tests can run side by side on the same servers.
public final class Lab {
    public let env: ServerEnv
    public let id: String
    public let dir: String
    public let admin: MariaDBConnection
    public let branches: [String]
    public var logger = Logger(label: "test")

    public init(
        branches count: Int = 2, table: String = LabSchema.sales, tableName: String = "product_sales",
        extraHO: String = "", extraBranch: String = "", downlink: String? = nil
    ) throws {
        env = try ServerEnv.load()
        id = "t" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        dir = NSTemporaryDirectory() + "salesync-\(id)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        admin = try env.connect()
        let prefix = id
        branches = (1...count).map { "\(prefix)b\($0)" }
        logger.logLevel = .warning
        try admin.execute("CREATE DATABASE `\(id)_ho`")
        var peers = ""
        // A downlink: the head office signs with its own key; each branch trusts that key only.
        var hoTop = "", branchDownlink = ""
        if let downlink {
            let pub = try Keys.generate(path: "\(dir)/ho.key")
            hoTop = "key_file = \"\(dir)/ho.key\"\n"
            peers += "\n[downlink]\n\(downlink)\n"
            // Every bundle's state compared, so that tests see each verdict (the default is hourly).
            branchDownlink = "\n[downlink]\nhead_office_key = \"\(pub)\"\ncheck_every = \"0\"\n"
        }
        for b in branches {
            try admin.execute("CREATE DATABASE `\(b)`")
            let c = try env.connect(b)
            try c.execute(table)
            c.close()
            let pub = try Keys.generate(path: "\(dir)/\(b).key")
            peers += "\n[branches.\(b)]\npublic_key = \"\(pub)\"\n"
            try write(
                "\(b).toml",
                config(role: "branch", site: b, db: b, extra: "key_file = \"\(dir)/\(b).key\"\n", tables: tableName) + extraBranch
                    + branchDownlink)
        }
        try write("ho.toml", config(role: "head-office", site: "ho", db: "\(id)_ho", extra: hoTop, tables: tableName) + extraHO + peers)
    }

    deinit {
        removeBrokerObjects()
        for db in ["\(id)_ho"] + branches { try? admin.execute("DROP DATABASE IF EXISTS `\(db)`") }
        admin.close()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// The branches' queues and exchanges go with the lab: quorum queues left by thousands of
    /// tests slowed a long-lived development broker until its logins timed out.
    private func removeBrokerObjects() {
        guard let c = try? config("ho"), let amqp = try? Topology.connect(c, timeout: 5).0 else { return }
        defer { amqp.close() }
        for b in branches {
            for q in [Topology.bundleQueue(b), Topology.ackQueue(b), Topology.deadLetterQueue(b), Topology.downlinkQueue(b)] {
                if (try? amqp.deleteQueue(q)) == nil { try? amqp.reopenChannel() }
            }
            for e in [Topology.bundleExchange(b), Topology.ackExchange(b), Topology.deadLetterExchange(b), Topology.downlinkExchange(b)] {
                if (try? amqp.deleteExchange(e)) == nil { try? amqp.reopenChannel() }
            }
        }
    }

    public func config(role: String, site: String, db: String, extra: String, tables: String) -> String {
        """
        role = "\(role)"
        site = "\(site)"
        state_dir = "\(dir)/state-\(site)"
        \(extra)
        [database]
        host = "\(env.host)"
        port = \(env.port)
        user = "\(env.user)"
        password_file = "\(env.passwordFile)"
        name = "\(db)"
        tables = ["\(tables)"]

        [rabbitmq]
        url = "\(env.rabbitURL)"
        password_file = "\(env.rabbitPasswordFile)"

        """
    }

    public func write(_ name: String, _ text: String) throws {
        try text.write(toFile: "\(dir)/\(name)", atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: "\(dir)/\(name)")
    }

    public func path(_ site: String) -> String { site == "ho" ? "\(dir)/ho.toml" : "\(dir)/\(site).toml" }
    public func config(_ site: String) throws -> Config { try Config.load(path(site)) }
    public var hoDB: String { "\(id)_ho" }

    /// A connection to a site's database.
    public func db(_ site: String) throws -> MariaDBConnection {
        try Database.connect(try config(site), localInfile: site == "ho")
    }

    public func sql(_ site: String, _ statements: String...) throws {
        let c = try db(site)
        defer { c.close() }
        for s in statements { try c.execute(s) }
    }

    public func scalar(_ site: String, _ query: String, _ params: [SQLValue] = []) throws -> String? {
        let c = try db(site)
        defer { c.close() }
        return try c.query(query, params).first?[0]
    }

    public func initAll() throws {
        for s in branches + ["ho"] {
            let c = try config(s)
            let conn = try Database.connect(c)
            _ = c.role == .branch ? try Capture.install(conn, config: c) : try HeadOfficeStore.install(conn, config: c)
            conn.close()
            let amqp = try Topology.connect(c)
            try Topology.declare(amqp, for: c)
            amqp.close()
        }
    }

    @discardableResult
    public func export(_ b: String, snapshot: Bool = false) throws -> [ExportedBundle] {
        let c = try config(b)
        let conn = try Database.connect(c)
        defer { conn.close() }
        return try Exporter(config: c, connection: conn, key: try Keys.load(path: c.keyFile!), logger: logger).run(snapshot: snapshot)
    }

    @discardableResult
    public func drain(_ b: String, _ options: DrainOptions = DrainOptions()) throws -> DrainReport {
        let c = try config(b)
        let conn = try Database.connect(c)
        defer { conn.close() }
        return try Drainer(config: c, connection: conn, logger: logger).run(options)
    }

    @discardableResult
    public func ingest() throws -> IngestReport {
        try IngestService(config: try config("ho"), logger: logger, mode: .once).run { false }
    }

    /// export + drain at every branch, ingest, drain again for the acks.
    public func syncAll() throws {
        for b in branches { try export(b); try drain(b) }
        try ingest()
        for b in branches { try drain(b) }
    }

    /// Rows that differ between a branch and the head office's copy, compared on every column
    /// by SQL over both databases (independent of salesync's own checksums).
    public func differences(_ b: String, table: String = "product_sales") throws -> Int {
        let schema = try Database.schema(admin, database: b, table: table)
        let cols = schema.columns.map { quoteIdentifier($0.name) }.joined(separator: ", ")
        let t = quoteIdentifier(table)
        let q = """
            SELECT COUNT(*) FROM (SELECT \(cols), COUNT(*) AS salesync_n FROM (
              SELECT \(cols) FROM `\(b)`.\(t)
              UNION ALL SELECT \(cols) FROM `\(hoDB)`.\(t) WHERE branch_id = ?) x
            GROUP BY \(cols) HAVING salesync_n <> 2) d
            """
        return Int(try admin.query(q, [.text(b)]).first?.int(0) ?? -1)
    }

    public func count(_ site: String, _ table: String = "product_sales", branch: String? = nil) throws -> Int {
        if let branch {
            let exists = try scalar(
                "ho", "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                [.text(hoDB), .text(table)])
            if exists == "0" { return 0 }
            return Int(try scalar("ho", "SELECT COUNT(*) FROM \(quoteIdentifier(table)) WHERE branch_id = ?", [.text(branch)]) ?? "-1")
                ?? -1
        }
        return Int(try scalar(site, "SELECT COUNT(*) FROM \(quoteIdentifier(table))") ?? "-1") ?? -1
    }

    /// Inserts `n` sales rows at a branch.
    public func sell(_ b: String, _ n: Int, seed: Int = 1) throws {
        try insertSales(b, n) { i in
            let qty = Int64((i * 7 + seed) % 50 + 1)
            let cost = [1295, 219, 849, 6450][(i + seed) % 4]
            let amt = qty * Int64(cost)
            return (
                "(?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    .text("2026-11-\(10 + i % 15)"), .text(["North", "South", "Ëast", "Wést 😀"][i % 4]),
                    .text(["Paper", "Pens", "Stapler", "Toner"][(i + seed) % 4]), .int(qty),
                    .text(cents(Int64(cost))), .text(cents(amt)), .text(cents(amt * 7 / 100)), .text(cents(amt + amt * 7 / 100)),
                ]
            )
        }
    }

    /// Inserts `n` rows with random product names: data that barely compresses, for transfer tests.
    public func sellNoise(_ b: String, _ n: Int) throws {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        try insertSales(b, n) { i in
            ("('2026-01-01', ?, ?, 1, 1, 1, 1, 1)", [.text("r\(i % 7)"), .text(String((0..<64).map { _ in alphabet.randomElement()! }))])
        }
    }

    /// Inserts `n` sales 500 to a statement; `row(i)` gives row i's VALUES tuple and its parameters.
    func insertSales(_ b: String, _ n: Int, _ row: (Int) -> (String, [SQLValue])) throws {
        let c = try db(b)
        defer { c.close() }
        var values: [String] = []
        var params: [SQLValue] = []
        for i in 0..<n {
            let (tuple, p) = row(i)
            values.append(tuple)
            params += p
            if values.count == 500 || i == n - 1 {
                try c.execute(
                    "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total) VALUES "
                        + values.joined(separator: ", "), params)
                values = []
                params = []
            }
        }
    }

    public func cents(_ v: Int64) -> String { "\(v / 100).\(String(format: "%02d", v % 100))" }

    /// Runs the salesync binary; returns exit status, stdout and stderr.
    public func run(_ args: [String], env extra: [String: String] = [:]) throws -> (Int32, String, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Lab.binary)
        p.arguments = args
        var e = ProcessInfo.processInfo.environment
        e.merge(extra) { _, n in n }
        p.environment = e
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let r = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: r, as: UTF8.self))
    }

    public static var binary: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/salesync").path
    }
}

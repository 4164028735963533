import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

@Suite struct OperationsTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .path

    /// The command lines of a cron.d file (fields after the schedule and the user); `commented`:
    /// also the lines commented out for the administrator to enable (`#*/2 * * * * root …`).
    func cronCommands(_ file: String, commented: Bool = false) throws -> [String] {
        try String(contentsOfFile: Self.root + "/cron/" + file, encoding: .utf8).split(separator: "\n")
            .map { commented && $0.hasPrefix("#*") ? String($0.dropFirst()) : String($0) }
            .filter { !$0.hasPrefix("#") && !$0.contains("=") && !$0.trimmingCharacters(in: .whitespaces).isEmpty }
            .map { line in line.split(separator: " ", omittingEmptySubsequences: true).dropFirst(6).joined(separator: " ") }
    }

    /// Runs the exact cron lines, with the binary, config and log paths substituted.
    @Test func cronLinesDoWhatTheySay() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 60)
        // A window open now (the shipped one, 18:00-19:30, need not be).
        let f = DateFormatter()
        f.dateFormat = "HH:mm"
        let openWindow = f.string(from: Date().addingTimeInterval(-3600)) + "-" + f.string(from: Date().addingTimeInterval(3600))
        func sh(_ line: String, config: String) throws -> Int32 {
            let cmd = line.replacingOccurrences(of: "/usr/bin/salesync", with: Lab.binary)
                .replacingOccurrences(of: "/etc/salesync/salesync.toml", with: config)
                .replacingOccurrences(of: "/var/log/salesync.log", with: lab.dir + "/salesync.log")
                .replacingOccurrences(of: "/var/lib/prometheus/node-exporter/salesync.prom", with: lab.dir + "/metrics.prom")
                .replacingOccurrences(of: "--window 18:00-19:30", with: "--window \(openWindow) --max-duration 2m")
                .replacingOccurrences(of: "--ack-wait 60s", with: "--ack-wait 5s")
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/bin/sh")
            p.arguments = ["-c", cmd]
            try p.run()
            p.waitUntilExit()
            return p.terminationStatus
        }
        let branchLines = try cronCommands("salesync-branch")
        #expect(branchLines.prefix(2).allSatisfy { $0.contains("--window 18:00-19:30") && !$0.contains("--until") })
        let hoLines = try cronCommands("salesync-head-office", commented: true)
        #expect(branchLines.count == 3 && hoLines.count == 3 && hoLines[0].hasSuffix("ingest --once >>/var/log/salesync.log 2>&1"))
        #expect(try cronCommands("salesync-head-office").count == 2, "ingest --once is for a head office without the service")
        #expect(try sh(branchLines[0], config: lab.path(b)) == 75, "sent, acknowledgement not in yet")
        #expect(try sh(hoLines[0], config: lab.path("ho")) == 0)
        #expect(try sh(branchLines[1], config: lab.path(b)) == 0)
        #expect(try lab.differences(b) == 0)
        #expect(try sh(branchLines[2], config: lab.path(b)) == 0)
        #expect(try sh(hoLines[1], config: lab.path("ho")) == 0)
        let metrics = try String(contentsOfFile: lab.dir + "/metrics.prom", encoding: .utf8)
        #expect(metrics.contains("salesync_last_applied_sequence{branch=\"\(b)\"} 1"))
        #expect(try sh(hoLines[2], config: lab.path("ho")) == 0, "nightly verify: the copy matches")
        try lab.sql(
            "ho",
            "INSERT INTO product_sales SELECT branch_id, id + 1000, sale_date, region, product, qty, cost, amt, tax, total FROM product_sales WHERE id = 1"
        )
        #expect(try sh(hoLines[2], config: lab.path("ho")) == 65, "a row inserted behind salesync's back")
        #expect(try String(contentsOfFile: lab.dir + "/salesync.log", encoding: .utf8).contains("drift"))
    }

    @Test func configErrorsNameFileKeyAndExpectationWithExit78() throws {
        let lab = try Lab(branches: 1)
        let good = try String(contentsOfFile: lab.path("ho"), encoding: .utf8)
        let cases: [(String, String, String)] = [
            ("missing key", good.replacingOccurrences(of: "site = \"ho\"\n", with: ""), "key site: missing"),
            (
                "wrong type", good.replacingOccurrences(of: #"port = \d+"#, with: "port = \"3306\"", options: .regularExpression),
                "key database.port: expected an integer"
            ),
            (
                "unknown key", good.replacingOccurrences(of: "[database]\n", with: "[database]\nhots = \"x\"\n"),
                "key database.hots: unknown key"
            ),
            (
                "unreadable password file",
                good.replacingOccurrences(
                    of: #"password_file = "[^"]*mariadb[^"]*""#, with: "password_file = \"/nonexistent/pw\"", options: .regularExpression),
                "key database.password_file: cannot read /nonexistent/pw"
            ),
            (
                "bad role", good.replacingOccurrences(of: "role = \"head-office\"", with: "role = \"office\""),
                "key role: expected \"branch\" or \"head-office\""
            ),
            (
                "bad key",
                good.replacingOccurrences(of: #"public_key = "[^"]*""#, with: "public_key = \"nope\"", options: .regularExpression),
                "public_key: expected the base64 Ed25519 public key"
            ),
            ("not TOML", "role = = 1", "bad.toml:1:"),
        ]
        for (what, text, expected) in cases {
            try lab.write("bad.toml", text)
            let (code, out, err) = try lab.run(["--config", lab.dir + "/bad.toml", "status"])
            #expect(code == 78, "\(what): \(err)")
            #expect(err.contains(lab.dir + "/bad.toml") && err.contains(expected), "\(what): \(err)")
            #expect(out.isEmpty)
        }
        // A config readable by every user draws a warning.
        try lab.write("open.toml", good)
        chmod(lab.dir + "/open.toml", 0o644)
        let (_, _, err) = try lab.run(["--config", lab.dir + "/open.toml", "init"])
        #expect(err.contains("readable by every user"))
    }

    /// A branch installed while its link is down: plain `init` says the broker is unreachable
    /// (75); `init --offline` installs capture without it; once the link is up, the first `run`
    /// declares the queues itself and the sales reach the head office.
    @Test func initOfflineInstallsCaptureWithoutTheBroker() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        let conf = try String(contentsOfFile: lab.path(b), encoding: .utf8)
        let down = conf.replacingOccurrences(of: "url = \"\(lab.env.rabbitURL)\"", with: "url = \"amqp://salesync@127.0.0.1:1/\"")
        #expect(down != conf)
        try lab.write("down.toml", down)
        let (code, _, err) = try lab.run(["--config", lab.dir + "/down.toml", "init"])
        #expect(code == 75, "\(err)")
        let (offline, _, offlineErr) = try lab.run(["--config", lab.dir + "/down.toml", "init", "--offline"])
        #expect(offline == 0, "\(offlineErr)")
        #expect(
            try lab.scalar(
                b, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND TRIGGER_NAME LIKE 'salesync%'")
                == "3")

        // The head office's tables only: nothing has declared the branch's queue yet.
        let ho = try lab.config("ho")
        let conn = try Database.connect(ho)
        _ = try HeadOfficeStore.install(conn, config: ho)
        conn.close()
        try lab.sell(b, 25)
        let (run, _, runErr) = try lab.run(["--config", lab.path(b), "run", "--ack-wait", "0s"])
        #expect(run == 0 || run == 75, "\(runErr)")
        let (ingest, _, ingestErr) = try lab.run(["--config", lab.path("ho"), "ingest", "--once"])
        #expect(ingest == 0, "\(ingestErr)")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE branch_id = ?", [.text(b)]) == "25")
    }

    /// Before `init`, commands say what to do instead of showing a bare "table doesn't exist".
    @Test func commandsBeforeInitSayToRunInit() throws {
        let lab = try Lab(branches: 1)
        for site in ["ho", lab.branches[0]] {
            let (code, _, err) = try lab.run(["--config", lab.path(site), "status"])
            #expect(code == 78, "\(site): \(err)")
            #expect(err.contains("run `salesync init`"), "\(site): \(err)")
        }
    }

    /// `init` records the layout's version; a database laid out by a newer salesync is refused
    /// with a clear message rather than misread.
    @Test func aNewerSchemaVersionIsRefused() throws {
        let lab = try Lab(branches: 1)
        try lab.initAll()
        #expect(try lab.scalar("ho", "SELECT version FROM salesync_schema WHERE role = 'head-office'") == String(SchemaVersion.current))
        try lab.sql("ho", "UPDATE salesync_schema SET version = 99")
        for args in [["status"], ["ingest", "--once"], ["init"]] {
            let (code, _, err) = try lab.run(["--config", lab.path("ho")] + args)
            #expect(code == 78, "\(args): \(err)")
            #expect(err.contains("schema version 99"), "\(args): \(err)")
        }
    }

    /// On a terminal, drain shows a progress line; under cron (stderr is a file or a pipe) it
    /// writes none, so logs stay one line per event.
    @Test func progressLineOnATerminalOnly() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sellNoise(b, 800)
        try lab.export(b)
        let (code, _, err) = try lab.run(["--config", lab.path(b), "drain", "--bwlimit", "16k"])
        #expect(code == 75, "sent, not yet acknowledged: \(err)")
        #expect(!err.contains("\r") && !err.contains("drain:"), "no progress line without a terminal: \(err)")
        try lab.sellNoise(b, 800)
        try lab.export(b)
        // `script` runs the command on a pseudo-terminal and copies what it writes there.
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        p.arguments = ["-q", "-e", "-c", "'\(Lab.binary)' --config '\(lab.path(b))' drain --bwlimit 16k", "/dev/null"]
        let out = Pipe()
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = out
        p.standardError = out
        try p.run()
        let tty = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        #expect(tty.contains("\rdrain: ") && tty.contains("bytes/s"), "\(tty.debugDescription)")
    }

    @Test func statusJSONHasTheDocumentedFields() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 10)
        try lab.syncAll()
        let (code, out, _) = try lab.run(["--config", lab.path(b), "status", "--json"])
        #expect(code == 0)
        let j = try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any] ?? [:]
        for k in ["site", "role", "tables", "pending", "sent", "acknowledged", "lastSequence", "bundles"] {
            #expect(j[k] != nil, "branch \(k)")
        }
        let (code2, out2, _) = try lab.run(["--config", lab.path("ho"), "status", "--json"])
        #expect(code2 == 0)
        let h = try JSONSerialization.jsonObject(with: Data(out2.utf8)) as? [String: Any] ?? [:]
        let first = (h["branches"] as? [[String: Any]])?.first ?? [:]
        for k in ["branch", "lastSequence", "held", "missing", "quarantined", "verdict", "lagSeconds"] {
            #expect(first[k] != nil || k == "lagSeconds", "head office \(k)")
        }
        #expect(first["lastSequence"] as? Int == 1)
        #expect(first["verdict"] as? String == "match")
    }
}

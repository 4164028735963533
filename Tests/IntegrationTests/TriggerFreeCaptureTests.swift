import Foundation
import Logging
import MariaDB
import SaleSyncTesting
import Testing

@testable import SaleSyncCore

/// The capture modes without triggers (docs/capture.md): `binlog`, the branch's changes read
/// from the server's binary log at each export (scripts/services.sh starts MariaDB logging rows),
/// and `compare`, each table compared with what was last exported. Nothing on the till's table.
@Suite struct TriggerFreeCaptureTests {
    static func setting(_ mode: CaptureMode) -> String { "\n[capture]\nmode = \"\(mode.rawValue)\"\n" }
    static let binlog = setting(.binlog)
    static let modes: [CaptureMode] = [.binlog, .compare]

    func expectInStep(_ lab: Lab, _ sourceLocation: SourceLocation = #_sourceLocation) throws {
        for b in lab.branches {
            #expect(try lab.differences(b) == 0, "\(b) differs", sourceLocation: sourceLocation)
            #expect(try lab.count(b) == lab.count("ho", branch: b), sourceLocation: sourceLocation)
            #expect(
                try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match",
                "\(b)'s verdict", sourceLocation: sourceLocation)
        }
    }

    /// One branch capturing in `mode`, with `sales` rows already at the head office.
    func syncedBranch(sales: Int, mode: CaptureMode = .binlog) throws -> (Lab, String) {
        let lab = try Lab(branches: 1, extraBranch: Self.setting(mode))
        try lab.initAll()
        try lab.sell(lab.branches[0], sales)
        try lab.syncAll()
        return (lab, lab.branches[0])
    }

    func triggers(_ lab: Lab, _ b: String) throws -> String? {
        try lab.scalar(b, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()")
    }

    /// Inserts, updates, a changed key, deletes, a rolled-back transaction and a multi-row
    /// statement: the head office ends with the branch's rows, and the till's table has no trigger.
    @Test(arguments: modes) func everyKindOfChangeArrives(mode: CaptureMode) throws {
        let lab = try Lab(branches: 2, extraBranch: Self.setting(mode))
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        #expect(try triggers(lab, b1) == "0")
        try lab.sell(b1, 30)
        try lab.sell(b2, 20, seed: 3)
        try lab.syncAll()
        try expectInStep(lab)
        try lab.sql(
            b1, "UPDATE product_sales SET qty = qty + 1 WHERE id BETWEEN 3 AND 8", "UPDATE product_sales SET id = 500 WHERE id = 9",
            "DELETE FROM product_sales WHERE id IN (10, 11)", "START TRANSACTION", "DELETE FROM product_sales WHERE id = 12",
            "ROLLBACK", "UPDATE product_sales SET product = product WHERE id = 13")
        try lab.sell(b1, 5, seed: 4)
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE branch_id = ? AND id IN (9, 10, 11)", [.text(b1)]) == "0")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE branch_id = ? AND id IN (12, 500)", [.text(b1)]) == "2")
        if mode == .compare {
            // Compared by the merge, sent as found: nothing went through the change log.
            #expect(try lab.scalar(b1, "SELECT COUNT(*) FROM salesync_log_1") == "0")
        }
        // Nothing new: the export finds nothing to send (the log's position still moves on).
        #expect(try lab.export(b1).isEmpty)
        #expect(try lab.export(b2).isEmpty)
    }

    /// The till writes while exports run: each export's snapshot holds exactly what its change
    /// log does (BinlogFeed.feedSnapshot; CompareFeed compares inside the snapshot), so every
    /// verdict stays `match`.
    @Test(arguments: modes) func salesDuringTheExportAreNeitherLostNorMiscounted(mode: CaptureMode) throws {
        let lab = try Lab(branches: 1, extraBranch: Self.setting(mode))
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 50)
        let stop = Flag()
        let config = try lab.config(b)
        let till = Thread {
            guard let c = try? Database.connect(config) else { return }
            defer { c.close() }
            var i = 0
            while !stop.isSet {
                try? c.execute("UPDATE product_sales SET qty = qty + 1 WHERE id = \(i % 50 + 1)")
                try? c.execute(
                    "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total) VALUES ('2026-11-23', 'T', 'Till', 1, 1.00, 1.00, 0.07, 1.07)"
                )
                i += 1
            }
        }
        till.start()
        for _ in 0..<4 {
            try lab.syncAll()
            #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match")
        }
        stop.set()
        while !till.isFinished { Thread.sleep(forTimeInterval: 0.05) }
        try lab.syncAll()
        try expectInStep(lab)
    }

    /// The till's software alters the table while salesync is stopped: with no trigger there is
    /// nothing to break, and the next sync takes the writes as docs/schema-changes.md says.
    @Test(
        arguments: modes, [("DROP COLUMN tax", true), ("RENAME COLUMN region TO area", true), ("ADD COLUMN note VARCHAR(20) NULL", false)])
    func tillWritesNeverNoticeAnAlter(mode: CaptureMode, change: (alter: String, held: Bool)) throws {
        let (alter, held) = change
        let (lab, b) = try syncedBranch(sales: 20, mode: mode)
        try lab.sql(b, "UPDATE product_sales SET qty = 40 WHERE id = 2")  // before the ALTER, read after it
        try lab.sql(b, "ALTER TABLE product_sales \(alter)")
        let region = alter.hasPrefix("RENAME") ? "area" : "region"
        let (tax, taxValue) = alter.hasPrefix("DROP") ? ("", "") : (", tax", ", 0.20")
        try lab.sql(
            b,
            "INSERT INTO product_sales (sale_date, \(region), product, qty, cost, amt, total\(tax)) VALUES ('2026-11-22', 'N', 'After', 2, 1.00, 2.00, 2.20\(taxValue))",
            "UPDATE product_sales SET qty = 7 WHERE id = 3", "DELETE FROM product_sales WHERE id = 4")
        try lab.syncAll()
        try lab.settle(b, alter: alter, held: held)
        try expectInStep(lab)
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 2", [.text(b)]) == "40")
    }

    /// salesync's own quiet transaction (a rejoin's, which bumps `salesync_binlog.quiet` first)
    /// is not captured; the till's next change to the same row is.
    @Test func salesyncsOwnQuietWritesAreNotCaptured() throws {
        let (lab, b) = try syncedBranch(sales: 10)
        try lab.sql(
            b, "START TRANSACTION", "UPDATE salesync_binlog SET quiet = quiet + 1", "UPDATE product_sales SET qty = 99 WHERE id = 1",
            "COMMIT")
        #expect(try lab.export(b).isEmpty)
        try lab.sql(b, "UPDATE product_sales SET qty = 98 WHERE id = 1")
        #expect(try lab.export(b).count == 1)
        try lab.drain(b)
        try lab.ingest()
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 1", [.text(b)]) == "98")
    }

    /// The binary log was purged before an export read it: the changes in it may be lost, so
    /// the next export sends the table whole (which replaces the head office's copy).
    @Test func aLogPurgedBeforeItWasReadSendsTheTableWhole() throws {
        let (lab, b) = try syncedBranch(sales: 10)
        try lab.sell(b, 5, seed: 2)
        // As if the file holding these five sales were gone: a position in a file that does not exist.
        try lab.sql(b, "UPDATE salesync_binlog SET file = 'binlog.999998', pos = 4")
        let bundles = try lab.export(b)
        #expect(bundles.count == 1)
        #expect(bundles.first?.rows == 15, "the whole table")
        try lab.drain(b)
        try lab.ingest()
        try lab.drain(b)
        try expectInStep(lab)
    }

    /// Killed after writing the change-log entries, before their commit: the next export reads
    /// the same changes again, and nothing is lost or counted twice.
    @Test(arguments: [(CaptureMode.binlog, "binlog-fed-before-commit"), (.compare, "export-before-commit")])
    func aCrashBeforeTheEntriesCommitLosesNothing(mode: CaptureMode, fault: String) throws {
        let lab = try Lab(branches: 1, extraBranch: Self.setting(mode))
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 12)
        try lab.syncAll()
        try lab.sql(b, "UPDATE product_sales SET qty = 31 WHERE id = 5")
        let (code, _, err) = try lab.run(["--config", lab.path(b), "export"], env: ["SALESYNC_FAULT": fault])
        #expect(code == 99, "\(err)")
        #expect(
            try lab.scalar(b, "SELECT COUNT(*) FROM salesync_log_1 l, salesync_capture c WHERE c.table_id = 1 AND l.seq > c.watermark")
                == "0")
        try lab.sql(b, "DELETE FROM product_sales WHERE id = 2")
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try lab.count("ho", branch: b) == 11)
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 5", [.text(b)]) == "31")
    }

    /// Switching modes with `init` (triggers to `mode` and back) loses no change made around the
    /// switch; an export whose config disagrees with how capture was set up refuses.
    @Test(arguments: modes) func switchingModesLosesNothing(mode: CaptureMode) throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 10)
        try lab.syncAll()
        try lab.sell(b, 3, seed: 2)  // logged by the triggers, exported after the switch
        try lab.write("\(b).toml", try String(contentsOfFile: lab.path(b), encoding: .utf8) + Self.setting(mode))
        let (refused, _, err) = try lab.run(["--config", lab.path(b), "export"])
        #expect(refused == 78, "\(err)")
        #expect(err.contains("run salesync init to switch"))
        try lab.initAll()
        #expect(try triggers(lab, b) == "0")
        try lab.sql(b, "UPDATE product_sales SET qty = 77 WHERE id = 1")
        try lab.syncAll()
        try expectInStep(lab)
        // And back: a change found by init (in the binary log, or by comparing), one by the new triggers.
        try lab.sql(b, "UPDATE product_sales SET qty = 66 WHERE id = 2")
        let text = try String(contentsOfFile: lab.path(b), encoding: .utf8)
        try lab.write("\(b).toml", text.replacingOccurrences(of: Self.setting(mode), with: ""))
        try lab.initAll()
        #expect(try triggers(lab, b) == "3")
        try lab.sql(b, "UPDATE product_sales SET qty = 55 WHERE id = 3")
        try lab.syncAll()
        try expectInStep(lab)
        #expect(
            try lab.scalar("ho", "SELECT GROUP_CONCAT(qty ORDER BY id) FROM product_sales WHERE branch_id = ? AND id <= 3", [.text(b)])
                == "77,66,55")
    }
}

extension TriggerFreeCaptureTests {
    /// Comparing takes no lock the till could wait for: with an export's comparison done and its
    /// transaction still open, the till updates every row, deletes and inserts at once (an
    /// INSERT … SELECT from the table would have locked every row it read until the commit).
    @Test func theTillNeverWaitsForAComparison() throws {
        let (lab, b) = try syncedBranch(sales: 20, mode: .compare)
        try lab.sql(b, "UPDATE product_sales SET qty = 50 WHERE id = 1", "DELETE FROM product_sales WHERE id = 2")
        let config = try lab.config(b)
        let export = try Database.connect(config)
        defer { export.close() }
        try export.execute("START TRANSACTION WITH CONSISTENT SNAPSHOT")
        try CompareFeed(conn: export, config: config, logger: Logger(label: "test")).feed()
        #expect(try export.query("SELECT COUNT(*) FROM salesync_log_1 WHERE oh <> 0 AND nh = 0").first?[0] == "2")
        let till = try Database.connect(config)
        defer { till.close() }
        try till.execute("SET SESSION innodb_lock_wait_timeout = 1")
        try till.execute("UPDATE product_sales SET qty = qty + 1")
        try till.execute("DELETE FROM product_sales WHERE id = 3")
        try till.execute(
            "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total) VALUES ('2026-12-06', 'T', 'Till', 1, 1.00, 1.00, 0.07, 1.07)"
        )
        try export.rollback()
        try lab.syncAll()
        try expectInStep(lab)
    }

    /// Comparing follows a changed primary key: the seen table starts afresh with the new key's
    /// columns and the table goes whole (held at the head office until its key matches, as with
    /// triggers); later changes are found by the two-column key.
    @Test func comparingFollowsAChangedKey() throws {
        let (lab, b) = try syncedBranch(sales: 6, mode: .compare)
        try lab.sql(b, "ALTER TABLE product_sales DROP PRIMARY KEY, ADD PRIMARY KEY (id, sale_date)")
        try lab.sell(b, 2, seed: 5)
        try lab.syncAll()
        #expect(
            try lab.scalar(
                b, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'salesync_seen_1'")
                == "3")
        try lab.sql("ho", "ALTER TABLE product_sales DROP PRIMARY KEY, ADD PRIMARY KEY (branch_id, id, sale_date)")
        try lab.acceptHold(b)
        try expectInStep(lab)
        try lab.sql(b, "UPDATE product_sales SET qty = 12 WHERE id = 2", "DELETE FROM product_sales WHERE id IN (3, 4)")
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try lab.count("ho", branch: b) == 6)
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 2", [.text(b)]) == "12")
    }
}

extension TriggerFreeCaptureTests {
    /// One branch comparing its only table, made by `ddl` (its name after CREATE TABLE) and
    /// filled by `fill`, in step with the head office.
    func comparingBranch(_ ddl: String, _ fill: String) throws -> (Lab, String) {
        let name = String(ddl.split(separator: " ")[2])
        let lab = try Lab(branches: 1, table: ddl, tableName: name, extraBranch: Self.setting(.compare))
        try lab.initAll()
        try lab.sql(lab.branches[0], fill)
        try lab.syncAll()
        return (lab, lab.branches[0])
    }

    /// `salesync status` says the changes are found at the next export, rather than counting
    /// none waiting while the till has changed rows.
    @Test func statusSaysComparedChangesAreFoundAtTheNextExport() throws {
        let (lab, b) = try syncedBranch(sales: 3, mode: .compare)
        try lab.sql(b, "UPDATE product_sales SET qty = 9 WHERE id = 1")
        let (code, out, err) = try lab.run(["--config", lab.path(b), "status"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("capture compares the tables at each export"), "\(out)")
    }

    /// A comparison asked to stop (a deadline, a signal) gives up having written nothing: the
    /// change it had found is found again, and sent, by the next export.
    @Test func aComparisonAskedToStopLeavesNothingBehind() throws {
        let (lab, b) = try syncedBranch(sales: 10, mode: .compare)
        try lab.sql(b, "UPDATE product_sales SET qty = 99 WHERE id = 4")
        let conn = try lab.db(b)
        defer { conn.close() }
        let config = try lab.config(b)
        let feed = CompareFeed(conn: conn, config: config, logger: Logger(label: "test"))
        // Comparing into the change log, and comparing as the export builds its bundles.
        #expect(throws: SyncError.self) { try conn.transaction { try feed.feed(shouldStop: { true }) } }
        let exporter = Exporter(config: config, connection: conn, key: try Keys.load(path: config.keyFile!), logger: lab.logger)
        #expect(throws: SyncError.self) { try exporter.run(shouldStop: { true }) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: config.outboxDir).filter { $0.hasSuffix(".ssb.tmp") }.isEmpty)
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 4", [.text(b)]) == "99")
    }

    /// The merge of a table with its seen table in key order (`compareByMerge`): negative keys,
    /// keys deleted before the first row and after the last, a key inserted below them all.
    @Test func comparingMergesInKeyOrder() throws {
        let (lab, b) = try comparingBranch(
            "CREATE TABLE ledger (n INT NOT NULL PRIMARY KEY, note VARCHAR(20) NOT NULL) DEFAULT CHARSET=utf8mb4",
            "INSERT INTO ledger VALUES (-20, 'a'), (-3, 'b'), (0, 'c'), (7, 'd'), (12, 'e'), (100, 'f')")
        try lab.sql(
            b, "DELETE FROM ledger WHERE n IN (-20, 7, 100)", "UPDATE ledger SET note = 'B' WHERE n = -3",
            "INSERT INTO ledger VALUES (-50, 'g'), (9, 'h'), (500, 'i')")
        let conn = try lab.db(b)
        defer { conn.close() }
        try CompareFeed(conn: conn, config: try lab.config(b), logger: Logger(label: "test")).catchUp()
        let found = try conn.query(
            """
            SELECT GROUP_CONCAT(CONCAT(k1, ':', dc) ORDER BY k1) FROM salesync_log_1
            WHERE seq > (SELECT watermark FROM salesync_capture WHERE table_id = 1)
            """
        ).first?[0]
        #expect(found == "-50:1,-20:-1,-3:0,7:-1,9:1,100:-1,500:1")
        try lab.syncAll()
        #expect(try lab.differences(b, table: "ledger") == 0)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        #expect(try lab.export(b).isEmpty)
    }

    /// A seen table with a row per key (as salesync kept it before blocks) turns into blocks at the
    /// next export, having lost nothing: the changes since the last export are found and sent once,
    /// the next export finds none, and the head office stays in step.
    @Test func aSeenTableOfARowPerKeyTurnsIntoBlocks() throws {
        let (lab, b) = try syncedBranch(sales: 300, mode: .compare)
        let conn = try lab.db(b)
        defer { conn.close() }
        let schema = try Database.schema(conn, database: try lab.config(b).database.name, table: "product_sales")
        try conn.execute("DROP TABLE salesync_seen_1")
        try conn.execute(
            "CREATE TABLE salesync_seen_1 (`k1` \(schema.keyColumns[0].type) NOT NULL, h BIGINT UNSIGNED NOT NULL, PRIMARY KEY (`k1`))")
        try conn.execute("INSERT INTO salesync_seen_1 SELECT id, \(Database.rowHashSQL(schema) { $0 }) FROM product_sales")
        try lab.sql(b, "UPDATE product_sales SET qty = qty + 1 WHERE id IN (5, 200)", "DELETE FROM product_sales WHERE id = 7")
        try lab.sell(b, 3, seed: 9)
        let bundles = try lab.export(b)
        #expect(bundles.map(\.rows).reduce(0, +) == 6)
        #expect(
            try lab.scalar(
                b,
                "SELECT GROUP_CONCAT(TABLE_NAME, '.', COLUMN_NAME ORDER BY TABLE_NAME, ORDINAL_POSITION) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'salesync\\_seen%'"
            ) == "salesync_seen_1.b,salesync_seen_1.d")
        #expect(try lab.export(b).isEmpty)
        try lab.sql(b, "UPDATE product_sales SET qty = 77 WHERE id = 100")
        #expect(try lab.export(b).map(\.rows) == [1])
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 100", [.text(b)]) == "77")
    }

    /// Random days of inserts, updates, deletes and keys coming back, each followed by a sync:
    /// the head office holds the branch's rows after every one, by the merge (an integer key)
    /// and by the joins (a text key) alike.
    @Test(arguments: ["INT", "VARCHAR(12)"]) func comparingFollowsRandomDays(keyType: String) throws {
        let (lab, b) = try comparingBranch(
            "CREATE TABLE ledger (n \(keyType) NOT NULL PRIMARY KEY, qty INT NOT NULL, note VARCHAR(20) NULL) DEFAULT CHARSET=utf8mb4",
            "INSERT INTO ledger VALUES (0, 1, NULL)")
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<8 {
            var statements: [String] = []
            for _ in 0..<40 {
                let n = Int.random(in: -200...200, using: &rng)
                switch Int.random(in: 0..<4, using: &rng) {
                case 0, 1: statements.append("REPLACE INTO ledger VALUES ('\(n)', \(Int.random(in: 1...9, using: &rng)), 'r')")
                case 2: statements.append("UPDATE ledger SET qty = qty + 1, note = NULL WHERE n = '\(n)'")
                default: statements.append("DELETE FROM ledger WHERE n = '\(n)'")
                }
            }
            let c = try lab.db(b)
            for sql in statements { try c.execute(sql) }
            c.close()
            try lab.syncAll()
            #expect(try lab.differences(b, table: "ledger") == 0)
            #expect(try lab.count("ho", "ledger", branch: b) == lab.count(b, "ledger"))
            #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        }
    }

    /// Keys in another character set than the connection's (latin1 here) reach the change log and
    /// the seen table as the same keys, written by LOAD DATA or, on a connection without it, by
    /// INSERT: a key read as UTF-8 and stored as latin1 bytes would match no row, and the export
    /// would take the updated row for a deleted one.
    @Test(arguments: [true, false]) func comparingKeepsKeysInAnotherCharacterSet(loads: Bool) throws {
        let (lab, b) = try comparingBranch(
            "CREATE TABLE legacy (code VARCHAR(20) CHARACTER SET latin1 NOT NULL PRIMARY KEY, qty INT NOT NULL) DEFAULT CHARSET=utf8mb4",
            "INSERT INTO legacy VALUES ('café', 1), ('naïve', 2), ('plain', 3)")
        try lab.sql(
            b, "UPDATE legacy SET qty = 10 WHERE code = 'café'", "DELETE FROM legacy WHERE code = 'naïve'",
            "INSERT INTO legacy VALUES ('crème', 4)")
        if !loads {
            // Compared before the export, on a connection that may not LOAD DATA LOCAL.
            let conn = try lab.env.connect(b)
            defer { conn.close() }
            #expect(!conn.options.localInfile)
            try CompareFeed(conn: conn, config: try lab.config(b), logger: Logger(label: "test")).catchUp()
            #expect(try conn.query("SELECT COUNT(*) FROM salesync_log_1").first?[0] == "3")
        }
        try lab.syncAll()
        #expect(try lab.differences(b, table: "legacy") == 0)
        #expect(try lab.count("ho", "legacy", branch: b) == 3)
        #expect(try lab.scalar("ho", "SELECT qty FROM legacy WHERE branch_id = ? AND code = 'café'", [.text(b)]) == "10")
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_seen_1 WHERE k1 IN ('café', 'crème', 'plain')") == "3")
        #expect(try lab.export(b).isEmpty)
    }
}

/// A flag one thread sets and another reads.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}

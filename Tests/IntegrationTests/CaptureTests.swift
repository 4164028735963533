import Foundation
import MariaDB
import SaleSyncTesting
import Testing

@testable import SaleSyncCore

@Suite struct CaptureTests {
    /// A transaction that takes its change-log position before an export and commits after it
    /// must still reach the head office.
    @Test func transactionOpenAcrossAnExportIsNotLost() throws {
        let (lab, b) = try oneBranchInStep(sales: 10)
        let slow = try lab.db(b)
        try slow.execute("START TRANSACTION")
        try slow.execute(
            "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total) VALUES ('2026-11-25', 'Late', 'Commit', 1, 1.00, 1.00, 0.07, 1.07)"
        )
        // Another session commits after the slow one took its position.
        try lab.sell(b, 5, seed: 9)
        try lab.syncAll()
        #expect(try lab.count("ho", branch: b) == 15)
        try slow.execute("COMMIT")
        slow.close()
        try lab.syncAll()
        #expect(try lab.count("ho", branch: b) == 16)
        #expect(try lab.differences(b) == 0)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE branch_id = ? AND region = 'Late'", [.text(b)]) == "1")
    }

    /// A rolled-back transaction leaves a permanent gap in the log; it is settled, not waited for forever.
    @Test func rolledBackPositionsAreSettled() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 3)
        try lab.sql(
            b, "START TRANSACTION",
            "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total) VALUES ('2026-11-25', 'X', 'Y', 1, 1.00, 1.00, 0.07, 1.07)",
            "ROLLBACK")
        try lab.sell(b, 3, seed: 4)
        try lab.syncAll()
        // Settled once no transaction older than the hole is open (other tests may hold one for a while).
        var holes: String?
        for _ in 0..<30 {
            Thread.sleep(forTimeInterval: 1.1)
            try lab.syncAll()
            holes = try lab.scalar(b, "SELECT COUNT(*) FROM salesync_holes")
            if holes == "0" { break }
        }
        #expect(holes == "0")
        #expect(try lab.differences(b) == 0)
    }

    /// Rows that existed before capture was installed arrive through the first export.
    @Test func preExistingRowsArriveThroughTheSnapshot() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.sell(b, 2500)
        try lab.write(
            "\(b).toml",
            try String(contentsOfFile: lab.path(b), encoding: .utf8)
                .replacingOccurrences(of: "[rabbitmq]", with: "[export]\nmax_rows = 1000\n\n[rabbitmq]"))
        try lab.initAll()
        let bundles = try lab.export(b)
        #expect(bundles.count == 3)
        try lab.drain(b)
        try lab.ingest()
        #expect(try lab.differences(b) == 0)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        // A later snapshot replaces the branch's rows, deletes included.
        try lab.sql(b, "DELETE FROM product_sales WHERE id <= 100")
        try lab.export(b, snapshot: true)
        try lab.drain(b)
        try lab.ingest()
        #expect(try lab.count("ho", branch: b) == 2400)
        #expect(try lab.differences(b) == 0)
    }

    /// The process dies after the bundle file is written but before the watermark commits:
    /// the next export produces the same sequence number, with no gap and no duplicate.
    @Test func crashBetweenBundleWriteAndCommitLeavesNoGap() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 40)
        let (code, _, err) = try lab.run(["--config", lab.path(b), "export"], env: ["SALESYNC_FAULT": "export-bundle-written"])
        #expect(code == 99, "\(err)")
        try lab.sell(b, 10, seed: 5)
        let (code2, _, err2) = try lab.run(["--config", lab.path(b), "export"])
        #expect(code2 == 0, "\(err2)")
        let outbox = try lab.config(b).outboxDir
        let files = try FileManager.default.contentsOfDirectory(atPath: outbox).sorted()
        #expect(files == [Exporter.fileName(site: b, sequence: 1)])
        // And after the commit but before the rename: recovered under its final name.
        try lab.sell(b, 5, seed: 6)
        let (code3, _, _) = try lab.run(["--config", lab.path(b), "export"], env: ["SALESYNC_FAULT": "export-after-commit"])
        #expect(code3 == 99)
        let (code4, _, _) = try lab.run(["--config", lab.path(b), "export"])
        #expect(code4 == 0)
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: outbox).sorted().filter { $0.hasSuffix(".ssb") }
                == [Exporter.fileName(site: b, sequence: 1), Exporter.fileName(site: b, sequence: 2)])
        try lab.drain(b)
        try lab.ingest()
        #expect(try lab.count("ho", branch: b) == 55)
        #expect(try lab.differences(b) == 0)
    }

    /// Another table covering the types the codec maps, composite key, NULLs, hostile names.
    @Test func anyTableRoundTripsExactly() throws {
        let ddl = """
            CREATE TABLE `odd ``name```(
              `k a` INT NOT NULL, `k'b` VARCHAR(20) NOT NULL,
              t TINYINT NULL, u BIGINT UNSIGNED NULL, d DECIMAL(30,10) NULL, f FLOAT NULL, g DOUBLE NULL,
              dt DATE NULL, ts DATETIME(6) NULL, stamp TIMESTAMP(3) NULL DEFAULT NULL, c CHAR(3) NULL,
              txt TEXT NULL, b BLOB NULL,
              PRIMARY KEY (`k a`, `k'b`)
            ) DEFAULT CHARSET=utf8mb4
            """
        let lab = try Lab(branches: 1, table: ddl, tableName: "odd `name`")
        let b = lab.branches[0]
        try lab.initAll()
        let c = try lab.db(b)
        try c.execute(
            """
            INSERT INTO `odd ``name``` VALUES
            (1, 'a', -128, 18446744073709551615, -12345678901234567890.0123456789, 3.14159, 2.718281828459045,
             '1000-01-01', '1970-01-01 00:00:00.000001', '2038-01-19 03:14:07.999', 'x', '😀 \\\\ '' "', X'00FF0A5C09'),
            (1, 'b', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
            (2, '😀', 127, 0, 0.0000000001, -0.0, 1e308, '9999-12-31', '9999-12-31 23:59:59.999999', '2001-02-03 04:05:06.789', '', '', X''),
            (3, 'a ', 0, 1, 1.5, 1e-30, -1e-300, '2024-02-29', '2024-02-29 12:00:00', '0000-00-00 00:00:00', 'z', CONCAT('ctrl-z ', CHAR(26), ' nul ', CHAR(0)), X'1A')
            """)
        c.close()
        try lab.syncAll()
        #expect(try lab.differences(b, table: "odd `name`") == 0)
        // The head office hashed the loaded rows itself (RowHasher): it must agree with the
        // branch's SQL over every one of these types and values.
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        // The log's copies of these types are current, so the state below comes from them (a
        // copy column that did not match would make every export take it from the table).
        try expectCopiesCurrent(lab, b, table: "odd `name`")
        try lab.sql(
            b, "UPDATE `odd ``name``` SET `k'b` = 'z', g = -g WHERE `k a` = 1 AND `k'b` = 'a'",
            "DELETE FROM `odd ``name``` WHERE `k'b` = 'b'")
        try lab.syncAll()
        #expect(try lab.differences(b, table: "odd `name`") == 0)
        #expect(try lab.count("ho", "odd `name`", branch: b) == 3)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
    }

    /// Column types whose hash text only the server can render (latin1 text, BIT) are hashed in
    /// SQL at the head office; the verdict is still exact.
    @Test func typesHashedByTheServerStillMatch() throws {
        let ddl = """
            CREATE TABLE legacy (id INT NOT NULL PRIMARY KEY, name VARCHAR(20) CHARACTER SET latin1 NULL, flags BIT(5) NULL)
            DEFAULT CHARSET=utf8mb4
            """
        let lab = try Lab(branches: 1, table: ddl, tableName: "legacy")
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sql(b, "INSERT INTO legacy VALUES (1, 'café', b'10101'), (2, NULL, NULL), (3, 'naïve', b'0')")
        try lab.syncAll()
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        try expectCopiesCurrent(lab, b, table: "legacy")
        try lab.sql(b, "UPDATE legacy SET name = 'crème' WHERE id = 2", "INSERT INTO legacy VALUES (4, 'ü', b'11111')")
        try lab.syncAll()
        #expect(try lab.differences(b, table: "legacy") == 0)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
    }

    /// The triggers log only keys (and an update's or delete's old hash); the export hashes what
    /// it sends. Every history a key can have between two exports, late commits included, must
    /// leave the branch's state checksum equal to its table's.
    @Test func stateChecksumFollowsEveryHistoryOfAKey() throws {
        let (lab, b) = try oneBranchInStep(sales: 20)
        let slow = try lab.db(b)
        try slow.execute("START TRANSACTION")
        try slow.execute("UPDATE product_sales SET qty = qty + 100 WHERE id = 5")
        try lab.sql(
            b, "UPDATE product_sales SET qty = 7 WHERE id = 1", "UPDATE product_sales SET qty = 8, region = 'Twice' WHERE id = 1",
            "DELETE FROM product_sales WHERE id = 2",
            "INSERT INTO product_sales (id, sale_date, region, product, qty, cost, amt, tax, total) VALUES (2, '2026-11-26', 'Again', 'P', 1, 1.00, 1.00, 0.07, 1.07)",
            "INSERT INTO product_sales (id, sale_date, region, product, qty, cost, amt, tax, total) VALUES (100, '2026-11-26', 'Brief', 'P', 1, 1.00, 1.00, 0.07, 1.07)",
            "UPDATE product_sales SET qty = 2 WHERE id = 100", "DELETE FROM product_sales WHERE id = 100",
            "INSERT INTO product_sales (id, sale_date, region, product, qty, cost, amt, tax, total) VALUES (101, '2026-11-26', 'New', 'P', 1, 1.00, 1.00, 0.07, 1.07)",
            "UPDATE product_sales SET qty = 3 WHERE id = 101",
            "UPDATE product_sales SET id = 200 WHERE id = 3", "UPDATE product_sales SET id = 3, qty = 9 WHERE id = 200")
        // The old rows went into the log as copies, hashed by the export (not scanned for).
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_log_1 WHERE nh = 2 AND i2 IS NOT NULL") == "8")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_log_1 WHERE nh NOT IN (0, 2)") == "0")
        try lab.syncAll()
        try expectStateMatchesTable(lab, b)
        try slow.execute("COMMIT")
        slow.close()
        try lab.syncAll()
        try expectStateMatchesTable(lab, b)
        #expect(try lab.scalar(b, "SELECT qty > 100 FROM product_sales WHERE id = 5") == "1")
    }

    /// A branch upgraded with changes its earlier triggers logged (the old row hashed in the
    /// trigger, no copy columns) not yet exported: the export that follows the upgrade adds the
    /// copies and still counts those entries' hashes, and later changes go by copies.
    @Test func entriesOfEarlierTriggersStillCountAfterAnUpgrade() throws {
        let (lab, b) = try oneBranchInStep(sales: 20)
        let c = try lab.db(b)
        let schema = try Self.schema(c, "product_sales")
        // The capture as salesync installed it before copies.
        try c.execute(
            "ALTER TABLE salesync_log_1 " + Capture.imageColumns(schema).map { "DROP COLUMN `\($0.log)`" }.joined(separator: ", "))
        let oldHash = Database.rowHashSQL(schema) { "OLD.\($0)" }
        try c.execute(
            "CREATE OR REPLACE TRIGGER salesync_1_au AFTER UPDATE ON product_sales FOR EACH ROW INSERT INTO salesync_log_1 (k1, dc, oh, nh) VALUES (NEW.id, 0, \(oldHash), 0)"
        )
        try c.execute(
            "CREATE OR REPLACE TRIGGER salesync_1_ad AFTER DELETE ON product_sales FOR EACH ROW INSERT INTO salesync_log_1 (k1, dc, oh, nh) VALUES (OLD.id, -1, \(oldHash), 0)"
        )
        try c.execute("UPDATE product_sales SET qty = 42 WHERE id = 3")
        try c.execute("DELETE FROM product_sales WHERE id = 4")
        c.close()
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_log_1 WHERE nh = 0 AND oh <> 0") == "2")
        try lab.syncAll()
        try expectCopiesCurrent(lab, b, table: "product_sales")
        try expectStateMatchesTable(lab, b)
        try lab.sql(b, "UPDATE product_sales SET qty = 43 WHERE id = 5")
        #expect(try lab.scalar(b, "SELECT nh FROM salesync_log_1 ORDER BY seq DESC LIMIT 1") == "2")
        try lab.syncAll()
        try expectStateMatchesTable(lab, b)
    }

    /// A lab of one branch with `sales` sales, all at the head office.
    func oneBranchInStep(sales: Int) throws -> (Lab, String) {
        let lab = try Lab(branches: 1)
        try lab.initAll()
        try lab.sell(lab.branches[0], sales)
        try lab.syncAll()
        return (lab, lab.branches[0])
    }

    /// `table`'s schema in the connection's database.
    static func schema(_ c: MariaDBConnection, _ table: String) throws -> TableSchema {
        let db = try #require(try c.query("SELECT DATABASE()").first?[0])
        return try Database.schema(c, database: db, table: table)
    }

    func expectCopiesCurrent(_ lab: Lab, _ b: String, table: String) throws {
        let c = try lab.db(b)
        defer { c.close() }
        let schema = try Self.schema(c, table)
        #expect(try Capture.imagesCurrent(c, id: 1, schema: schema), "\(table): the log's copy columns match its columns")
        #expect(try Capture.triggersCurrent(c, id: 1, schema: schema))
    }

    func expectStateMatchesTable(_ lab: Lab, _ b: String) throws {
        #expect(try lab.differences(b) == 0)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        let c = try lab.db(b)
        defer { c.close() }
        let table = try Database.contentState(c, try Self.schema(c, "product_sales"))
        let recorded = try #require(try c.query("SELECT state_rows, state_hash FROM salesync_capture").first)
        #expect(recorded.int(0) == table.rows)
        #expect(recorded.uint(1) == table.hash)
    }
}

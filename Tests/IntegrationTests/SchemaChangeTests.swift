import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

/// Schema changes at a branch (docs/schema-changes.md), with two branches of which one changes:
/// additive ones apply themselves at the head office; the others hold that branch's bundles
/// until an operator accepts; verdicts stay `match` throughout.
@Suite struct SchemaChangeTests {
    func verdict(_ lab: Lab, _ b: String) throws -> String? {
        try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)])
    }

    /// Rewrites a site's `database.tables` (the list is TOML: `"a", "b"`).
    func setTables(_ lab: Lab, _ site: String, _ list: String) throws {
        let path = lab.path(site)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try text.replacingOccurrences(of: #"tables = \[[^\]]*\]"#, with: "tables = [\(list)]", options: .regularExpression)
            .write(toFile: path, atomically: true, encoding: .utf8)
    }

    func holds(_ lab: Lab) throws -> [SchemaHolds.Entry] {
        let c = try Database.connect(try lab.config("ho"))
        defer { c.close() }
        return try SchemaHolds(connection: c).list()
    }

    func expectInStep(_ lab: Lab, _ sourceLocation: SourceLocation = #_sourceLocation) throws {
        for b in lab.branches {
            #expect(try lab.differences(b) == 0, "\(b) differs", sourceLocation: sourceLocation)
            #expect(try lab.count(b) == lab.count("ho", branch: b), sourceLocation: sourceLocation)
            #expect(try verdict(lab, b) == "match", "\(b)'s verdict", sourceLocation: sourceLocation)
        }
    }

    /// Added columns (with a default, NULL-able), widened types; rows written before the ALTER,
    /// between it and the next export (old triggers), and after it; the other branch unchanged.
    @Test func additiveChangesApplyThemselves() throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try lab.sell(b1, 30)
        try lab.sell(b2, 20, seed: 3)
        try lab.syncAll()
        try lab.sql(
            b1,
            """
            ALTER TABLE product_sales ADD COLUMN discount DECIMAL(8,2) NOT NULL DEFAULT 0.50, ADD COLUMN note VARCHAR(20) NULL,
              MODIFY region VARCHAR(64) NOT NULL, MODIFY qty BIGINT NOT NULL, MODIFY total DECIMAL(16,2) NOT NULL
            """)
        // Between the ALTER and the export: new rows, a change to a row written before it.
        try lab.sell(b1, 10, seed: 5)
        try lab.sql(
            b1, "UPDATE product_sales SET note = 'before', region = '\(String(repeating: "r", count: 60))' WHERE id = 3",
            "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total, discount, note) VALUES ('2026-11-20', 'West', 'Big', 3000000000, 1.00, 1.00, 0.07, 1.07, 1.25, 'during')"
        )
        try lab.sell(b2, 5, seed: 7)
        try lab.syncAll()
        try expectInStep(lab)
        #expect(
            try lab.scalar(
                "ho",
                "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'product_sales' AND COLUMN_NAME = 'region'",
                [.text(lab.hoDB)]) == "varchar(64)")
        // The other branch's rows got the branch's default for the new column, as its own rows did.
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE branch_id = ? AND discount = 0.50", [.text(b2)]) == "25")
        // After the export: both keep syncing into the same table.
        try lab.sql(b1, "UPDATE product_sales SET note = 'after', discount = 2.00 WHERE id <= 5", "DELETE FROM product_sales WHERE id = 7")
        try lab.sell(b1, 4, seed: 9)
        try lab.sell(b2, 4, seed: 11)
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try holds(lab).isEmpty)
    }

    /// A table added to `database.tables` at a branch (and listed at the head office) arrives
    /// as a snapshot and is created at the head office.
    /// The head office's table is wider than a branch that did not change (it holds another
    /// branch's new column): `verify --full` hashes each branch's rows by that branch's own columns.
    @Test func verifyFullMatchesABranchOnAnOlderShape() throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try lab.sell(b1, 30)
        try lab.sell(b2, 35, seed: 3)
        try lab.syncAll()
        try lab.sql(
            b1, "ALTER TABLE product_sales ADD COLUMN discount DECIMAL(8,2) NOT NULL DEFAULT 0.50, ADD COLUMN note VARCHAR(20) NULL")
        try lab.sell(b1, 10, seed: 5)
        try lab.syncAll()
        try expectInStep(lab)
        for b in [b2, b1] {
            let (code, out, err) = try lab.run(["--config", lab.path("ho"), "--verbose", "verify", "--branch", b, "--full"])
            #expect(code == 0, "\(b): \(out) \(err)")
            #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match")
        }
        // And a real difference is still found.
        try lab.sql("ho", "UPDATE product_sales SET qty = qty + 1 WHERE branch_id = '\(b2)' AND id = 2")
        #expect(try lab.run(["--config", lab.path("ho"), "verify", "--branch", b2, "--full"]).0 == 65)
    }

    @Test func aNewSyncedTableIsCreatedAtTheHeadOffice() throws {
        let lab = try Lab(branches: 2)
        let b1 = lab.branches[0]
        try lab.initAll()
        try lab.sell(b1, 5)
        try lab.syncAll()
        try lab.sql(
            b1, "CREATE TABLE returns (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, sale_id BIGINT NOT NULL, reason VARCHAR(40) NULL)",
            "INSERT INTO returns (sale_id, reason) VALUES (1, 'broken'), (2, NULL)")
        for site in [b1, "ho"] { try setTables(lab, site, #""product_sales", "returns""#) }
        try lab.initAll()
        try lab.sql(b1, "INSERT INTO returns (sale_id, reason) VALUES (3, 'late')")
        try lab.syncAll()
        #expect(try lab.differences(b1, table: "returns") == 0)
        #expect(try lab.count("ho", "returns", branch: b1) == 3)
        try expectInStep(lab)
    }

    /// A dropped column holds that branch's bundles (nothing of them applied, the other branch
    /// unaffected, the reason reported) until accepted; then everything applies and matches.
    @Test func aDroppedColumnIsHeldUntilAccepted() throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try lab.sell(b1, 10)
        try lab.sell(b2, 10, seed: 2)
        try lab.syncAll()
        try lab.sql(b1, "ALTER TABLE product_sales DROP COLUMN tax")
        try lab.export(b1)  // capture follows: writes go through again
        try lab.sql(
            b1,
            "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, total) VALUES ('2026-11-21', 'North', 'NoTax', 1, 2.00, 2.00, 2.00)",
            "UPDATE product_sales SET qty = 99 WHERE id = 2")
        try lab.sell(b2, 3, seed: 4)
        try lab.syncAll()
        #expect(try lab.count("ho", branch: b1) == 10)
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 2", [.text(b1)]) != "99")
        #expect(try lab.differences(b2) == 0)
        let held = try holds(lab)
        #expect(held.count == 1 && held.first?.branch == b1 && held.first?.table == "product_sales")
        #expect(held.first?.detail.contains("column tax: dropped or renamed") == true)
        let hc = try lab.db("ho")
        let status = try HeadOfficeStatus.read(hc, config: try lab.config("ho"))
        hc.close()
        #expect(status.branches.first { $0.branch == b1 }?.schemaHolds.count == 1)
        try lab.acceptHold(b1)
        try expectInStep(lab)
        // The head office kept the column; the branch's rows take NULL from then on.
        #expect(try lab.scalar("ho", "SELECT tax IS NULL FROM product_sales WHERE branch_id = ? AND product = 'NoTax'", [.text(b1)]) == "1")
        #expect(try holds(lab).isEmpty)
    }

    /// The till's software alters the table while salesync is not running (no export, no
    /// `init` after it): every write at the till still succeeds at once, and the next sync takes
    /// them as docs/schema-changes.md says (additive: applied; dropped or renamed: held until
    /// accepted), ending in step with verdict `match`.
    @Test(arguments: [
        ("DROP COLUMN tax", true), ("RENAME COLUMN region TO area", true), ("MODIFY qty BIGINT NOT NULL", false),
        ("ADD COLUMN note VARCHAR(20) NULL", false), ("MODIFY product VARCHAR(200) NOT NULL", false),
    ])
    func tillWritesNeverFailAfterAnAlter(alter: String, held: Bool) throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try lab.sell(b1, 20)
        try lab.sell(b2, 10, seed: 2)
        try lab.syncAll()
        try lab.sql(b1, "ALTER TABLE product_sales \(alter)")
        // The till: a sale, a correction and a void, straight after the ALTER.
        let region = alter.hasPrefix("RENAME") ? "area" : "region"
        let (tax, taxValue) = alter.hasPrefix("DROP") ? ("", "") : (", tax", ", 0.20")
        try lab.sql(
            b1,
            "INSERT INTO product_sales (sale_date, \(region), product, qty, cost, amt, total\(tax)) VALUES ('2026-11-22', 'N', 'After', 2, 1.00, 2.00, 2.20\(taxValue))",
            "UPDATE product_sales SET qty = 7, cost = 3.00 WHERE id = 3", "DELETE FROM product_sales WHERE id = 4",
            "UPDATE product_sales SET id = 1000 WHERE id = 5")
        if alter.contains("VARCHAR(200)") {
            // A value the widened column takes but the log's copy of the old type cannot: the
            // second update's old row does not fit the copy, and still the write succeeds.
            try lab.sql(
                b1, "UPDATE product_sales SET product = REPEAT('w', 150) WHERE id = 6", "UPDATE product_sales SET qty = 9 WHERE id = 6")
            #expect(try lab.scalar(b1, "SELECT nh FROM salesync_log_1 ORDER BY seq DESC LIMIT 1") == "1", "logged with its old row unknown")
        }
        try lab.sell(b2, 3, seed: 4)
        try lab.syncAll()
        #expect(try lab.differences(b2) == 0)
        #expect(try holds(lab).count == (held ? 1 : 0), "\(alter): held as docs/schema-changes.md says")
        try lab.settle(b1, alter: alter, held: held)
        try expectInStep(lab)
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 3", [.text(b1)]) == "7")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE branch_id = ? AND id IN (4, 5)", [.text(b1)]) == "0")
    }

    /// The table changed shape while a till's transaction is open on it: the export that would
    /// follow it gives up after a short wait (`Capture.ddlWaitSeconds`) instead of waiting for
    /// that transaction, which would queue every later write at the till behind its DDL. Nothing
    /// is exported; the next sync, once the transaction ended, follows and takes everything.
    @Test func anOpenTransactionHoldsUpFollowingNotTheTill() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 5)
        try lab.syncAll()
        try lab.sql(b, "ALTER TABLE product_sales ADD COLUMN note VARCHAR(20) NULL")
        let clerk = try lab.db(b)
        // Were the export to wait for the clerk after all, the server ends the clerk's
        // transaction after 15 s idle, so the test fails instead of hanging.
        try clerk.execute("SET SESSION idle_transaction_timeout = 15")
        try clerk.execute("START TRANSACTION")
        try clerk.execute(
            "INSERT INTO product_sales (sale_date, region, product, qty, cost, amt, tax, total) VALUES ('2026-12-06', 'Open', 'Held', 1, 1.00, 1.00, 0.07, 1.07)"
        )
        let start = Date()
        let error = #expect(throws: SyncError.self) { try lab.export(b) }
        #expect(Date().timeIntervalSince(start) < 10, "gave up after a short wait")
        #expect(error?.failure == .temporary)
        #expect(error?.message.contains("a transaction open on it") == true, "\(String(describing: error))")
        try clerk.execute("COMMIT")
        clerk.close()
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try lab.count("ho", branch: b) == 6)
    }

    /// A narrowed type is held; accepted, the head office keeps its wider column.
    @Test func aNarrowedTypeIsHeldUntilAccepted() throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try lab.sell(b1, 8)
        try lab.sell(b2, 8)
        try lab.syncAll()
        try lab.sql(b2, "ALTER TABLE product_sales MODIFY product VARCHAR(16) NOT NULL")
        try lab.sell(b2, 2, seed: 3)
        try lab.sell(b1, 2, seed: 3)
        try lab.syncAll()
        #expect(try lab.count("ho", branch: b2) == 8)
        #expect(try lab.differences(b1) == 0)
        #expect(try holds(lab).first?.detail.contains("column product: type changed at the branch from varchar(64) to varchar(16)") == true)
        try lab.acceptHold(b2)
        try expectInStep(lab)
    }

    /// A changed primary key: the branch re-sends the table whole; the head office holds it until
    /// its own key matches and the change is accepted.
    @Test func aChangedPrimaryKeyIsHeldUntilTheHeadOfficeMatches() throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try lab.sell(b1, 6)
        try lab.sell(b2, 6)
        try lab.syncAll()
        try lab.sql(b1, "ALTER TABLE product_sales DROP PRIMARY KEY, ADD PRIMARY KEY (id, sale_date)")
        try lab.sell(b1, 2, seed: 5)
        try lab.syncAll()
        #expect(try lab.count("ho", branch: b1) == 6)
        #expect(try holds(lab).first?.detail.contains("primary key changed") == true)
        try lab.sql("ho", "ALTER TABLE product_sales DROP PRIMARY KEY, ADD PRIMARY KEY (branch_id, id, sale_date)")
        try lab.acceptHold(b1)
        try expectInStep(lab)
    }

    /// Indexes, comments and defaults are not the table's shape: nothing stops, nothing is recounted.
    @Test func indexesCommentsAndDefaultsChangeNothing() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 12)
        try lab.syncAll()
        try lab.sql(
            b, "ALTER TABLE product_sales ADD INDEX by_date (sale_date), COMMENT = 'sales', ALTER region SET DEFAULT 'North'",
            "ALTER TABLE product_sales MODIFY product VARCHAR(64) NOT NULL COMMENT 'what was sold'")
        try lab.sell(b, 3, seed: 2)
        try lab.syncAll()
        try expectInStep(lab)
        #expect(try holds(lab).isEmpty)
    }

    /// A table taken out of `database.tables` loses its capture at the next init, but only once
    /// everything it captured was exported.
    @Test func aRemovedTableLosesItsCaptureAfterItsLastExport() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 4)
        try lab.syncAll()
        try lab.sell(b, 2, seed: 3)
        try lab.sql(b, "CREATE TABLE other (id INT PRIMARY KEY)")
        try setTables(lab, b, #""other""#)
        let c = try lab.config(b)
        let conn = try Database.connect(c)
        defer { conn.close() }
        #expect(throws: SyncError.self) { try Capture.install(conn, config: c) }
        #expect(
            try lab.scalar(
                b,
                "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 'product_sales'"
            ) == "3")
        try setTables(lab, b, #""product_sales""#)
        try lab.syncAll()
        try setTables(lab, b, #""other""#)
        _ = try Capture.install(conn, config: try lab.config(b))
        #expect(
            try lab.scalar(
                b,
                "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE() AND EVENT_OBJECT_TABLE = 'product_sales'"
            ) == "0")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_capture WHERE table_name = 'product_sales'") == "0")
    }
}

import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

@Suite struct EndToEndTests {
    @Test func rowsFromTwoBranchesArriveTaggedByBranch() throws {
        let lab = try Lab()
        try lab.sell(lab.branches[0], 300, seed: 1)
        try lab.initAll()
        try lab.sell(lab.branches[0], 200, seed: 2)
        try lab.sell(lab.branches[1], 150, seed: 3)
        try lab.syncAll()
        #expect(try lab.count("ho", branch: lab.branches[0]) == 500)
        #expect(try lab.count("ho", branch: lab.branches[1]) == 150)
        for b in lab.branches { #expect(try lab.differences(b) == 0) }
        // Every bundle is acknowledged, as the branch's status says.
        for b in lab.branches {
            let c = try lab.db(b)
            let s = try BranchStatus.read(c, config: try lab.config(b))
            c.close()
            #expect(s.pending.count == 0 && s.sent.count == 0)
            #expect(s.acknowledged.count >= 1)
            #expect(s.bundles.allSatisfy { $0.status == .acked })
        }
    }

    @Test func runningAgainAndRepublishingChangesNothing() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 120)
        try lab.syncAll()
        let before = try lab.scalar("ho", "SELECT CONCAT(COUNT(*), '/', SUM(total)) FROM product_sales")
        // Nothing new: no bundle, no change.
        try lab.syncAll()
        // Publish the same bundle again, as a branch that never saw its ack would.
        let c = try lab.config(b)
        for f in try FileManager.default.contentsOfDirectory(atPath: c.ackedDir) {
            try FileManager.default.moveItem(atPath: c.ackedDir + "/" + f, toPath: c.outboxDir + "/" + f)
        }
        try lab.sql(b, "UPDATE salesync_bundles SET status = 'pending', chunks_sent = 0")
        let r = try lab.drain(b)
        #expect(r.bundlesSent >= 1)
        let i = try lab.ingest()
        #expect(i.applied.isEmpty)
        #expect(i.duplicates >= 1)
        #expect(try lab.scalar("ho", "SELECT CONCAT(COUNT(*), '/', SUM(total)) FROM product_sales") == before)
        // The duplicate is acknowledged again, so the branch ends with nothing outstanding.
        let after = try lab.drain(b)
        #expect(after.remaining == 0)
        #expect(try lab.differences(b) == 0)
    }

    @Test func updatesDeletesAndKeyChangesArriveExactly() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.sell(b, 200)
        try lab.initAll()
        try lab.syncAll()
        try lab.sql(
            b, "UPDATE product_sales SET qty = qty + 1 WHERE id % 3 = 0",
            "DELETE FROM product_sales WHERE id % 5 = 0",
            "UPDATE product_sales SET id = id + 1000 WHERE id IN (1, 2)",
            // Updated twice and deleted then re-inserted between exports.
            "UPDATE product_sales SET region = 'A' WHERE id = 7", "UPDATE product_sales SET region = 'B' WHERE id = 7",
            "DELETE FROM product_sales WHERE id = 8",
            "INSERT INTO product_sales VALUES (8, '2026-01-01', 'X', 'Y', 1, 1.00, 1.00, 0.07, 1.07)")
        try lab.syncAll()
        #expect(try lab.differences(b) == 0)
        #expect(try lab.count(b) == lab.count("ho", branch: b))
        #expect(try lab.scalar("ho", "SELECT region FROM product_sales WHERE branch_id = ? AND id = 7", [.text(b)]) == "B")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE branch_id = ? AND id IN (1, 2)", [.text(b)]) == "0")
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match")
    }

    @Test func alteredBundleIsRefusedAndNothingApplied() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 50)
        let bundles = try lab.export(b)
        let path = try lab.config(b).outboxDir + "/" + bundles[0].file
        var bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        bytes[bytes.count / 2] ^= 0x40
        let usb = lab.dir + "/usb"
        try FileManager.default.createDirectory(atPath: usb, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: usb + "/" + bundles[0].file))
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "ingest", "--from", usb])
        #expect(code == 65)
        #expect(err.isEmpty == false)
        let c = try lab.db("ho")
        let reason = try c.query("SELECT reason FROM salesync_quarantine").first?[0] ?? ""
        c.close()
        #expect(reason.contains("SHA-256 mismatch"))
        #expect(
            try lab.scalar(
                "ho", "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = 'product_sales'",
                [.text(lab.hoDB)]) == "0"
                || lab.count("ho", branch: b) == 0)
        // The bundle verifier says the same, with exit 65.
        let (vcode, _, verr) = try lab.run(["bundle", "verify", usb + "/" + bundles[0].file])
        #expect(vcode == 65)
        #expect(verr.contains(bundles[0].file) && verr.contains("SHA-256"))
    }
}

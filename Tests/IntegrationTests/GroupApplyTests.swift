import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

/// Several branches' next bundles applied in one transaction (Ingestor+Groups.swift): exact,
/// each bundle whole or not at all, a refused one leaving the rest of its group applied.
@Suite struct GroupApplyTests {
    /// Updates, deletes and key changes of rows applied earlier, and new sales, at every branch.
    func changeEverything(_ lab: Lab, seed: Int) throws {
        for (i, b) in lab.branches.enumerated() {
            try lab.sql(
                b, "UPDATE product_sales SET qty = qty + 1 WHERE id % 3 = \(i % 3)",
                "DELETE FROM product_sales WHERE id % 7 = \(seed % 7)",
                "UPDATE product_sales SET id = id + 100000 WHERE id % 11 = \(i % 11) AND id < 100000")
            try lab.sell(b, 25 + i * 5, seed: seed + i)
            try lab.export(b)
            try lab.drain(b)
        }
    }

    @Test func snapshotsAndDeltasOfManyBranchesGoInGroupsExactly() throws {
        let lab = try Lab(branches: 4)
        try lab.initAll()
        for (i, b) in lab.branches.enumerated() { try lab.sell(b, 60 + i * 10, seed: i) }
        for b in lab.branches { try lab.export(b); try lab.drain(b) }
        let first = try lab.ingest()
        #expect(first.applied.count == 4 && first.grouped == 4, "the four snapshots in one group: \(first.grouped)")
        try changeEverything(lab, seed: 3)
        let second = try lab.ingest()
        #expect(second.applied.count == 4 && second.grouped == 4, "the four deltas in one group: \(second.grouped)")
        for b in lab.branches {
            #expect(try lab.differences(b) == 0)
            #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match")
            #expect(
                try lab.scalar("ho", "SELECT GROUP_CONCAT(seq ORDER BY seq) FROM salesync_applied WHERE branch_id = ?", [.text(b)]) == "1,2"
            )
            #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_outbound_acks WHERE branch_id = ?", [.text(b)]) == "2")
        }
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_inbox") == "0")
    }

    @Test func aRefusedBundleLeavesTheRestOfItsGroupApplied() throws {
        let lab = try Lab(branches: 3)
        try lab.initAll()
        for (i, b) in lab.branches.enumerated() { try lab.sell(b, 20, seed: i) }
        try lab.syncAll()
        // A rule of the head office's own that one branch's next bundle breaks.
        try lab.sql("ho", "ALTER TABLE product_sales ADD CONSTRAINT qty_below_1000 CHECK (qty < 1000)")
        let bad = lab.branches[1]
        try lab.sql(bad, "UPDATE product_sales SET qty = 1000 WHERE id = 1", "UPDATE product_sales SET qty = 2 WHERE id = 2")
        for b in lab.branches where b != bad { try lab.sell(b, 15, seed: 9) }
        for b in lab.branches { try lab.export(b); try lab.drain(b) }
        let report = try lab.ingest()
        #expect(report.quarantined == 1)
        #expect(Set(report.applied.map(\.branch)) == Set(lab.branches.filter { $0 != bad }))
        for b in lab.branches where b != bad { #expect(try lab.differences(b) == 0) }
        #expect(
            try lab.scalar("ho", "SELECT qty FROM product_sales WHERE branch_id = ? AND id = 2", [.text(bad)]) != "2",
            "nothing of the refused bundle applied")
        #expect(try lab.scalar("ho", "SELECT last_seq FROM salesync_branches WHERE branch_id = ?", [.text(bad)]) == "1")
        #expect(try lab.scalar("ho", "SELECT reason FROM salesync_quarantine")?.contains("qty_below_1000") == true)
    }

    @Test func aCrashBeforeTheGroupCommitsAppliesNoneAndTheRetryAppliesEachOnce() throws {
        let lab = try Lab(branches: 3)
        try lab.initAll()
        for (i, b) in lab.branches.enumerated() { try lab.sell(b, 30, seed: i) }
        try lab.syncAll()
        try changeEverything(lab, seed: 5)
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "ingest", "--once"], env: ["SALESYNC_FAULT": "ingest-before-commit"])
        #expect(code == 99, "\(err)")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_applied") == "3", "only the snapshots")
        #expect(try lab.scalar("ho", "SELECT COUNT(DISTINCT branch_id) FROM salesync_inbox") == "3", "the deltas wait in the inbox")
        let report = try lab.ingest()
        #expect(report.applied.count == 3)
        for b in lab.branches {
            #expect(try lab.differences(b) == 0)
            #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match")
        }
        #expect(try lab.scalar("ho", "SELECT COUNT(*) = 6 AND COUNT(DISTINCT branch_id, seq) = 6 FROM salesync_applied") == "1")
    }
}

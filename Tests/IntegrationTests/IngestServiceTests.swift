import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Synchronization
import Testing

/// The head office's ingest service run in-process, as `salesync ingest` runs it.
@Suite struct IngestServiceTests {
    @Test func appliesFromQueuesSweepsTheInboxAndReconnects() throws {
        let lab = try Lab(branches: 1)
        try lab.initAll()
        let b = lab.branches[0]
        let service = RunningService(IngestService(config: try lab.config("ho"), logger: lab.logger, mode: .serve))

        // From the queue, as a branch's window delivers it.
        try lab.sell(b, 100)
        try lab.export(b)
        try lab.drain(b)
        #expect(try eventually { try lab.count("ho", branch: b) == 100 })

        // Chunks put in the inbox by another process (no message on the queue): the sweep finds them.
        try lab.sell(b, 50, seed: 2)
        let bundles = try lab.export(b)
        let db = try lab.db("ho")
        let other = try Ingestor(config: try lab.config("ho"), connection: db, logger: lab.logger)
        var report = IngestReport()
        let outbox = try lab.config(b).outboxDir
        for x in bundles { try other.receiveFile(outbox + "/" + x.file, report: &report) }
        other.close()
        db.close()
        #expect(report.chunksReceived == bundles.count)
        #expect(try eventually { try lab.count("ho", branch: b) == 150 })

        // The database drops the service's connection: it reconnects with backoff and goes on.
        let killed = try lab.admin.query(
            "SELECT ID FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()", [.text(lab.hoDB)])
        #expect(!killed.isEmpty)
        for row in killed { try? lab.admin.execute("KILL CONNECTION \(row.int(0) ?? 0)") }
        try lab.sql(b, "UPDATE product_sales SET qty = qty + 1 WHERE id <= 10", "DELETE FROM product_sales WHERE id > 140")
        try lab.export(b)
        try lab.drain(b)
        #expect(try eventually { try lab.count("ho", branch: b) == 140 && lab.differences(b) == 0 })
        #expect(!service.ended)

        let total = try service.stop()
        #expect(total.applied.count >= 2)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match")
    }

    @Test func onceTakesEverythingWaitingAndReturns() throws {
        let lab = try Lab(branches: 2, extraBranch: "\n[export]\nmax_rows = 40\n")
        try lab.initAll()
        for (i, b) in lab.branches.enumerated() {
            try lab.sell(b, 150, seed: i + 1)
            #expect(try lab.export(b).count == 4)
            try lab.drain(b)
        }
        let report = try IngestService(config: try lab.config("ho"), logger: lab.logger, mode: .once).run { false }
        #expect(report.applied.count == 8)
        for b in lab.branches { #expect(try lab.differences(b) == 0) }
        // Nothing left: a second run finds nothing.
        let again = try IngestService(config: try lab.config("ho"), logger: lab.logger, mode: .once).run { false }
        #expect(again.chunksReceived == 0 && again.applied.isEmpty)
    }
}

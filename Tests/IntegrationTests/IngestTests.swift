import AMQP
import Crypto
import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

@Suite struct IngestTests {
    func smallBundles(_ branches: Int = 1) throws -> Lab {
        let lab = try Lab(branches: branches, extraBranch: "\n[export]\nmax_rows = 50\n")
        try lab.initAll()
        return lab
    }

    func copyOutbox(_ lab: Lab, _ b: String, to dir: String, only: [UInt64]) throws {
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let outbox = try lab.config(b).outboxDir
        for s in only {
            let f = Exporter.fileName(site: b, sequence: s)
            try? FileManager.default.removeItem(atPath: dir + "/" + f)
            try FileManager.default.copyItem(atPath: outbox + "/" + f, toPath: dir + "/" + f)
        }
    }

    @Test func earlyBundlesAreHeldThenAppliedInOrder() throws {
        let lab = try smallBundles()
        let b = lab.branches[0]
        try lab.sell(b, 120)
        #expect(try lab.export(b).count == 3)
        try lab.sql(b, "DELETE FROM product_sales WHERE id <= 10")
        #expect(try lab.export(b).count == 1)
        let usb = lab.dir + "/usb"
        try copyOutbox(lab, b, to: usb, only: [2, 4])
        _ = try lab.run(["--config", lab.path("ho"), "ingest", "--from", usb])
        #expect(try lab.count("ho", branch: b) == 0)
        let c = try lab.db("ho")
        let s = try HeadOfficeStatus.read(c, config: try lab.config("ho"))
        c.close()
        #expect(s.branches[0].held == [2, 4])
        #expect(s.branches[0].missing == [1, 3])
        try copyOutbox(lab, b, to: usb, only: [1, 3])
        _ = try lab.run(["--config", lab.path("ho"), "ingest", "--from", usb])
        #expect(try lab.differences(b) == 0)
        #expect(try lab.scalar("ho", "SELECT last_seq FROM salesync_branches") == "4")
    }

    @Test func impostorAndWrongQueueAreRefusedAndNeverApplied() throws {
        let lab = try Lab(branches: 2)
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        try lab.initAll()
        try lab.sell(b1, 30)
        // An impostor signs bo1's bundle with its own key.
        _ = try Keys.generate(path: lab.dir + "/impostor.key")
        let real = try lab.config(b1)
        try lab.write(
            "\(b1)-impostor.toml",
            try String(contentsOfFile: lab.path(b1), encoding: .utf8)
                .replacingOccurrences(of: real.keyFile!, with: lab.dir + "/impostor.key"))
        let fake = try Config.load(lab.dir + "/\(b1)-impostor.toml")
        let conn = try Database.connect(fake)
        _ = try Exporter(config: fake, connection: conn, key: try Keys.load(path: lab.dir + "/impostor.key"), logger: lab.logger).run()
        conn.close()
        try lab.drain(b1)
        var r = try lab.ingest()
        #expect(r.applied.isEmpty)
        #expect(r.quarantined == 1)
        #expect(try lab.scalar("ho", "SELECT reason FROM salesync_quarantine")?.contains("signature") == true)
        #expect(try lab.count("ho", "salesync_applied") == 0)
        // bo2 pushes a bundle of its own into bo1's stream: wrong queue for the bundle's branch.
        try lab.sell(b2, 10)
        let bundles = try lab.export(b2)
        let bytes = try readFile(try lab.config(b2).outboxDir + "/" + bundles[0].file)
        let amqp = try Topology.connect(try lab.config("ho"))
        try amqp.enableConfirms()
        let chunk = Chunk(
            branch: b1, sequence: 1, index: 0, count: 1, bundleSize: bytes.count,
            bundleSHA256: Array(BundleFormat.checksumField(of: bytes)), payload: bytes
        ).encoded()
        try chunk.withUnsafeBytes {
            try amqp.publish(exchange: Topology.bundleExchange(b1), routingKey: b1, body: $0, messageId: "x", type: "t")
        }
        #expect(try amqp.awaitConfirms(timeout: 10).confirmed.contains("x"))
        amqp.close()
        r = try lab.ingest()
        #expect(r.applied.isEmpty)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_quarantine WHERE reason LIKE '%arrived through%'") == "1")
        #expect(try lab.count("ho", branch: b1) == 0 && lab.count("ho", branch: b2) == 0)
    }

    @Test func damagedInTransitIsQuarantinedResentAndThenApplied() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 80)
        let bundles = try lab.export(b)
        var bytes = try readFile(try lab.config(b).outboxDir + "/" + bundles[0].file)
        let sha = Array(BundleFormat.checksumField(of: bytes))
        bytes[100] ^= 0xff
        let amqp = try Topology.connect(try lab.config(b))
        try amqp.enableConfirms()
        let chunk = Chunk(branch: b, sequence: 1, index: 0, count: 1, bundleSize: bytes.count, bundleSHA256: sha, payload: bytes).encoded()
        try chunk.withUnsafeBytes {
            try amqp.publish(exchange: Topology.bundleExchange(b), routingKey: b, body: $0, messageId: "x", type: "t")
        }
        _ = try amqp.awaitConfirms(timeout: 10)
        amqp.close()
        // The branch believes it sent the bundle; the head office got a damaged copy.
        try lab.sql(b, "UPDATE salesync_bundles SET status = 'sent', sent_at = NOW(6)")
        let r = try lab.ingest()
        #expect(r.resendRequested == 1)
        #expect(try lab.count("ho", branch: b) == 0)
        // Next window: the branch sees the resend request and sends a good copy.
        try lab.drain(b)
        try lab.ingest()
        #expect(try lab.drain(b).remaining == 0)
        #expect(try lab.differences(b) == 0)
    }

    /// Not quarantined (issue #28): a genuine bundle under a sequence already applied means the
    /// branch went back in time (docs/operations.md; WentBackTests for the whole story).
    @Test func conflictingBundleWithSameSequenceMeansTheBranchWentBack() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 20)
        try lab.syncAll()
        // A different bundle claiming sequence 1, properly signed (e.g. a restored old backup).
        let usb = lab.dir + "/usb"
        try FileManager.default.createDirectory(atPath: usb, withIntermediateDirectories: true)
        let c = try lab.config(b)
        let schema = try Database.schema(lab.admin, database: b, table: "product_sales")
        var up = RowBatch(columnCount: schema.columns.count)
        up.append(strings: ["999", "2026-01-01", "X", "Y", "1", "1.00", "1.00", "0.07", "1.07"])
        let section = TableSection(
            name: "product_sales", fingerprint: schema.fingerprint, columns: schema.columns, logFrom: 1, logTo: 1,
            upserts: 1, deletes: 0, state: nil)
        let bytes = try BundleFormat.encode(
            branch: b, sequence: 1, kind: .changes, created: "2026-01-01T00:00:00.000000Z",
            tables: [TableChanges(section: section, upserts: up, deletes: RowBatch(columnCount: 1))],
            key: try Keys.load(path: c.keyFile!))
        try Data(bytes).write(to: URL(fileURLWithPath: usb + "/" + Exporter.fileName(site: b, sequence: 1)))
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "ingest", "--from", usb])
        #expect(code == 65)
        #expect(err.contains("branch \(b) went back in time"), "\(err)")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM product_sales WHERE id = 999") == "0")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_quarantine") == "0")
        #expect(try lab.scalar("ho", "SELECT went_back_seq FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "1")
    }

    @Test func driftBehindSalesyncsBackIsFlagged() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 40)
        try lab.syncAll()
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        try lab.sql("ho", "UPDATE product_sales SET qty = qty + 1 WHERE id = 3")
        try lab.sell(b, 1, seed: 3)
        try lab.syncAll()
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "drift")
        let c = try lab.db(b)
        #expect(try c.query("SELECT ack_detail FROM salesync_bundles ORDER BY seq DESC LIMIT 1").first?[0]?.contains("drift") == true)
        c.close()
        let (code, out, _) = try lab.run(["--config", lab.path("ho"), "verify", "--branch", b, "--full"])
        #expect(code == 65)
        #expect(out.contains("drift"))
    }

    /// Without the triggers, `verify --full` is what finds a change made behind salesync's back.
    @Test func verifyFullFindsDriftWithoutTriggers() throws {
        let lab = try Lab(branches: 1, extraHO: "\n[ingest]\nwatch_external_changes = false\n")
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 40)
        try lab.syncAll()
        var (code, out, err) = try lab.run(["--config", lab.path("ho"), "verify", "--branch", b, "--full"])
        #expect(code == 0, "\(out) \(err)")
        #expect(out.contains("match"))
        try lab.sql("ho", "DELETE FROM product_sales WHERE id = 3")
        (code, out, _) = try lab.run(["--config", lab.path("ho"), "verify", "--branch", b, "--full"])
        #expect(code == 65)
        #expect(out.contains("drift"))
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "drift")
    }

    @Test func valuesTheHeadOfficeCannotHoldAreRefusedWhole() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 10)
        try lab.syncAll()
        try lab.sql("ho", "ALTER TABLE product_sales MODIFY qty TINYINT NOT NULL")
        try lab.sql(b, "UPDATE product_sales SET qty = 1000 WHERE id = 1", "UPDATE product_sales SET qty = 2 WHERE id = 2")
        let (_, _, _) = try lab.run(["--config", lab.path(b), "run"])
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "ingest", "--once"])
        #expect(code == 0, "\(err)")
        #expect(try lab.scalar("ho", "SELECT qty FROM product_sales WHERE id = 2") != "2", "nothing of the bundle applied")
        let reason = try lab.scalar("ho", "SELECT reason FROM salesync_quarantine") ?? ""
        #expect(reason.contains("product_sales") && reason.contains("qty"))
    }

    /// A backlog of many bundles whose keys overlap from one to the next (updates, deletes, key
    /// changes of rows the bundle before inserted or changed) goes through the two apply lanes:
    /// dependent bundles wait, independent ones overlap, and the result is exact and in order.
    @Test func pipelinedBacklogWithOverlappingKeysAppliesExactly() throws {
        let lab = try smallBundles()
        let b = lab.branches[0]
        try lab.sell(b, 120)
        for round in 0..<4 {
            try lab.sql(
                b, "UPDATE product_sales SET qty = qty + 1 WHERE id % 4 = \(round)",
                "DELETE FROM product_sales WHERE id % 11 = \(round)",
                "UPDATE product_sales SET id = id + 100000 * \(round + 1) WHERE id % 13 = \(round) AND id < 100000")
            try lab.sell(b, 40, seed: round + 2)
            try lab.export(b)
        }
        try lab.export(b)
        try lab.drain(b)
        let report = try lab.ingest()
        let seqs = report.applied.map(\.seq)
        #expect(seqs.count > 8 && seqs == Array(1...UInt64(seqs.count)), "\(seqs)")
        #expect(try lab.differences(b) == 0)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches") == "match")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_quarantine") == "0")
    }

    /// When a bundle is refused while the one after it is already loading on the other lane, the
    /// later one rolls back and waits: nothing of it is applied before the missing one.
    @Test func laterBundleRollsBackWhenTheOneBeforeIsRefused() throws {
        let lab = try smallBundles()
        let b = lab.branches[0]
        try lab.sell(b, 10)
        try lab.syncAll()
        // A rule of the head office's own that one bundle breaks (the columns stay the same).
        try lab.sql("ho", "ALTER TABLE product_sales ADD CONSTRAINT qty_below_1000 CHECK (qty < 1000)")
        try lab.sql(b, "UPDATE product_sales SET qty = 1000 WHERE id = 1")
        let refused = try lab.export(b)
        try lab.sell(b, 30, seed: 5)
        let later = try lab.export(b)
        #expect(refused.count == 1 && later.count == 1)
        try lab.drain(b)
        let report = try lab.ingest()
        #expect(report.quarantined == 1 && report.applied.isEmpty)
        #expect(report.held[b] == [later[0].sequence])
        #expect(try lab.count("ho", branch: b) == 10, "none of the later bundle's 30 rows")
        #expect(try lab.scalar("ho", "SELECT last_seq FROM salesync_branches") == String(refused[0].sequence - 1))
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_inbox WHERE seq = ?", [.uint(later[0].sequence)]) == "1")
        #expect(try lab.scalar("ho", "SELECT reason FROM salesync_quarantine")?.contains("qty_below_1000") == true)
    }

    @Test func twoIngestProcessesThreeBranchesApplyOnceInOrder() throws {
        let lab = try smallBundles(3)
        for (i, b) in lab.branches.enumerated() { try lab.sell(b, 200 + i * 30, seed: i) }
        for b in lab.branches { try lab.export(b); try lab.drain(b) }
        func ingestProcess() throws -> Process {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Lab.binary)
            p.arguments = ["--config", lab.path("ho"), "ingest", "--once"]
            p.standardError = FileHandle(forWritingAtPath: lab.dir + "/ingest.err") ?? FileHandle.nullDevice
            try p.run()
            return p
        }
        #expect(FileManager.default.createFile(atPath: lab.dir + "/ingest.err", contents: nil))
        for round in 0..<3 {
            let p1 = try ingestProcess(), p2 = try ingestProcess()
            p1.waitUntilExit(); p2.waitUntilExit()
            let err = (try? String(contentsOfFile: lab.dir + "/ingest.err", encoding: .utf8)) ?? ""
            #expect(p1.terminationStatus == 0 && p2.terminationStatus == 0, "\(err)")
            if round == 0 {
                for b in lab.branches {
                    try lab.sql(b, "UPDATE product_sales SET qty = qty + 1 WHERE id % 4 = 0"); try lab.export(b); try lab.drain(b)
                }
            }
        }
        try lab.ingest()
        for b in lab.branches {
            #expect(try lab.differences(b) == 0)
            #expect(try lab.scalar("ho", "SELECT COUNT(*) = MAX(seq) FROM salesync_applied WHERE branch_id = ?", [.text(b)]) == "1")
        }
    }

    @Test func longRunningIngestStopsCleanlyOnSIGTERM() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Lab.binary)
        p.arguments = ["--config", lab.path("ho"), "ingest"]
        try p.run()
        defer { if p.isRunning { kill(p.processIdentifier, SIGKILL) } }
        try lab.sell(b, 25)
        try lab.export(b)
        try lab.drain(b)
        var n = 0
        for _ in 0..<50 where n < 25 {
            Thread.sleep(forTimeInterval: 0.2)
            n = try lab.count("ho", branch: b)
        }
        #expect(n == 25, "applied by the running service")
        p.terminate()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }
}

@Suite struct QuarantineCommandTests {
    /// A bundle refused for an unknown key is retried by the operator once the key is configured.
    @Test func retryAfterFixingTheKeyApplies() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 12)
        // The head office has a stale key for the branch.
        let good = try String(contentsOfFile: lab.path("ho"), encoding: .utf8)
        let stale = try Keys.generate(path: lab.dir + "/stale.key")
        try lab.write(
            "ho.toml",
            good.replacingOccurrences(of: #"public_key = "[^"]*""#, with: "public_key = \"\(stale)\"", options: .regularExpression))
        try lab.export(b)
        try lab.drain(b)
        try lab.ingest()
        var (code, out, _) = try lab.run(["--config", lab.path("ho"), "quarantine", "list"])
        #expect(code == 0 && out.contains("signature"))
        let id = out.split(separator: " ").first.map(String.init) ?? ""
        try lab.write("ho.toml", good)
        (code, _, _) = try lab.run(["--config", lab.path("ho"), "quarantine", "retry", id])
        #expect(code == 0)
        try lab.ingest()
        #expect(try lab.differences(b) == 0)
        (code, out, _) = try lab.run(["--config", lab.path("ho"), "quarantine", "list"])
        #expect(out.isEmpty)
        (code, _, _) = try lab.run(["--config", lab.path("ho"), "quarantine", "drop", id])
        #expect(code == 65, "no longer open")
    }
}

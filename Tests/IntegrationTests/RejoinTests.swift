import Foundation
import SaleSyncCore
import SaleSyncTesting
import Testing

/// `salesync rejoin` (issue #28, docs/operations.md): a branch that went back in time gets the
/// head office's copy of its rows, merges it by the documented rules, and syncs on in a new
/// epoch until the head office holds exactly the branch's rows again.
@Suite struct RejoinTests {
    /// A lab whose head office signs rejoin copies and whose branch trusts its key.
    func makeLab(capture: CaptureMode = .triggers) throws -> (Lab, String) {
        let lab = try Lab(branches: 1, extraBranch: "\n[capture]\nmode = \"\(capture.rawValue)\"\n", downlink: "")
        try lab.initAll()
        return (lab, lab.branches[0])
    }

    /// The end of every rejoin story: the head office holds exactly the branch's rows, and says match.
    func expectWhole(_ lab: Lab, _ b: String, rows: Int, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(try lab.count(b) == rows, sourceLocation: sourceLocation)
        #expect(try lab.count("ho", branch: b) == rows, sourceLocation: sourceLocation)
        #expect(try lab.differences(b) == 0, sourceLocation: sourceLocation)
        let ho = try lab.db("ho")
        defer { ho.close() }
        let status = try HeadOfficeStatus.read(ho, config: try lab.config("ho"))
        #expect(status.branches.first?.wentBack == nil, sourceLocation: sourceLocation)
        let verified = try Verifier(config: try lab.config("ho"), connection: ho).verify(branch: b, full: true)
        #expect(!verified.isEmpty && verified.allSatisfy { $0.verdict == .match }, "\(verified)", sourceLocation: sourceLocation)
    }

    /// Also capturing from the binary log, which holds the lost days' changes after the restore:
    /// the export refuses until `init` (run right after restoring) starts reading anew.
    @Test(arguments: [
        (1, false, CaptureMode.triggers), (3, false, .triggers), (3, true, .triggers), (2, false, .binlog), (2, false, .compare),
    ])
    func aRestoredBranchRejoinsWithoutLosingASale(bundlesBack: Int, keepStateDir: Bool, capture: CaptureMode) throws {
        let (lab, b) = try makeLab(capture: capture)
        try lab.sell(b, 100)
        try lab.syncAll()  // bundle 1: sales 1-100
        let backup = try lab.backup(b)
        // The history the backup misses: new sales, a correction, a void.
        for i in 1...bundlesBack {
            try lab.sell(b, 10 * i, seed: 10 + i)
            if i == 1 {
                try lab.sql(
                    b, "UPDATE product_sales SET qty = 0, total = 0 WHERE id IN (10, 11)", "DELETE FROM product_sales WHERE id = 20")
            }
            try lab.syncAll()
        }
        let lost = (1...bundlesBack).reduce(0) { $0 + 10 * $1 }
        #expect(try lab.count("ho", branch: b) == 100 + lost - 1)

        // Restored: new sales take the lost sales' ids; sale 10 is changed again here, 30 only here.
        try lab.restore(b, from: backup, keepStateDir: keepStateDir)
        if capture == .binlog {
            let (code, _, err) = try lab.run(["--config", lab.path(b), "export"])
            #expect(code == 65 && err.contains("restored from a backup"), "\(err)")
            try lab.initAll()
        }
        try lab.sell(b, 7, seed: 40)
        try lab.sql(b, "UPDATE product_sales SET region = 'Back office' WHERE id IN (10, 30)")
        try lab.export(b)
        try lab.drain(b)
        #expect(try lab.ingest().wentBack == [b])
        try lab.drain(b)  // the went-back answer, and the rejoin copy
        try lab.sell(b, 3, seed: 41)  // still selling before the operator rejoins

        let report = try lab.rejoin(b)
        #expect(report.rekeyed.count == 10, "\(report.text)")
        #expect(report.rekeyed.first == "product_sales id 101 → \(100 + lost + 1)", "\(report.text)")
        #expect(report.conflicts == ["product_sales id 10", "product_sales id 30"], "\(report.text)")
        #expect(report.corrected == 1, "sale 11's correction comes back: \(report.text)")
        #expect(report.removed == 1, "sale 20's void comes back: \(report.text)")
        #expect(try lab.scalar(b, "SELECT region FROM product_sales WHERE id = 10") == "Back office")
        #expect(try lab.scalar(b, "SELECT qty FROM product_sales WHERE id = 11") == "0")

        try lab.syncAll()
        // Every sale: the 100, the lost ones but the void, the 10 made after the restore.
        try expectWhole(lab, b, rows: 100 + lost - 1 + 10)
        #expect(try lab.scalar("ho", "SELECT region FROM product_sales WHERE branch_id = ? AND id = 30", [.text(b)]) == "Back office")

        // And on as before: the next sales go up in the new epoch.
        try lab.sell(b, 5, seed: 42)
        try lab.syncAll()
        try expectWhole(lab, b, rows: 100 + lost - 1 + 15)
        #expect(try lab.scalar("ho", "SELECT epoch FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "1")
    }
}

extension RejoinTests {
    /// The disk died: a new PC, an empty database under the old site id (and key). Its first
    /// sales take ids the head office holds: those move; the whole history comes back.
    @Test func aNewPCIsFilledWithTheBranchsHistory() throws {
        let (lab, b) = try makeLab()
        try lab.sell(b, 60)
        try lab.syncAll()
        try lab.sell(b, 20, seed: 2)
        try lab.sql(b, "DELETE FROM product_sales WHERE id = 5")
        try lab.syncAll()

        try lab.replacePC(b)
        try lab.sell(b, 5, seed: 3)
        try lab.export(b)
        try lab.drain(b)
        #expect(try lab.ingest().wentBack == [b])
        try lab.drain(b)
        let report = try lab.rejoin(b)
        #expect(report.restored == 79, "\(report.text)")
        // Sale 5 was deleted at the head office: the new sale 5 takes nobody's key and keeps it.
        #expect(report.rekeyed == (1...4).map { "product_sales id \($0) → \(80 + $0)" }, "\(report.text)")
        #expect(report.conflicts.isEmpty, "\(report.text)")
        try lab.syncAll()
        try expectWhole(lab, b, rows: 84)
    }
}

extension RejoinTests {
    /// A new PC with a new key (the old one died with the disk): its bundles are refused until
    /// the head office's operator approves the key; then it rejoins, and the old key is refused.
    @Test func aNewPCWithANewKeyRejoinsOnceTheKeyIsApproved() throws {
        let (lab, b) = try makeLab()
        try lab.sell(b, 30)
        try lab.syncAll()
        let keyFile = try #require(try lab.config(b).keyFile)
        let oldKey = try Data(contentsOf: URL(fileURLWithPath: keyFile))

        try lab.replacePC(b)
        try FileManager.default.removeItem(atPath: keyFile)
        let newKey = try Keys.generate(path: keyFile)
        try lab.sell(b, 4, seed: 2)
        try lab.export(b)
        try lab.drain(b)
        #expect(try lab.ingest().quarantined == 1)
        #expect(try lab.count("ho", branch: b) == 30)

        let (code, _, err) = try lab.run([
            "--config", lab.path("ho"), "--log-level", "notice", "branch", "rekey", b, "--public-key", newKey,
        ])
        #expect(code == 0, "\(err)")
        #expect(err.contains("1 refused bundle(s) back in the inbox"), "\(err)")
        let approvedBy = try lab.scalar("ho", "SELECT approved_by FROM salesync_branch_keys WHERE branch_id = ?", [.text(b)])
        #expect(approvedBy?.hasPrefix("cli:") == true)
        #expect(try lab.ingest().wentBack == [b])
        try lab.drain(b)
        let report = try lab.rejoin(b)
        #expect(report.rekeyed.count == 4, "\(report.text)")
        try lab.syncAll()
        try expectWhole(lab, b, rows: 34)

        // A bundle signed with the old key is refused from now on, and changes nothing.
        try FileManager.default.removeItem(atPath: keyFile)
        try oldKey.write(to: URL(fileURLWithPath: keyFile))
        try lab.sell(b, 2, seed: 3)
        try lab.export(b)
        try lab.drain(b)
        #expect(try lab.ingest().quarantined == 1)
        #expect(try lab.count("ho", branch: b) == 34)
    }

    /// A bad key is refused with what was expected, and records nothing.
    @Test func aKeyThatIsNotOneIsRefused() throws {
        let (lab, b) = try makeLab()
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "branch", "rekey", b, "--public-key", "not-a-key"])
        #expect(code == 78)
        #expect(err.contains("--public-key: expected the base64 Ed25519 public key"), "\(err)")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_branch_keys") == "0")
        let (other, _, err2) = try lab.run(["--config", lab.path("ho"), "branch", "rekey", "nobody", "--public-key", "not-a-key"])
        #expect(other == 78)
        #expect(err2.contains("branch nobody is not among"), "\(err2)")
    }
}

extension RejoinTests {
    /// `state_dir` wiped, the database kept: the bundles it held are gone, their changes with
    /// them, but the database is whole. If the head office had applied the lost bundle, the
    /// branch went back by its numbers and rejoins keeping its database; if not, its tables sent
    /// whole simply replace the head office's copy.
    @Test(arguments: [true, false])
    func aBranchThatLostItsStateDirKeepsItsDatabase(headOfficeHadIt: Bool) throws {
        let (lab, b) = try makeLab()
        try lab.sell(b, 40)
        try lab.syncAll()
        try lab.sell(b, 10, seed: 2)
        try lab.export(b)  // bundle 2, never acknowledged at the branch
        if headOfficeHadIt {
            try lab.drain(b)
            try lab.ingest()
            #expect(try lab.count("ho", branch: b) == 50)
        }
        try FileManager.default.removeItem(atPath: try lab.config(b).stateDir)
        try lab.sell(b, 5, seed: 3)
        try lab.sql(b, "UPDATE product_sales SET region = 'Kept' WHERE id = 3", "DELETE FROM product_sales WHERE id = 4")

        try lab.export(b)  // every table whole, as bundle 2
        try lab.drain(b)
        let ingest = try lab.ingest()
        if headOfficeHadIt {
            #expect(ingest.wentBack == [b])
            try lab.drain(b)
            let report = try lab.rejoin(b)
            #expect(report.keptWhole, "\(report.text)")
            #expect(report.rekeyed.isEmpty && report.restored == 0)
        } else {
            #expect(ingest.wentBack.isEmpty)
        }
        try lab.syncAll()
        try expectWhole(lab, b, rows: 54)
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_state_lost") == "0")
    }
}

extension RejoinTests {
    /// A branch restored one bundle back, its copy ready at the head office and its went-back
    /// state known at both ends: where each rejoin story starts.
    func restoredBranch() throws -> (Lab, String) {
        let (lab, b) = try makeLab()
        try lab.sell(b, 100)
        try lab.syncAll()
        let backup = try lab.backup(b)
        try lab.sell(b, 30, seed: 2)
        try lab.syncAll()
        try lab.restore(b, from: backup)
        try lab.sell(b, 12, seed: 3)
        try lab.export(b)
        try lab.drain(b)
        #expect(try lab.ingest().wentBack == [b])
        return (lab, b)
    }

    /// The USB procedure, killed at every step that matters and at random instants: a killed
    /// rejoin leaves no trace or is complete, and the next one finishes the job.
    @Test func aRejoinKilledAnywhereIsCompletedByTheNext() throws {
        let (lab, b) = try restoredBranch()
        let usb = lab.dir + "/usb"
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "--log-level", "notice", "branch", "rejoin", b, "--to", usb])
        #expect(code == 0, "\(err)")
        #expect(err.contains("copied 1 bundle(s)"), "\(err)")
        let rejoin = ["--config", lab.path(b), "rejoin", "--from", usb]

        // Killed before its transaction commits: nothing changed.
        let (k1, _, e1) = try lab.run(rejoin, env: ["SALESYNC_FAULT": "rejoin-before-commit"])
        #expect(k1 == 99, "\(e1)")
        #expect(try lab.count(b) == 112)
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_rejoins") == "0")

        // Killed at random instants.
        for delay in [0.05, 0.15, 0.3] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Lab.binary)
            p.arguments = rejoin
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            Thread.sleep(forTimeInterval: delay)
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let done = try lab.scalar(b, "SELECT COUNT(*) FROM salesync_rejoins")
            #expect(done == "0" ? try lab.count(b) == 112 : try lab.count(b) == 142, "all or nothing")
        }

        // Killed just after it committed: done; the next run says so and changes nothing.
        if try lab.scalar(b, "SELECT COUNT(*) FROM salesync_rejoins") == "0" {
            let (k2, _, e2) = try lab.run(rejoin, env: ["SALESYNC_FAULT": "rejoin-after-commit"])
            #expect(k2 == 99, "\(e2)")
        }
        let (again, text, e3) = try lab.run(rejoin)
        #expect(again == 0, "\(e3)")
        #expect(text.contains("already rejoined (epoch 1)"), "\(text)")
        #expect(try lab.count(b) == 142)

        // The acknowledgement goes back on the stick; the branch syncs on.
        let (a, _, e4) = try lab.run(["--config", lab.path("ho"), "acks", "--from", usb])
        #expect(a == 0, "\(e4)")
        #expect(
            try lab.scalar("ho", "SELECT status FROM salesync_downlink WHERE branch_id = ? AND kind = 'rejoin'", [.text(b)]) == "acked")
        try lab.syncAll()
        try expectWhole(lab, b, rows: 142)
    }
}

import Foundation
import SaleSyncCore
import SaleSyncTesting
import Testing

/// A branch restored from a backup (issue #28, docs/operations.md): recognised at both ends as
/// having gone back in time, never quarantined, its new sales kept and nothing of its applied
/// on top of the history it lost.
@Suite struct WentBackTests {
    @Test func aBranchRestoredFromABackupIsRecognisedAtBothEnds() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 100)
        try lab.syncAll()  // bundle 1
        let backup = try lab.backup(b)
        try lab.sell(b, 50, seed: 2)
        try lab.syncAll()  // bundle 2
        try lab.sell(b, 30, seed: 3)
        try lab.syncAll()  // bundle 3
        #expect(try lab.count("ho", branch: b) == 180)

        // The PC comes back from last night's backup and sells on: its new sales take the ids
        // of sales it lost (AUTO_INCREMENT came back with the backup), its bundles the numbers.
        try lab.restore(b, from: backup)
        try lab.sell(b, 40, seed: 4)
        #expect(try lab.count(b) == 140)
        try lab.export(b)
        try lab.drain(b)
        let ingest = try lab.ingest()
        #expect(ingest.wentBack == [b])
        #expect(ingest.quarantined == 0)
        let report = try lab.drain(b)
        let expected = "\(b) went back in time: restored from a state before bundle 2; 80 row change(s) in 2 bundle(s)"
        #expect(report.wentBack?.hasPrefix(expected) == true, "\(report.wentBack ?? "nil")")

        // Nothing of the branch's is applied on top of the history it lost; nothing quarantined.
        #expect(try lab.count("ho", branch: b) == 180)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_quarantine") == "0")

        // Both ends say so: the branch's status and run, the head office's status and verify.
        let c = try lab.config(b)
        let conn = try Database.connect(c)
        let status = try BranchStatus.read(conn, config: c)
        conn.close()
        #expect(status.wentBackDetail?.hasPrefix(expected) == true)
        #expect(status.wentBack.count == 1)
        let (code, _, err) = try lab.run(["--config", lab.path(b), "drain"])
        #expect(code == 65)
        #expect(err.contains("went back in time"), "\(err)")
        let ho = try lab.db("ho")
        let hoStatus = try HeadOfficeStatus.read(ho, config: try lab.config("ho"))
        #expect(hoStatus.branches.first?.wentBack?.hasPrefix(expected) == true)
        let verified = try Verifier(config: try lab.config("ho"), connection: ho).verify(branch: b, full: true)
        ho.close()
        #expect(verified.allSatisfy { $0.verdict == .drift && $0.wentBack != nil })

        // A later bundle, numbered past the head office's, is held too: it follows the lost history.
        try lab.sell(b, 10, seed: 5)
        try lab.export(b)  // bundle 3 again
        try lab.sell(b, 5, seed: 6)
        try lab.export(b)  // bundle 4: past the head office's last
        try lab.drain(b)
        try lab.ingest()
        let after = try lab.drain(b)
        #expect(try lab.count("ho", branch: b) == 180)
        #expect(after.remaining == 3, "bundles 2, 3 and 4 kept at the branch until it rejoins")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_bundles WHERE status = 'went-back'") == "3")
    }
}

extension WentBackTests {
    /// A new PC under the old site id (and key): an empty database numbers its first bundle 1.
    @Test func aNewPCWithTheSameSiteIdIsRecognised() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 60)
        try lab.syncAll()
        try lab.sell(b, 20, seed: 2)
        try lab.syncAll()

        // The disk died: a fresh database and state_dir, salesync installed anew, sales go on.
        try lab.replacePC(b)
        try lab.sell(b, 5, seed: 3)
        try lab.export(b)
        try lab.drain(b)
        let ingest = try lab.ingest()
        #expect(ingest.wentBack == [b])
        let report = try lab.drain(b)
        #expect(
            report.wentBack?.hasPrefix("\(b) went back in time: restored from a state before bundle 1; 80 row change(s) in 2 bundle(s)")
                == true,
            "\(report.wentBack ?? "nil")")
        #expect(try lab.count("ho", branch: b) == 80)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_quarantine") == "0")
    }
}

extension WentBackTests {
    /// The backup is older (three bundles behind), and only the database comes back: the disk
    /// with `state_dir` survived. The database holds the numbering, so it is the same story.
    @Test func aDatabaseRestoredThreeBundlesBackWithItsStateDirKeptIsRecognised() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 40)
        try lab.syncAll()  // bundle 1
        let backup = try lab.backup(b)
        for seed in 2...4 {
            try lab.sell(b, 10 * seed, seed: seed)
            try lab.syncAll()  // bundles 2, 3, 4
        }
        #expect(try lab.count("ho", branch: b) == 130)
        try lab.restore(b, from: backup, keepStateDir: true)
        try lab.sell(b, 7, seed: 9)
        try lab.export(b)
        try lab.drain(b)
        #expect(try lab.ingest().wentBack == [b])
        let report = try lab.drain(b)
        #expect(
            report.wentBack?.hasPrefix("\(b) went back in time: restored from a state before bundle 2; 90 row change(s) in 3 bundle(s)")
                == true, "\(report.wentBack ?? "nil")")
        #expect(try lab.count("ho", branch: b) == 130)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_quarantine") == "0")
    }
}

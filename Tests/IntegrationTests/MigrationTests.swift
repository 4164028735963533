import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

/// salesync's own tables as named migrations: recorded once, and databases made by the previous
/// release (Fixtures/release-2-*.sql: what its `init`, a sync, an update, a delete and a refused
/// USB file left in a head office and a branch) upgraded in place by `init`.
@Suite struct MigrationTests {
    /// Loads a fixture into `database` with the mariadb client (it has DELIMITER blocks), with the
    /// fixture's branch id `fxb1` replaced by `branch`.
    func load(_ fixture: String, into database: String, lab: Lab, branch: String) throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let sql = try String(contentsOf: dir.appendingPathComponent(fixture), encoding: .utf8)
            .replacingOccurrences(of: "fxb1", with: branch)
        try lab.admin.execute("DROP DATABASE IF EXISTS \(quoteIdentifier(database))")
        try lab.admin.execute("CREATE DATABASE \(quoteIdentifier(database))")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/mariadb")
        p.arguments = ["-h", lab.env.host, "-P", "\(lab.env.port)", "-u", lab.env.user, database]
        p.environment = ["MYSQL_PWD": lab.env.password]
        let input = Pipe()
        p.standardInput = input
        try p.run()
        input.fileHandleForWriting.write(Data(sql.utf8))
        try input.fileHandleForWriting.close()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "loading \(fixture)")
    }

    func recorded(_ lab: Lab, _ site: String, role: Role) throws -> [String] {
        let c = try lab.db(site)
        defer { c.close() }
        return try c.query("SELECT name FROM salesync_migrations WHERE role = ? ORDER BY name", [.text(role.rawValue)]).compactMap { $0[0] }
    }

    func names(_ role: Role) -> [String] { Migrator(role: role).migrations.map(\.name).sorted() }

    @Test func initRecordsEveryMigrationOnceAndAppliesNoneTheSecondTime() throws {
        let lab = try Lab(branches: 1)
        try lab.initAll()
        let b = lab.branches[0]
        #expect(try recorded(lab, "ho", role: .headOffice) == names(.headOffice))
        #expect(try recorded(lab, b, role: .branch) == names(.branch))
        for site in ["ho", b] {
            let c = try lab.db(site)
            let config = try lab.config(site)
            #expect(try Migrator(role: config.role).migrate(c, config: config).isEmpty)
            c.close()
        }
    }

    @Test func aDatabaseOfThePreviousReleaseIsUpgradedInPlaceAndSyncsOn() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try load("release-2-ho.sql", into: lab.hoDB, lab: lab, branch: b)
        try load("release-2-b1.sql", into: b, lab: lab, branch: b)
        for site in ["ho", b] {
            let (code, _, err) = try lab.run(["--config", lab.path(site), "init"])
            #expect(code == 0, "\(site): \(err)")
        }
        #expect(try recorded(lab, "ho", role: .headOffice) == names(.headOffice))
        #expect(try recorded(lab, b, role: .branch) == names(.branch))
        // What the previous release held is all there.
        #expect(try lab.count("ho", branch: b) == 290)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_applied") == "2")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_quarantine WHERE status = 'open'") == "1")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_bundles WHERE status = 'acked'") == "2")
        #expect(try lab.differences(b) == 0)
        // And it syncs on, numbering after what the previous release sent.
        try lab.sql(b, "UPDATE product_sales SET qty = qty + 7 WHERE id BETWEEN 50 AND 60", "DELETE FROM product_sales WHERE id < 5")
        try lab.sell(b, 40)
        try lab.syncAll()
        #expect(try lab.differences(b) == 0)
        #expect(try lab.scalar("ho", "SELECT last_seq FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "3")
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_branches WHERE branch_id = ?", [.text(b)]) == "match")
    }

    /// A head office of schema version 1 (before the console's columns): commands say to run init,
    /// and init brings it to the current layout.
    @Test func aVersionOneHeadOfficeNeedsInitAndGetsIt() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try load("release-2-ho.sql", into: lab.hoDB, lab: lab, branch: b)
        try lab.sql(
            "ho", "ALTER TABLE salesync_applied DROP COLUMN bytes, DROP COLUMN received_at",
            "ALTER TABLE salesync_quarantine DROP COLUMN decided_by, DROP COLUMN decided_at",
            "DROP TABLE salesync_schema")
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "status"])
        #expect(code == 78, "\(err)")
        #expect(err.contains("applied-bytes-and-arrival") && err.contains("run `salesync init`"), "\(err)")
        let (initCode, _, initErr) = try lab.run(["--config", lab.path("ho"), "init"])
        #expect(initCode == 0, "\(initErr)")
        #expect(
            try lab.scalar(
                "ho",
                "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME IN ('salesync_applied', 'salesync_quarantine') AND COLUMN_NAME IN ('bytes', 'received_at', 'decided_by', 'decided_at')",
                [.text(lab.hoDB)]) == "4")
        #expect(try lab.run(["--config", lab.path("ho"), "status"]).0 == 0)
    }

    /// A database a newer salesync migrated is refused, init included, rather than misread.
    @Test func aMigrationOfANewerSalesyncIsRefused() throws {
        let lab = try Lab(branches: 1)
        try lab.initAll()
        let b = lab.branches[0]
        try lab.sql(b, "INSERT INTO salesync_migrations (role, name, applied_at) VALUES ('branch', 'from-the-future', NOW(6))")
        for args in [["status"], ["export"], ["init"]] {
            let (code, _, err) = try lab.run(["--config", lab.path(b)] + args)
            #expect(code == 78, "\(args): \(err)")
            #expect(err.contains("from-the-future") && err.contains("newer salesync"), "\(args): \(err)")
        }
    }
}

import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

/// The head office's catalogue and prices flowing down to the branches (docs/downlink.md), on
/// the real servers, by the USB procedure.
@Suite struct DownlinkTests {
    static let tables = """
        tables = ["products", "prices", "promotions"]
        [downlink.branch_columns]
        promotions = "branch_id"
        """

    /// A head office with a catalogue, prices and promotions, and two branches that trust its key.
    func catalogue(_ downlink: String = tables, extraHO: String = "") throws -> Lab {
        let lab = try Lab(branches: 2, extraHO: extraHO, downlink: downlink)
        try lab.sql(
            "ho",
            "CREATE TABLE products (id INT PRIMARY KEY, name VARCHAR(80) NOT NULL, tax_rate DECIMAL(4,2) NOT NULL DEFAULT 20.00)",
            """
            CREATE TABLE prices (product_id INT NOT NULL, valid_from DATE NOT NULL, price DECIMAL(10,2) NOT NULL,
              PRIMARY KEY (product_id, valid_from))
            """,
            "CREATE TABLE promotions (id INT PRIMARY KEY, branch_id VARCHAR(64) NULL, product_id INT NOT NULL, percent INT NOT NULL)",
            "INSERT INTO products VALUES (1, 'Espresso', 10.00), (2, 'Croissant', 10.00), (3, 'Umbrella', 20.00), (4, 'Map', 5.50)",
            "INSERT INTO prices VALUES (1, '2026-12-01', 2.10), (2, '2026-12-01', 1.80), (3, '2026-12-01', 12.00), (4, '2026-12-01', 4.00)",
            "INSERT INTO promotions VALUES (1, NULL, 1, 10), (2, '\(lab.branches[0])', 2, 15)")
        try lab.initAll()
        return lab
    }

    /// What `branch` must hold of `table`: every row, or for promotions its own and the shared ones.
    func expected(_ lab: Lab, _ table: String, for branch: String) throws -> [String] {
        switch table {
        case "products": return try lab.rows("ho", "SELECT * FROM products ORDER BY id")
        case "prices": return try lab.rows("ho", "SELECT * FROM prices ORDER BY product_id, valid_from")
        default:
            return try lab.rows(
                "ho", "SELECT * FROM promotions WHERE branch_id IS NULL OR branch_id = ? ORDER BY id", [.text(branch)])
        }
    }

    func held(_ lab: Lab, _ table: String, at branch: String) throws -> [String] {
        let order = table == "prices" ? "product_id, valid_from" : "id"
        return try lab.rows(branch, "SELECT * FROM \(table) ORDER BY \(order)")
    }

    func expectInStep(_ lab: Lab) throws {
        for b in lab.branches {
            for t in ["products", "prices", "promotions"] {
                #expect(try held(lab, t, at: b) == expected(lab, t, for: b), "\(t) at \(b)")
            }
        }
    }

    /// Each file of a directory with its inode number (a file rewritten by rename gets a new one).
    func inodes(_ dir: String) throws -> [String: UInt64] {
        var out: [String: UInt64] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: dir) {
            var st = stat()
            if stat(dir + "/" + name, &st) == 0 { out[name] = UInt64(st.st_ino) }
        }
        return out
    }

    /// One round of the USB procedure: export at the head office, apply at each branch, acks back.
    func usbRound(_ lab: Lab, _ usb: String) throws {
        try? FileManager.default.removeItem(atPath: usb)
        try lab.distribute()
        try lab.copyDownlink(to: usb)
        for b in lab.branches {
            let r = try lab.applyDownlink(b, from: usb)
            #expect(r.refused.isEmpty, "\(r.refused)")
            #expect(r.missing == nil)
        }
        try lab.importDownlinkAcks(from: usb)
    }

    @Test func catalogueReachesEveryBranchWithItsOwnPromotions() throws {
        let lab = try catalogue()
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        try expectInStep(lab)
        #expect(try held(lab, "promotions", at: b2).count == 1)  // the shared one; bo1's is bo1's alone

        // Inserts, updates, deletes, a key change, a promotion for bo2 only, and bo1's promotion
        // moved to bo2 (bo1 must lose it).
        try lab.sql(
            "ho",
            "INSERT INTO products VALUES (5, 'Scarf', 20.00)",
            "INSERT INTO prices VALUES (5, '2026-12-03', 15.00), (1, '2026-12-03', 2.20)",
            "UPDATE products SET name = 'Double espresso' WHERE id = 1",
            "DELETE FROM prices WHERE product_id = 4",
            "DELETE FROM products WHERE id = 4",
            "UPDATE products SET id = 30 WHERE id = 3",
            "UPDATE prices SET product_id = 30 WHERE product_id = 3",
            "INSERT INTO promotions VALUES (3, '\(b2)', 5, 25)",
            "UPDATE promotions SET branch_id = '\(b2)' WHERE id = 2")
        try usbRound(lab, usb)
        try expectInStep(lab)
        #expect(try held(lab, "promotions", at: b1).count == 1)
        #expect(try held(lab, "promotions", at: b2).count == 3)

        // The head office holds every branch's acknowledgement, and no branch drifted.
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE status <> 'acked'") == "0")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE verdict = 'drift'") == "0")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE verdict = 'match'") == "4")
    }

    @Test func aChangeForEveryBranchIsEncodedOnce() throws {
        let lab = try catalogue()
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        try lab.sql("ho", "UPDATE prices SET price = price + 0.10")
        let written = try lab.distribute()
        #expect(written.count == 2)
        // Both branches' bundles carry the very same compressed body: only the header differs.
        let dir = try lab.config("ho")
        let bodies = try written.map { b -> [UInt8] in
            let f = try BundleFile(bytes: Distributor.bundleBytes(dir, b))
            return Array(f.data[f.bodyRange])
        }
        #expect(bodies[0] == bodies[1])
        #expect(written[0].sha256 != written[1].sha256)
    }

    @Test func replayedFlippedImpostorAndCrossBranchBundlesAreRefused() throws {
        let lab = try catalogue()
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        let before = try held(lab, "products", at: b2)

        // Replayed: the same files again change nothing.
        let replay = try lab.applyDownlink(b2, from: usb)
        #expect(replay.applied.isEmpty && replay.duplicates == 1 && replay.refused.isEmpty)

        try lab.sql("ho", "UPDATE products SET name = 'Changed' WHERE id = 2")
        try? FileManager.default.removeItem(atPath: usb)
        try lab.distribute()
        try lab.copyDownlink(to: usb)
        let name = Distributor.fileName(branch: b2, sequence: 2)
        let genuine = try readFile(usb + "/" + b2 + "/" + name)

        // Flipped: one byte of the body changed.
        var flipped = genuine
        flipped[flipped.count / 2] ^= 0x40
        try writeFileAtomically(path: usb + "/" + b2 + "/" + name, bytes: flipped)
        var r = try lab.applyDownlink(b2, from: usb)
        #expect(r.refused.count == 1 && r.applied.isEmpty)

        // Impostor: bo1's key signs a bundle for bo2.
        let file = try BundleFile(bytes: genuine)
        let b1Key = try Keys.load(path: try lab.config(b1).keyFile!)
        try writeFileAtomically(
            path: usb + "/" + b2 + "/" + name, bytes: try BundleFormat.reseal(file, branch: b2, sequence: 2, key: b1Key))
        r = try lab.applyDownlink(b2, from: usb)
        #expect(r.refused.count == 1 && r.applied.isEmpty)
        #expect(r.refused.first?.reason.contains("not signed by the head office") == true)

        // Cross-branch: bo1's genuine bundle given to bo2.
        try FileManager.default.removeItem(atPath: usb + "/" + b2 + "/" + name)
        try FileManager.default.copyItem(
            atPath: usb + "/" + b1 + "/" + Distributor.fileName(branch: b1, sequence: 2), toPath: usb + "/" + b2 + "/" + name)
        r = try lab.applyDownlink(b2, from: usb)
        #expect(r.refused.count == 1 && r.applied.isEmpty)
        #expect(r.refused.first?.reason.contains("addressed to branch \(b1)") == true)
        #expect(try held(lab, "products", at: b2) == before)
        #expect(try lab.scalar(b2, "SELECT MAX(seq) FROM salesync_downlink_applied") == "1")

        // The genuine one still applies.
        try writeFileAtomically(path: usb + "/" + b2 + "/" + name, bytes: genuine)
        r = try lab.applyDownlink(b2, from: usb)
        #expect(r.applied == [2])
        #expect(try held(lab, "products", at: b2) == expected(lab, "products", for: b2))
    }

    @Test func aBranchKilledWhileApplyingAppliesTheBundleOnceAfterwards() throws {
        let lab = try catalogue()
        let b = lab.branches[0]
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        try lab.sql("ho", "INSERT INTO products VALUES (6, 'Candle', 20.00)", "UPDATE prices SET price = price * 2")
        try? FileManager.default.removeItem(atPath: usb)
        try lab.distribute()
        try lab.copyDownlink(to: usb)
        let (code, _, err) = try lab.run(
            ["--config", lab.path(b), "ingest", "--from", usb], env: ["SALESYNC_FAULT": "downlink-before-commit"])
        #expect(code == 99, "\(err)")
        #expect(try lab.scalar(b, "SELECT MAX(seq) FROM salesync_downlink_applied") == "1")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM products WHERE id = 6") == "0")
        let (again, _, err2) = try lab.run(["--config", lab.path(b), "ingest", "--from", usb])
        #expect(again == 0, "\(err2)")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_downlink_applied") == "2")
        #expect(try held(lab, "prices", at: b) == expected(lab, "prices", for: b))
        #expect(try held(lab, "products", at: b) == expected(lab, "products", for: b))
    }

    /// The head office killed after writing the branches' files, before their records commit:
    /// the files it left are never used, the next export writes each bundle once, and the
    /// branches apply them as usual.
    @Test func aHeadOfficeKilledWhileDistributingWritesEachBundleOnceAfterwards() throws {
        let lab = try catalogue()
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        try lab.sql("ho", "UPDATE prices SET price = price + 0.25", "INSERT INTO products VALUES (8, 'Kettle', 20.00)")
        let (code, _, err) = try lab.run(["--config", lab.path("ho"), "export"], env: ["SALESYNC_FAULT": "distribute-before-commit"])
        #expect(code == 99, "\(err)")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink") == "2")
        let ho = try lab.config("ho")
        // The frames' pack under its final name, but no record points at it: nothing may use it.
        let packs = { (try? FileManager.default.contentsOfDirectory(atPath: Distributor.packsDirectory(ho)).sorted()) ?? [] }
        let left = packs()
        let pack = left.first { $0.hasSuffix("-master.pack") }
        #expect(pack != nil, "\(left)")
        #expect(!FileManager.default.fileExists(atPath: ho.downlinkDir + "/clean"))

        let (again, _, err2) = try lab.run(["--config", lab.path("ho"), "export"])
        #expect(again == 0, "\(err2)")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink") == "4")
        #expect(FileManager.default.fileExists(atPath: ho.downlinkDir + "/clean"))
        // The same pack, written once more, and both branches' records point into it.
        #expect(packs() == left)
        #expect(try lab.scalar("ho", "SELECT COUNT(DISTINCT pack) FROM salesync_downlink WHERE seq = 2") == "1")
        #expect(try lab.scalar("ho", "SELECT MIN(pack) FROM salesync_downlink WHERE seq = 2") == pack)
        for b in lab.branches {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: Distributor.directory(ho, branch: b))) ?? []
            #expect(files.isEmpty, "\(b): \(files)")
        }
        try? FileManager.default.removeItem(atPath: usb)
        try lab.copyDownlink(to: usb)
        for b in lab.branches { #expect(try lab.applyDownlink(b, from: usb).applied == [2], "\(b)") }
        try lab.importDownlinkAcks(from: usb)
        try expectInStep(lab)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE status <> 'acked' OR verdict <> 'match'") == "0")
        // Everything acknowledged: the next export removes the packs and bodies nothing points into.
        #expect(try lab.run(["--config", lab.path("ho"), "export"]).0 == 0)
        #expect(packs().isEmpty)
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: Distributor.bodiesDirectory(ho))) ?? []).isEmpty)
    }

    /// A branch that only ever uses USB: each stick carries only the acks owed, and a stick lost
    /// on its way back costs nothing (the head office copies the bundle again; its ack is owed again).
    @Test func sticksCarryOnlyTheAcksOwedAndALostOneIsMadeGood() throws {
        let lab = try catalogue()
        let b = lab.branches[0]
        func acks(_ usb: String) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: usb + "/" + b + "/acks").filter { $0.hasSuffix(".json") }.sorted()
        }
        try usbRound(lab, lab.dir + "/usb1")
        #expect(try acks(lab.dir + "/usb1") == ["ho-to-\(b)-000000000001-applied.ack.json"])
        // The second day's stick: bundle 2 only, and only its ack comes back.
        try lab.sql("ho", "INSERT INTO products VALUES (7, 'Tea', 10.00)")
        try usbRound(lab, lab.dir + "/usb2")
        #expect(try acks(lab.dir + "/usb2") == ["ho-to-\(b)-000000000002-applied.ack.json"])
        // The third day's stick is lost on its way back: the head office never imports its acks.
        try lab.sql("ho", "INSERT INTO products VALUES (8, 'Mug', 20.00)")
        try lab.distribute()
        try lab.copyDownlink(to: lab.dir + "/usb3")
        try lab.applyDownlink(b, from: lab.dir + "/usb3")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_downlink_applied WHERE ack_sent_at IS NULL") == "0")
        // The next stick carries bundle 3 again; the branch owes its ack again and sends it.
        try usbRound(lab, lab.dir + "/usb4")
        #expect(try acks(lab.dir + "/usb4") == ["ho-to-\(b)-000000000003-applied.ack.json"])
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE branch_id = ? AND status <> 'acked'", [.text(b)]) == "0")
        try expectInStep(lab)
    }

    @Test func theCommandLineDoesTheUSBProcedureBothWays() throws {
        let lab = try catalogue()
        let usb = lab.dir + "/usb"
        let (code, out, err) = try lab.run(["--config", lab.path("ho"), "export", "-v", "--to", usb])
        #expect(code == 0, "\(err)")
        #expect(out.contains("copied 2 downlink bundle(s)"))
        for b in lab.branches {
            let (c, o, e) = try lab.run(["--config", lab.path(b), "ingest", "-v", "--from", usb])
            #expect(c == 0, "\(e)")
            #expect(o.contains("1 downlink bundle(s) applied"))
            // Again: the ack already on the stick stays as it is (same file, not rewritten).
            let acks = try inodes(usb + "/" + b + "/acks")
            #expect(acks.count == 1)
            let (again, _, e2) = try lab.run(["--config", lab.path(b), "ingest", "--from", usb])
            #expect(again == 0, "\(e2)")
            #expect(try inodes(usb + "/" + b + "/acks") == acks)
        }
        let (c, o, e) = try lab.run(["--config", lab.path("ho"), "acks", "-v", "--from", usb])
        #expect(c == 0, "\(e)")
        #expect(o.contains("2 acknowledgement(s) imported"))
        try expectInStep(lab)
    }

    @Test func theDownlinkTravelsThroughTheBrokerInTheBranchesRun() throws {
        let lab = try catalogue()
        try lab.distribute()
        let published = try lab.ingest()
        #expect(published.downlinkBytesSent > 0)
        for b in lab.branches {
            let r = try lab.drain(b)
            #expect(r.downlink?.isComplete == true, "\(String(describing: r.downlink))")
            #expect(r.downlink?.report?.applied == 1)
            #expect(r.downlink?.report?.acksSent == 1)
        }
        #expect(try lab.ingest().downlinkAcks == 2)
        try expectInStep(lab)

        // A change; one branch is killed while applying it, and applies it once on its next run.
        try lab.sql("ho", "UPDATE prices SET price = price + 1 WHERE product_id = 2", "INSERT INTO products VALUES (7, 'Tea', 10.00)")
        try lab.distribute()
        try lab.ingest()
        let b = lab.branches[0]
        let (code, _, err) = try lab.run(["--config", lab.path(b), "drain"], env: ["SALESYNC_FAULT": "downlink-before-commit"])
        #expect(code == 99, "\(err)")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM products WHERE id = 7") == "0")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_inbox") != "0")
        for b in lab.branches {
            let r = try lab.drain(b)
            #expect(r.downlink?.report?.applied == 1)
        }
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_downlink_applied") == "2")
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_inbox") == "0")
        #expect(try lab.ingest().downlinkAcks == 2)
        try expectInStep(lab)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE status <> 'acked' OR verdict <> 'match'") == "0")
    }

    @Test func aLocalEditAtABranchShowsAsDriftAndIsRepairedFromTheHeadOffice() throws {
        let lab = try catalogue()
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        try lab.sql(b1, "UPDATE products SET name = 'Cheap espresso' WHERE id = 1", "DELETE FROM prices WHERE product_id = 3")
        try lab.sql("ho", "INSERT INTO products VALUES (8, 'Gloves', 20.00)", "INSERT INTO prices VALUES (8, '2026-12-04', 9.00)")
        try usbRound(lab, usb)
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_downlink WHERE branch_id = ? AND seq = 2", [.text(b1)]) == "drift")
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_downlink WHERE branch_id = ? AND seq = 2", [.text(b2)]) == "match")
        let detail = try lab.scalar("ho", "SELECT table_verdicts FROM salesync_downlink WHERE branch_id = ? AND seq = 2", [.text(b1)])
        #expect(detail?.contains("\"prices\":\"drift\"") == true && detail?.contains("\"products\":\"drift\"") == true)
        // The next export sends bo1 its whole copy again; bo2 gets nothing new.
        try usbRound(lab, usb)
        #expect(try lab.scalar("ho", "SELECT kind FROM salesync_downlink WHERE branch_id = ? AND seq = 3", [.text(b1)]) == "snapshot")
        #expect(try lab.scalar("ho", "SELECT verdict FROM salesync_downlink WHERE branch_id = ? AND seq = 3", [.text(b1)]) == "match")
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE branch_id = ?", [.text(b2)]) == "2")
        try expectInStep(lab)
    }

    /// `check_every`: between two whole-table comparisons a bundle is applied unchecked (and the
    /// head office keeps the last verdict); once the time is up, the next bundle finds the edit.
    @Test func aBranchComparesItsWholeCopyAtMostEveryCheckInterval() throws {
        let lab = try catalogue()
        let b1 = lab.branches[0]
        let text = try String(contentsOfFile: lab.path(b1), encoding: .utf8)
        try lab.write("\(b1).toml", text.replacingOccurrences(of: "check_every = \"0\"", with: "check_every = \"1h\""))
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)  // the snapshot: always compared
        let verdict = { (seq: Int) in
            try lab.scalar("ho", "SELECT verdict FROM salesync_downlink WHERE branch_id = ? AND seq = ?", [.text(b1), .int(Int64(seq))])
        }
        #expect(try verdict(1) == "match")
        try lab.sql(b1, "UPDATE products SET name = 'Cheap espresso' WHERE id = 1")
        try lab.sql("ho", "UPDATE prices SET price = 2.30 WHERE product_id = 1")
        try usbRound(lab, usb)
        #expect(try verdict(2) == "unchecked")
        let status = try DownlinkStatus.read(try lab.db("ho"), config: try lab.config("ho"))
        #expect(status.branches.first { $0.branch == b1 }?.verdicts["products"] == .match)
        // An hour later (the last comparison made older by hand), the next bundle finds the edit.
        try lab.sql(b1, "UPDATE salesync_downlink_checks SET checked_at = NOW(6) - INTERVAL 2 HOUR")
        try lab.sql("ho", "UPDATE products SET tax_rate = 5.50 WHERE id = 2")
        try usbRound(lab, usb)
        #expect(try verdict(3) == "drift")
    }

    /// A copy resent after drift, cut into several bundles (the part carrying a table's state is
    /// not the one that reset it), is compared in full at once, however recent the last
    /// comparison: the repair shows as `match` without waiting for `check_every`.
    @Test func aRepairSpreadOverSeveralBundlesIsComparedAtOnce() throws {
        let lab = try catalogue(extraHO: "\n[export]\nmax_rows = 3\n")
        let b1 = lab.branches[0]
        let text = try String(contentsOfFile: lab.path(b1), encoding: .utf8)
        try lab.write("\(b1).toml", text.replacingOccurrences(of: "check_every = \"0\"", with: "check_every = \"1h\""))
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        try lab.sql(b1, "UPDATE products SET name = 'Cheap espresso' WHERE id = 1")
        try lab.sql(b1, "UPDATE salesync_downlink_checks SET checked_at = NOW(6) - INTERVAL 2 HOUR")
        try lab.sql("ho", "UPDATE products SET tax_rate = 5.50 WHERE id = 2")
        try usbRound(lab, usb)  // finds the edit: the head office queues bo1's whole copy again
        let products = {
            try DownlinkStatus.read(try lab.db("ho"), config: try lab.config("ho")).branches.first { $0.branch == b1 }?.verdicts["products"]
        }
        #expect(try products() == .drift)
        try usbRound(lab, usb)  // the copy, in several bundles
        #expect(
            try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE branch_id = ? AND kind = 'snapshot'", [.text(b1)]).map {
                Int($0) ?? 0
            } ?? 0 > 2)
        #expect(try products() == .match)
        try expectInStep(lab)
    }

    @Test func theIngestServiceExportsAndPublishesAHeadOfficeChangeByItself() throws {
        let lab = try catalogue("export_every = \"1s\"\n" + Self.tables)
        let service = RunningService(IngestService(config: try lab.config("ho"), logger: lab.logger, mode: .serve))
        defer { _ = try? service.stop() }
        #expect(try eventually { try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE status = 'sent'") == "2" })
        try lab.sql("ho", "UPDATE prices SET price = 9.99 WHERE product_id = 1")
        #expect(try eventually { try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE status = 'sent'") == "4" })
        for b in lab.branches { #expect(try lab.drain(b).downlink?.report?.applied == 2) }
        #expect(try eventually { try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_downlink WHERE status = 'acked'") == "4" })
        try expectInStep(lab)
        _ = try service.stop()
    }

    @Test func statusShowsWhichBranchIsStillOnAnOlderPriceList() throws {
        let lab = try catalogue()
        let (b1, b2) = (lab.branches[0], lab.branches[1])
        let usb = lab.dir + "/usb"
        try usbRound(lab, usb)
        try lab.sql("ho", "UPDATE prices SET price = price + 0.5")
        try? FileManager.default.removeItem(atPath: usb)
        try lab.distribute()
        try lab.copyDownlink(to: usb)
        try lab.applyDownlink(b1, from: usb)
        try lab.importDownlinkAcks(from: usb)

        let (code, out, err) = try lab.run(["--config", lab.path("ho"), "status", "--metrics", lab.dir + "/metrics/ho.prom"])
        #expect(code == 0, "\(err)")
        #expect(out.contains("prices: version of"))
        #expect(out.contains("applied at 1 of 2 branches; \(b2) still on"))
        #expect(out.contains("products: version of") && out.contains("applied at 2 of 2 branches"))
        let metrics = try String(contentsOfFile: lab.dir + "/metrics/ho.prom", encoding: .utf8)
        #expect(metrics.contains("salesync_downlink_current{branch=\"\(b2)\",table=\"prices\"} 0"))
        #expect(metrics.contains("salesync_downlink_current{branch=\"\(b1)\",table=\"prices\"} 1"))

        let (_, json, _) = try lab.run(["--config", lab.path("ho"), "status", "--json"])
        let status = try JSONDecoder().decode(HeadOfficeStatus.self, from: Data(json.utf8))
        let prices = status.downlink?.tables.first { $0.name == "prices" }
        #expect(prices?.branchesCurrent == 1 && prices?.behind.map(\.branch) == [b2])
        #expect(status.downlink?.branches.first { $0.branch == b2 }?.pending == 1)

        let (_, branchOut, _) = try lab.run(["--config", lab.path(b1), "status"])
        #expect(branchOut.contains("downlink: bundle 2 applied"))
    }

    @Test func bundlesSpreadOverTheStickApplyInSequenceInOneImport() throws {
        let lab = try catalogue()
        let b = lab.branches[0]
        let usb = lab.dir + "/usb"
        try lab.distribute()
        try lab.sql("ho", "UPDATE products SET name = 'Lungo' WHERE id = 1")
        try lab.distribute()
        try lab.copyDownlink(to: usb)
        // Bundle 1 at the stick's top, bundle 2 in the branch's folder: one import applies both.
        let first = Distributor.fileName(branch: b, sequence: 1)
        try FileManager.default.moveItem(atPath: usb + "/" + b + "/" + first, toPath: usb + "/" + first)
        let r = try lab.applyDownlink(b, from: usb)
        #expect(r.applied == [1, 2] && r.missing == nil && r.refused.isEmpty)
        #expect(try held(lab, "products", at: b) == expected(lab, "products", for: b))
    }
}

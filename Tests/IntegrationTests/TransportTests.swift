import AMQP
import Foundation
import MariaDB
import SaleSyncCore
import SaleSyncTesting
import Testing

@Suite struct TransportTests {
    /// A lab whose branch cuts big bundles into small chunks, so a transfer has many steps.
    func chunkyLab(chunk: String = "4k") throws -> Lab {
        let lab = try Lab(branches: 1, extraBranch: "\n[transfer]\nchunk_size = \"\(chunk)\"\n")
        try lab.initAll()
        return lab
    }

    func chunks(_ lab: Lab, _ b: String) throws -> (sent: Int, total: Int) {
        let c = try lab.db(b)
        defer { c.close() }
        let r = try c.query(
            "SELECT COALESCE(SUM(chunks_sent), 0), COALESCE(SUM(chunks_total), 0) FROM salesync_bundles WHERE status <> 'acked'"
        ).first
        return (Int(r?.int(0) ?? 0), Int(r?.int(1) ?? 0))
    }

    @Test func drainStopsAtItsDeadlineAndTheNextOneCompletes() throws {
        let lab = try chunkyLab()
        let b = lab.branches[0]
        try lab.sellNoise(b, 2_000)
        try lab.export(b)
        // 8 KiB/s over ~100 KiB: the deadline comes long before the end.
        let r = try lab.drain(b, DrainOptions(deadline: Date().addingTimeInterval(2), bandwidth: 8 << 10))
        #expect(r.deadlineReached)
        #expect(r.remaining == 1)
        let (sent, total) = try chunks(lab, b)
        #expect(sent > 0 && sent < total)
        let r2 = try lab.drain(b)
        #expect(r2.chunksSent == total - sent, "only the chunks not yet confirmed are sent again")
        try lab.ingest()
        #expect(try lab.drain(b).remaining == 0)
        #expect(try lab.differences(b) == 0)
    }

    @Test func drainKilledMidBundleResumesAndHeadOfficeReassembles() throws {
        let lab = try chunkyLab()
        let b = lab.branches[0]
        try lab.sellNoise(b, 2_000)
        try lab.export(b)
        let (code, _, _) = try lab.run(["--config", lab.path(b), "drain"], env: ["SALESYNC_FAULT": "drain-chunk-confirmed"])
        #expect(code == 99)
        let (sent, total) = try chunks(lab, b)
        #expect(sent > 0 && sent < total)
        // The head office may already hold the first chunks; the rest come in the next window.
        try lab.ingest()
        #expect(try lab.count("ho", branch: b) == 0)
        let (code2, _, err2) = try lab.run(["--config", lab.path(b), "drain"])
        #expect(code2 == 75, "sent, not yet acknowledged: \(err2)")
        try lab.ingest()
        let (code3, _, _) = try lab.run(["--config", lab.path(b), "drain"])
        #expect(code3 == 0)
        #expect(try lab.differences(b) == 0)
    }

    @Test func aFiftyMegabyteBundleCrossesInChunks() throws {
        let ddl = "CREATE TABLE big (id INT PRIMARY KEY, payload LONGBLOB NOT NULL) ENGINE=InnoDB"
        let lab = try Lab(
            branches: 1, table: ddl, tableName: "big",
            extraBranch: "\n[export]\nmax_bytes = \"256m\"\n")
        let b = lab.branches[0]
        try lab.initAll()
        let c = try lab.db(b)
        // Incompressible bytes, so the bundle itself is ~50 MB.
        for i in 0..<25 {
            var blob = [UInt8](repeating: 0, count: 2 << 20)
            for j in blob.indices { blob[j] = UInt8.random(in: 0...255) }
            try c.execute("INSERT INTO big VALUES (?, ?)", [.int(Int64(i)), .bytes(blob)])
        }
        c.close()
        let bundles = try lab.export(b)
        #expect(bundles.count == 1)
        #expect(bundles[0].bytes > 50_000_000)
        let r = try lab.drain(b)
        #expect(r.chunksSent == (bundles[0].bytes + (1 << 20) - 1) / (1 << 20))
        try lab.ingest()
        #expect(try lab.drain(b).remaining == 0)
        #expect(try lab.differences(b, table: "big") == 0)
    }

    @Test func bandwidthLimitHoldsWithinTenPercent() throws {
        let lab = try chunkyLab(chunk: "16k")
        let b = lab.branches[0]
        // Random text barely compresses: about 340 KB of bundle, 40 s at 8 KiB/s.
        try lab.sellNoise(b, 8_000)
        try lab.export(b)
        let rate = 8 << 10
        let started = Date()
        let r = try lab.drain(b, DrainOptions(deadline: Date().addingTimeInterval(60), bandwidth: rate))
        let elapsed = Date().timeIntervalSince(started)
        let measured = Double(r.bytesSent) / elapsed
        if elapsed >= 30 || !r.deadlineReached {
            #expect(measured <= Double(rate) * 1.10, "measured \(Int(measured)) B/s over \(Int(elapsed)) s")
            #expect(measured >= Double(rate) * 0.90 || !r.deadlineReached, "measured \(Int(measured)) B/s over \(Int(elapsed)) s")
        }
        #expect(elapsed >= 30, "the transfer should take at least 30 s at \(rate) B/s (took \(elapsed))")
    }

    @Test func usbRoundTripAndDoubleDeliveryAppliesOnce() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 300)
        let usb = lab.dir + "/usb"
        var (code, _, err) = try lab.run(["--config", lab.path(b), "export", "--to", usb])
        #expect(code == 0, "\(err)")
        // The same bundle also goes through the broker.
        try lab.drain(b)
        (code, _, err) = try lab.run(["--config", lab.path("ho"), "ingest", "--from", usb])
        #expect(code == 0, "\(err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: usb + "/acks").count == 1)
        try lab.ingest()
        #expect(try lab.count("ho", branch: b) == 300)
        (code, _, err) = try lab.run(["--config", lab.path(b), "acks", "--from", usb])
        #expect(code == 0, "\(err)")
        let outbox = try FileManager.default.contentsOfDirectory(atPath: try lab.config(b).outboxDir).filter { $0.hasSuffix(".ssb") }
        #expect(outbox.isEmpty)
        #expect(try lab.differences(b) == 0)
        #expect(try lab.scalar("ho", "SELECT COUNT(*) FROM salesync_applied") == "1")
    }

    @Test func secondRunWhileOneIsActiveExitsAtOnce() throws {
        let lab = try Lab(branches: 1)
        let b = lab.branches[0]
        try lab.initAll()
        let c = try lab.config(b)
        try FileManager.default.createDirectory(atPath: c.stateDir, withIntermediateDirectories: true)
        let held = try FileLock(path: c.stateDir + "/salesync.lock", what: "test")
        let started = Date()
        let (code, _, err) = try lab.run(["--config", lab.path(b), "run"])
        held.release()
        #expect(code == 75)
        #expect(err.contains("another salesync"))
        #expect(Date().timeIntervalSince(started) < 5)
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_runs") == "0", "nothing touched")
    }

    @Test func unreachableBrokerIsOneLineAndExit75() throws {
        let lab = try Lab(branches: 1, extraBranch: "")
        let b = lab.branches[0]
        try lab.initAll()
        try lab.sell(b, 5)
        let text = try String(contentsOfFile: lab.path(b), encoding: .utf8)
        let broken = text.replacingOccurrences(
            of: #"url = "amqp://[^"]*""#, with: "url = \"amqp://nobody@127.0.0.1:1/%2F\"", options: .regularExpression)
        try lab.write("\(b).toml", broken)
        let (code, out, err) = try lab.run(["--config", lab.path(b), "run"])
        #expect(code == 75)
        #expect(out.isEmpty)
        #expect(err.split(separator: "\n").count == 1 && err.contains("RabbitMQ"))
        // The export happened and waits in the outbox.
        #expect(try lab.scalar(b, "SELECT COUNT(*) FROM salesync_bundles WHERE status = 'pending'") == "1")
    }
}

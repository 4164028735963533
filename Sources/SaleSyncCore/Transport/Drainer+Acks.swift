import AMQP
import Foundation
import Logging
import MariaDB

extension Drainer {
    /// Takes every acknowledgement waiting in the branch's ack queue.
    func collectAcks(_ amqp: AMQPConnection) throws -> Int {
        var applied = 0
        while let d = try amqp.get(Topology.ackQueue(config.site)) {
            do {
                if try apply(try Ack.decode(d.body)) { applied += 1 }
            } catch let e as BundleError {
                logger.error("ignored a malformed acknowledgement: \(e)", metadata: ["branch": "\(config.site)"])
            }
            try amqp.ack(d.deliveryTag)
        }
        return applied
    }

    /// Applies one acknowledgement (from the broker or an ack file). Returns true when it changed
    /// a bundle's state; an ack for an unknown bundle or another checksum changes nothing.
    @discardableResult
    public func apply(_ ack: Ack) throws -> Bool {
        guard ack.branch == config.site else {
            logger.warning("acknowledgement for branch \(ack.branch) ignored (this is \(config.site))")
            return false
        }
        let meta: Logger.Metadata = ["branch": "\(ack.branch)", "seq": "\(ack.sequence)"]
        guard let row = try db.query("SELECT status, sha256, file FROM salesync_bundles WHERE seq = ?", [.uint(ack.sequence)]).first else {
            logger.warning("acknowledgement for unknown bundle ignored", metadata: meta)
            return false
        }
        guard row[1] == ack.sha256 else {
            logger.warning(
                "acknowledgement with another checksum ignored", metadata: meta.merging(["sha256": "\(ack.sha256)"]) { a, _ in a })
            return false
        }
        if BundleStatus(row, 0) == .acked { return false }
        switch ack.status {
        case .applied, .duplicate:
            try setStatus(.acked, ack.sequence, detail: "\(ack.status.rawValue), \(ack.rows) rows, state \(ack.verdict.rawValue)")
            logger.info("bundle acknowledged", metadata: meta.merging(["verdict": "\(ack.verdict.rawValue)"]) { a, _ in a })
            if ack.verdict == .drift {
                logger.error("the head office reports that its copy differs from this branch's data", metadata: meta)
            }
            try moveAcked(row[2] ?? "")
            // The whole tables sent after state_dir was lost are in: nothing is owed any more.
            try db.execute("DELETE FROM salesync_state_lost WHERE first_seq <= ?", [.uint(ack.sequence)])
        case .resend:
            try setStatus(.pending, ack.sequence, detail: "resend requested: \(ack.detail)")
            logger.notice("the head office asks for this bundle again", metadata: meta)
        case .rejected:
            try setStatus(.rejected, ack.sequence, detail: "rejected: \(ack.detail)")
            logger.error("the head office rejected this bundle: \(ack.detail)", metadata: meta)
        case .wentBack:
            // Kept, not sent again: its sales reach the head office when the branch rejoins.
            try setStatus(.wentBack, ack.sequence, detail: ack.detail)
            logger.error("\(ack.detail)", metadata: meta)
        }
        return true
    }

    /// Moves a bundle to `status` (back to pending: its transfer starts over).
    private func setStatus(_ status: BundleStatus, _ seq: UInt64, detail: String) throws {
        let stamp = status == .acked ? ", acked_at = NOW(6)" : status == .pending ? ", chunks_sent = 0" : ""
        try db.execute(
            "UPDATE salesync_bundles SET status = ?\(stamp), ack_detail = ? WHERE seq = ?",
            [status.sql, .text(String(detail.prefix(255))), .uint(seq)])
    }

    func moveAcked(_ file: String) throws {
        guard !file.isEmpty else { return }
        try ensureDirectory(config.ackedDir)
        let from = config.outboxDir + "/" + file
        if FileManager.default.fileExists(atPath: from) {
            try renameDurably(from: from, to: config.ackedDir + "/" + file)
        }
    }

    /// Moves acknowledged bundles still in the outbox (after a crash) and deletes acknowledged
    /// bundles older than `transfer.retention`.
    public func pruneAcked() throws {
        let retention = SQLValue.int(Int64(config.transfer.retention))
        for r in try db.query(
            """
            SELECT file, acked_at < NOW(6) - INTERVAL ? SECOND FROM salesync_bundles WHERE status = ?
              AND acked_at > NOW(6) - INTERVAL ? SECOND - INTERVAL 30 DAY
            """, [retention, BundleStatus.acked.sql, retention])
        {
            let file = r[0] ?? ""
            try moveAcked(file)
            if r[1] == "1" { try? FileManager.default.removeItem(atPath: config.ackedDir + "/" + file) }
        }
    }

    /// Imports ack files from a directory (the USB procedure's last step).
    public func importAcks(from dir: String) throws -> Int {
        let acks = dir + "/acks"
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: acks)) ?? []).filter { $0.hasSuffix(".ack.json") }.sorted()
        var n = 0
        for name in names {
            let ack: Ack
            do { ack = try Ack.decode(try readFile(acks + "/" + name)) } catch {
                throw SyncError.data("\(acks)/\(name): \(error)")
            }
            guard ack.branch == config.site else { continue }
            if try apply(ack) { n += 1 }
        }
        try pruneAcked()
        return n
    }
}

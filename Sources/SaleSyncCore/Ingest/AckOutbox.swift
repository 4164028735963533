import AMQP
import Foundation
import MariaDB

/// The acknowledgements the head office owes its branches (`salesync_outbound_acks`): recorded
/// in the transaction that settles a bundle, published until the broker confirms them, and
/// written as ack files for the USB procedure.
struct AckOutbox {
    let db: MariaDBConnection

    /// Records an acknowledgement owed (replacing an earlier one for the same bundle and status).
    func owe(_ ack: Ack) throws {
        try db.execute(
            """
            INSERT INTO salesync_outbound_acks (branch_id, seq, status, body, created_at) VALUES (?, ?, ?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE body = VALUES(body), sent_at = NULL
            """, [.text(ack.branch), .uint(ack.sequence), ack.status.sql, .bytes(ack.encoded())])
    }

    /// Publishes every acknowledgement owed (a batch at a time: one wait for the broker's
    /// confirms, one commit); each is marked sent only once the broker confirmed it.
    func send(_ amqp: AMQPConnection, batch: Int = 256) throws -> Int {
        let owed = try db.query(
            """
            SELECT branch_id, seq, status, body FROM salesync_outbound_acks WHERE sent_at IS NULL ORDER BY created_at LIMIT ?
            """, [.int(Int64(batch))])
        guard !owed.isEmpty else { return 0 }
        let ids = owed.map { "ack.\($0[0] ?? "").\($0[1] ?? "").\($0[2] ?? "")" }
        for (r, id) in zip(owed, ids) {
            let branch = r[0] ?? ""
            try (r.bytes(3) ?? []).withUnsafeBytes {
                try amqp.publish(exchange: Topology.ackExchange(branch), routingKey: branch, body: $0, messageId: id, type: "salesync.ack")
            }
        }
        let res = try amqp.awaitConfirms(maxOutstanding: 0, timeout: 30)
        let confirmed = zip(owed, ids).filter { res.confirmed.contains($0.1) }
        try db.transaction {
            for (r, _) in confirmed {
                try db.execute(
                    "UPDATE salesync_outbound_acks SET sent_at = NOW(6) WHERE branch_id = ? AND seq = ? AND status = ?",
                    [.text(r[0] ?? ""), .text(r[1] ?? ""), .text(r[2] ?? "")])
            }
        }
        faultPoint("ingest-ack-sent")
        if let missing = ids.first(where: { !res.confirmed.contains($0) }) {
            throw SyncError.temporary("the broker did not confirm acknowledgement \(missing): \(res.failed[missing] ?? "timeout")")
        }
        return confirmed.count + (owed.count == batch ? try send(amqp, batch: batch) : 0)
    }

    /// Writes an ack file for each of `bundles` that was applied (now or earlier) into `dir/acks/`.
    func writeFiles(for bundles: [(branch: String, seq: UInt64)], to dir: String) throws -> Int {
        let acksDir = dir + "/acks"
        try ensureDirectory(acksDir)
        var n = 0
        for (branch, seq) in bundles {
            for r in try db.query(
                "SELECT body FROM salesync_outbound_acks WHERE branch_id = ? AND seq = ? AND status IN (?, ?)",
                [.text(branch), .uint(seq), AckStatus.applied.sql, AckStatus.duplicate.sql])
            {
                let body = r.bytes(0) ?? []
                let ack = try Ack.decode(body)
                try writeFileAtomically(path: acksDir + "/" + ack.fileName, bytes: body)
                n += 1
            }
        }
        flushDirectory(acksDir)
        return n
    }
}

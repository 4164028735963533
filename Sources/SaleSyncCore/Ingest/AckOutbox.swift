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
        try db.execute("""
            INSERT INTO salesync_outbound_acks (branch_id, seq, status, body, created_at) VALUES (?, ?, ?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE body = VALUES(body), sent_at = NULL
            """, [.text(ack.branch), .uint(ack.sequence), ack.status.sql, .bytes(ack.encoded())])
    }

    /// Publishes every acknowledgement owed; each is marked sent only once the broker confirmed it.
    func send(_ amqp: AMQPConnection) throws -> Int {
        let owed = try db.query("SELECT branch_id, seq, status, body FROM salesync_outbound_acks WHERE sent_at IS NULL ORDER BY created_at")
        var sent = 0
        for r in owed {
            let branch = r[0] ?? ""
            let body = r.bytes(3) ?? []
            let id = "ack.\(branch).\(r[1] ?? "").\(r[2] ?? "")"
            try body.withUnsafeBytes {
                try amqp.publish(exchange: Topology.ackExchange(branch), routingKey: branch, body: $0, messageId: id, type: "salesync.ack")
            }
            let res = try amqp.awaitConfirms(maxOutstanding: 0, timeout: 30)
            guard res.confirmed.contains(id) else {
                throw SyncError.temporary("the broker did not confirm acknowledgement \(id): \(res.failed[id] ?? "timeout")")
            }
            try db.execute("UPDATE salesync_outbound_acks SET sent_at = NOW(6) WHERE branch_id = ? AND seq = ? AND status = ?",
                           [.text(branch), .text(r[1] ?? ""), .text(r[2] ?? "")])
            faultPoint("ingest-ack-sent")
            sent += 1
        }
        return sent
    }

    /// Writes an ack file for each of `bundles` that was applied (now or earlier) into `dir/acks/`.
    func writeFiles(for bundles: [(branch: String, seq: UInt64)], to dir: String) throws -> Int {
        let acksDir = dir + "/acks"
        try ensureDirectory(acksDir)
        var n = 0
        for (branch, seq) in bundles {
            for r in try db.query("SELECT body FROM salesync_outbound_acks WHERE branch_id = ? AND seq = ? AND status IN (?, ?)",
                                  [.text(branch), .uint(seq), AckStatus.applied.sql, AckStatus.duplicate.sql]) {
                let body = r.bytes(0) ?? []
                let ack = try Ack.decode(body)
                try writeFileAtomically(path: acksDir + "/" + ack.fileName, bytes: body)
                n += 1
            }
        }
        fsyncDirectory(of: acksDir + "/x")
        return n
    }
}

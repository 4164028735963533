import Foundation
import MariaDB

/// The head office's downlink bundles once written: copied for the USB procedure, acknowledged
/// by the branches.
public struct DownlinkOutbox {
    let config: Config
    let conn: MariaDBConnection

    public init(config: Config, connection: MariaDBConnection) {
        self.config = config
        self.conn = connection
    }

    /// The USB procedure: copies every branch's (or `only` one's) unacknowledged downlink bundles to `dir/<branch>/`.
    /// Returns how many were copied.
    public func copyPending(to dir: String, only: String? = nil) throws -> Int {
        var n = 0
        for r in try conn.query(
            """
            SELECT branch_id, file, sha256, \(FrameRef.columns) FROM salesync_downlink
            WHERE status <> ? AND (? IS NULL OR branch_id = ?) ORDER BY branch_id, seq
            """,
            [BundleStatus.acked.sql, only.map { .text($0) } ?? .null, only.map { .text($0) } ?? .null])
        {
            let branch = r[0] ?? ""
            try ensureDirectory(dir + "/" + branch)
            let file = r[1] ?? ""
            try Courier.copyChecked(
                Distributor.bundleBytes(config, branch: branch, file: file, frame: FrameRef(r, at: 3)), to: dir + "/" + branch + "/" + file,
                sha256: r[2] ?? "")
            n += 1
        }
        return n
    }

    /// Imports the acknowledgements branches wrote beside their downlink bundles
    /// (`dir/<branch>/acks/ho-to-*.ack.json`). Returns how many acknowledged a bundle.
    public func importAcks(from dir: String) throws -> Int {
        var n = 0
        for branch in config.branches.map(\.id) {
            let acks = dir + "/" + branch + "/acks"
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: acks)) ?? []).filter {
                $0.hasPrefix("ho-to-") && $0.hasSuffix(".ack.json")
            }
            for name in names.sorted() {
                let ack: Ack
                do { ack = try Ack.decode(try readFile(acks + "/" + name)) } catch {
                    throw SyncError.data("\(acks)/\(name): \(error)")
                }
                guard ack.branch == branch else {
                    throw SyncError.data("\(acks)/\(name): acknowledges branch \(ack.branch)'s bundle, found in \(branch)'s folder")
                }
                if try record(ack) { n += 1 }
            }
        }
        return n
    }

    /// Marks a downlink bundle acknowledged with the branch's verdict; its file is no longer
    /// needed. False when it was already. Throws when the ack names a bundle the head office did not send.
    func record(_ ack: Ack) throws -> Bool {
        guard
            let r = try conn.query(
                "SELECT sha256, status, file FROM salesync_downlink WHERE branch_id = ? AND seq = ?",
                [.text(ack.branch), .uint(ack.sequence)]
            ).first, r[0] == ack.sha256
        else {
            throw SyncError.data(
                "acknowledgement from \(ack.branch) for downlink bundle \(ack.sequence) (sha256 \(ack.sha256.prefix(12))) matches no bundle sent"
            )
        }
        guard r[1] != BundleStatus.acked.rawValue else { return false }
        let verdicts = ack.tables.map { String(decoding: (try? JSONEncoder().encode($0)) ?? Data(), as: UTF8.self) }
        try conn.execute(
            """
            UPDATE salesync_downlink SET status = ?, acked_at = NOW(6), verdict = ?, ack_detail = ?, table_verdicts = ?
            WHERE branch_id = ? AND seq = ?
            """,
            [
                BundleStatus.acked.sql, .text(ack.verdict.rawValue), .text(String(ack.detail.prefix(255))),
                verdicts.map { .text($0) } ?? .null, .text(ack.branch), .uint(ack.sequence),
            ])
        // The branch's copy differs from the head office's: it gets its whole copy again.
        if ack.verdict == .drift {
            try Self.requestResync(conn, branch: ack.branch, reason: "acknowledgement of bundle \(ack.sequence): \(ack.detail)")
        }
        Distributor.removeBundle(config, branch: ack.branch, file: r[2] ?? "")
        return true
    }

    /// Asks the next downlink export to send `branch` its whole copy again (a snapshot).
    public static func requestResync(_ conn: MariaDBConnection, branch: String, reason: String) throws {
        try conn.execute(
            """
            INSERT INTO salesync_downlink_resync (branch_id, reason, requested_at) VALUES (?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE reason = VALUES(reason), requested_at = VALUES(requested_at)
            """, [.text(branch), .text(String(reason.prefix(255)))])
    }
}

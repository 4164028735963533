import AMQP
import Foundation
import Logging
import MariaDB

/// Head office: publishes the branches' downlink bundles to their downlink queues (quorum, like
/// the rest), in chunks with publisher confirms, resuming a cut transfer at the next chunk. The
/// broker keeps them until the branch's window; the ingest service calls `send` between rounds.
final class DownlinkSender: ChunkLedger {
    let config: Config
    let db: MariaDBConnection
    let logger: Logger
    /// The branch whose bundle is being sent (its transfer records progress under it).
    private var branch = ""

    init(config: Config, connection: MariaDBConnection, logger: Logger) {
        self.config = config
        self.db = connection
        self.logger = logger
    }

    func enter(_ what: String) {}

    func recordConfirmed(_ seq: UInt64, upTo index: Int) throws {
        try db.execute(
            "UPDATE salesync_downlink SET chunks_sent = ? WHERE branch_id = ? AND seq = ?", [.int(Int64(index)), .text(branch), .uint(seq)])
    }

    func recordChunking(_ b: Drainer.Pending) throws {
        try db.execute(
            "UPDATE salesync_downlink SET chunk_size = ?, chunks_total = ?, chunks_sent = 0 WHERE branch_id = ? AND seq = ?",
            [.int(Int64(b.chunkSize)), .int(Int64(b.chunksTotal)), .text(branch), .uint(b.seq)])
    }

    /// Sends pending bundles, oldest first across branches, until about `budget` bytes went (the
    /// ingest loop's other work waits meanwhile). Returns the bytes sent.
    func send(_ amqp: AMQPConnection, budget: Int = 8 << 20) throws -> Int {
        var report = DrainReport()
        for r in try db.query(
            """
            SELECT branch_id, seq, file, sha256, chunk_size, chunks_total, chunks_sent, \(FrameRef.columns) FROM salesync_downlink
            WHERE status = ? ORDER BY seq, branch_id LIMIT 256
            """, [BundleStatus.pending.sql])
        {
            branch = r[0] ?? ""
            var b = Drainer.Pending(
                seq: r.uint(1) ?? 0, file: r[2] ?? "", sha: r[3] ?? "", status: .pending, chunkSize: Int(r.int(4) ?? 0),
                chunksTotal: Int(r.int(5) ?? 0), chunksSent: Int(r.int(6) ?? 0), sentLongAgo: false)
            let bytes = try Distributor.bundleBytes(config, branch: branch, file: b.file, frame: FrameRef(r, at: 7))
            guard BundleFormat.checksumField(of: bytes).hex == b.sha else {
                throw SyncError.data("downlink bundle \(branch)/\(b.seq): the file differs from the one recorded at export")
            }
            try fixChunking(&b, bundleSize: bytes.count, chunkSize: config.downlink.chunkSize)
            var transfer = ChunkTransfer(
                ledger: self, amqp: amqp, route: (branch, Topology.downlinkExchange(branch)), bundle: b, bytes: bytes,
                pace: Pace(bandwidth: nil))
            try transfer.run(DrainOptions(), &report, progress: nil)
            try db.execute(
                "UPDATE salesync_downlink SET status = ?, sent_at = NOW(6) WHERE branch_id = ? AND seq = ? AND status = ?",
                [BundleStatus.sent.sql, .text(branch), .uint(b.seq), BundleStatus.pending.sql])
            logger.info("downlink bundle sent", metadata: ["branch": "\(branch)", "seq": "\(b.seq)", "bytes": "\(bytes.count)"])
            if report.bytesSent >= budget { break }
        }
        return report.bytesSent
    }
}

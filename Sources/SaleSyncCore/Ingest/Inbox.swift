import MariaDB

/// The head office's durable inbox (`salesync_inbox`): chunks are stored here before the broker
/// forgets them, and a bundle leaves it in the same transaction that applies or refuses it.
struct Inbox {
    let db: MariaDBConnection

    /// Stores one chunk (a chunk seen twice is stored once). The queue a chunk came through
    /// decides which branch's inbox it lands in: a bundle claiming another branch is caught when
    /// checked against it.
    func store(_ c: Chunk, branch: String) throws {
        try db.execute(
            """
            INSERT IGNORE INTO salesync_inbox (branch_id, seq, sha256, chunk_count, chunk_index, bundle_size, payload, received_at)
            VALUES (?, ?, ?, ?, ?, ?, ?, NOW(6))
            """,
            [
                .text(branch), .uint(c.sequence), .text(c.bundleSHA256.hex), .int(Int64(c.count)), .int(Int64(c.index)),
                .int(Int64(c.bundleSize)), .bytes(c.payload),
            ])
    }

    /// Stores a whole bundle file (USB, or a retried quarantine entry) as a bundle of one chunk
    /// in the inbox of the branch it names.
    func store(whole file: BundleFile, _ bytes: [UInt8]) throws {
        let c = Chunk(
            branch: file.header.branch, sequence: file.header.sequence, index: 0, count: 1, bundleSize: bytes.count,
            bundleSHA256: Array(BundleFormat.checksumField(of: bytes)), payload: bytes)
        try store(c, branch: file.header.branch)
    }

    /// The branches with anything in the inbox (one query, however many branches are configured).
    func branches() throws -> Set<String> {
        Set(try db.query("SELECT DISTINCT branch_id FROM salesync_inbox").compactMap { $0[0] })
    }

    /// The branch's bundles whose chunks have all arrived, in sequence order.
    func complete(_ branch: String) throws -> [InboxBundle] {
        try db.query(
            """
            SELECT seq, sha256, chunk_count FROM salesync_inbox WHERE branch_id = ?
            GROUP BY seq, sha256, chunk_count HAVING COUNT(*) = chunk_count ORDER BY seq, MIN(received_at)
            """, [.text(branch)]
        ).map { InboxBundle(seq: $0.uint(0) ?? 0, sha: $0[1] ?? "", count: Int($0.int(2) ?? 0)) }
    }

    /// The bundle's bytes, its chunks joined in order.
    func assemble(_ branch: String, _ b: InboxBundle) throws -> [UInt8] {
        var out: [UInt8] = []
        for i in 0..<b.count {
            guard
                let r = try db.query(
                    """
                    SELECT payload FROM salesync_inbox WHERE branch_id = ? AND seq = ? AND sha256 = ? AND chunk_count = ? AND chunk_index = ?
                    """, [.text(branch), .uint(b.seq), .text(b.sha), .int(Int64(b.count)), .int(Int64(i))]
                ).first, let p = r.bytes(0)
            else {
                throw SyncError.other("chunk \(i) of bundle \(branch)/\(b.seq) vanished from the inbox")
            }
            out += p
        }
        return out
    }

    /// Removes the bundle's chunks (inside the transaction that applies or refuses it).
    func remove(_ branch: String, _ b: InboxBundle) throws {
        try db.execute(
            "DELETE FROM salesync_inbox WHERE branch_id = ? AND seq = ? AND sha256 = ? AND chunk_count = ?",
            [.text(branch), .uint(b.seq), .text(b.sha), .int(Int64(b.count))])
    }
}

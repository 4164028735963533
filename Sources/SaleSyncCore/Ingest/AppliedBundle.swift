import MariaDB

/// A bundle the head office applied (`salesync_applied`), as the console's branch page lists it.
public struct AppliedBundle: Sendable {
    public var seq: UInt64
    public var rows: Int64
    public var bytes: Int64?
    public var received: String?
    public var applied: String
    public var verdict: String

    /// The branch's most recent applied bundles, newest first.
    public static func recent(_ db: MariaDBConnection, branch: String, limit: Int = 50) throws -> [AppliedBundle] {
        try db.query(
            """
            SELECT seq, row_count, bytes, DATE_FORMAT(received_at, '%Y-%m-%d %H:%i:%s'), DATE_FORMAT(applied_at, '%Y-%m-%d %H:%i:%s'), verdict
            FROM salesync_applied WHERE branch_id = ? ORDER BY seq DESC LIMIT ?
            """, [.text(branch), .int(Int64(limit))]
        ).map {
            AppliedBundle(
                seq: $0.uint(0) ?? 0, rows: $0.int(1) ?? 0, bytes: $0.int(2), received: $0[3], applied: $0[4] ?? "", verdict: $0[5] ?? "")
        }
    }
}

import Foundation
import MariaDB

extension HeadOfficeStatus {
    /// When the head office last heard from `branch`: the latest of a bundle applied, a chunk
    /// received and a bundle refused (times stored in UTC); nil if never.
    public static func lastContact(_ db: MariaDBConnection, branch: String) throws -> Date? {
        let r = try db.query(
            """
            SELECT UNIX_TIMESTAMP(GREATEST(
              COALESCE((SELECT last_applied_at FROM salesync_branches WHERE branch_id = ?), '1970-01-02'),
              COALESCE((SELECT MAX(received_at) FROM salesync_inbox WHERE branch_id = ?), '1970-01-02'),
              COALESCE((SELECT MAX(created_at) FROM salesync_quarantine WHERE branch_id = ?), '1970-01-02')))
            """, [.text(branch), .text(branch), .text(branch)]
        ).first
        guard let t = r?[0].flatMap(Double.init), t > 86400 * 2 else { return nil }
        return Date(timeIntervalSince1970: t)
    }
}

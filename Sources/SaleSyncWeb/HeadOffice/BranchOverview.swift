import Foundation
import MariaDB
import SaleSyncCore

/// One row of the head office's Branches page: the status `salesync status` shows, when the
/// branch was last heard from, its window and its health.
public struct BranchOverview: Sendable {
    public var status: HeadOfficeStatus.Branch
    public var window: DailyWindow?
    public var lastContact: Date?
    public var health: BranchHealth

    /// Every configured branch, those needing attention first.
    public static func read(_ db: MariaDBConnection, config: Config, now: Date = Date()) throws -> [BranchOverview] {
        let status = try HeadOfficeStatus.read(db, config: config)
        let windows = Dictionary(config.branches.map { ($0.id, $0.window) }, uniquingKeysWith: { a, _ in a })
        return try status.branches.map { b in
            let contact = try lastContact(db, branch: b.branch)
            let w = windows[b.branch] ?? nil
            return BranchOverview(status: b, window: w, lastContact: contact,
                                  health: BranchHealth.assess(b, window: w, lastContact: contact, now: now))
        }.sorted { ($0.health.rank, $0.status.branch) < ($1.health.rank, $1.status.branch) }
    }

    /// The latest of: a bundle applied, a chunk received, a bundle refused (times stored in UTC).
    static func lastContact(_ db: MariaDBConnection, branch: String) throws -> Date? {
        let r = try db.query("""
            SELECT UNIX_TIMESTAMP(GREATEST(
              COALESCE((SELECT last_applied_at FROM salesync_branches WHERE branch_id = ?), '1970-01-02'),
              COALESCE((SELECT MAX(received_at) FROM salesync_inbox WHERE branch_id = ?), '1970-01-02'),
              COALESCE((SELECT MAX(created_at) FROM salesync_quarantine WHERE branch_id = ?), '1970-01-02')))
            """, [.text(branch), .text(branch), .text(branch)]).first
        guard let t = r?[0].flatMap(Double.init), t > 86400 * 2 else { return nil }
        return Date(timeIntervalSince1970: t)
    }
}

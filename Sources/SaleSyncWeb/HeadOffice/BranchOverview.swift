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
            let contact = try HeadOfficeStatus.lastContact(db, branch: b.branch)
            let w = windows[b.branch] ?? nil
            return BranchOverview(
                status: b, window: w, lastContact: contact,
                health: BranchHealth.assess(b, window: w, lastContact: contact, now: now))
        }.sorted { ($0.health.rank, $0.status.branch) < ($1.health.rank, $1.status.branch) }
    }
}

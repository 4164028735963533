import Foundation
import MariaDB

/// A branch that went back in time (docs/operations.md): its database or `state_dir` was
/// restored from a backup, or a new PC took its site id, and it numbers its bundles again from
/// a sequence the head office has already applied.
///
/// Why not the quarantine: such a bundle is genuine (signed by the branch, intact) and holds
/// real sales; it is not bad input but a branch that must be made whole again. Why hold every
/// later bundle too: applying the branch's new changes on top of rows it no longer has would
/// mix two histories. So the head office records the state, applies nothing more of the
/// branch's, and answers each bundle `went-back`; the branch keeps them until it rejoins.
extension BundleApplier {
    /// Records that `branch` went back in time (as of bundle `b`, or earlier if known), takes
    /// `b` out of the inbox unapplied and owes the branch an acknowledgement saying so, in one
    /// transaction.
    func settleWentBack(_ branch: String, _ b: InboxBundle, report: inout IngestReport) throws {
        let detail = try db.transaction { () -> String in
            let first = min(try position(branch, lock: true).wentBack ?? b.seq, b.seq)
            let lost = try db.query(
                "SELECT COUNT(*), COALESCE(SUM(row_count), 0) FROM salesync_applied WHERE branch_id = ? AND seq >= ?",
                [.text(branch), .uint(first)]
            ).first
            let detail = Self.wentBackDetail(
                branch, from: first, bundles: Int(lost?.int(0) ?? 0), rows: Int(lost?.int(1) ?? 0))
            try db.execute(
                """
                UPDATE salesync_branches SET went_back_seq = ?, went_back_at = COALESCE(went_back_at, NOW(6)), went_back_detail = ?
                WHERE branch_id = ?
                """, [.uint(first), .text(detail), .text(branch)])
            try acks.owe(
                Ack(status: .wentBack, branch: branch, sequence: b.seq, sha256: b.sha, rows: 0, verdict: .unchecked, detail: detail))
            try inbox.remove(branch, b)
            return detail
        }
        report.wentBack.insert(branch)
        logger.error("\(detail)", metadata: ["branch": "\(branch)", "seq": "\(b.seq)"])
    }

    /// What both ends show: what happened, what it means, what to do.
    static func wentBackDetail(_ branch: String, from first: UInt64, bundles: Int, rows: Int) -> String {
        "\(branch) went back in time: restored from a state before bundle \(first); \(rows) row change(s) in \(bundles) bundle(s) "
            + "from bundle \(first) on exist only at the head office; nothing more of \(branch)'s is applied until it rejoins: "
            + "run salesync rejoin at \(branch) (docs/operations.md)"
    }
}

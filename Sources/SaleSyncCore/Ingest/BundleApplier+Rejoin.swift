import Foundation
import MariaDB

/// The head office's half of a rejoin (docs/operations.md): a branch that went back in time is
/// sent its rows (`RejoinCopy`), merges them, and numbers its bundles on in a new epoch. Its
/// first bundle of that epoch ends the went-back state; a bundle of an older epoch is history
/// the branch dropped when it rejoined (its changes came again in the new epoch's bundles).
extension BundleApplier {
    /// Settles the complete bundles of a branch that went back in time: the next bundle of the
    /// epoch its rejoin copy opened ends that state (returns true: the caller applies it as
    /// usual); later ones of that epoch wait for it; any other is answered `went-back`.
    func settleWhileWentBack(_ branch: String, _ at: Position, _ ready: [InboxBundle], report: inout IngestReport) throws -> Bool {
        let (last, rejoin) = (at.last, at.rejoinEpoch)
        for b in ready {
            let file = try? Self.open(try inbox.assemble(branch, b), as: b)
            if let file, let rejoin, refusal(of: file, through: branch, as: b) == nil, file.header.history == rejoin {
                guard b.seq == last + 1 else { continue }
                try markRejoined(branch, epoch: rejoin, at: b.seq, report: &report)
                return true
            }
            try settleWentBack(branch, b, report: &report)
        }
        return false
    }

    /// The branch merged its rejoin copy: its bundles of the copy's epoch apply from `seq` on.
    private func markRejoined(_ branch: String, epoch: UInt64, at seq: UInt64, report: inout IngestReport) throws {
        try db.execute(
            """
            UPDATE salesync_branches SET epoch = ?, rejoin_epoch = NULL, went_back_seq = NULL, went_back_at = NULL,
              went_back_detail = NULL, rejoined_at = NOW(6) WHERE branch_id = ?
            """, [.uint(epoch), .text(branch)])
        report.rejoined.insert(branch)
        logger.notice("\(branch) rejoined: its bundles of epoch \(epoch) apply from bundle \(seq) on", metadata: ["branch": "\(branch)"])
    }

    /// Settles a bundle whose epoch is not the branch's; returns false when it is (or it is the
    /// first of the epoch a rejoin copy opened): the caller goes on as usual. An older one is
    /// answered and dropped; a newer one than any copy opened is refused.
    func settleOtherEpoch(
        _ branch: String, _ b: InboxBundle, _ file: BundleFile, _ bytes: [UInt8], last: UInt64, report: inout IngestReport
    ) throws -> Bool {
        let at = try position(branch)
        let (current, rejoin) = (at.epoch, at.rejoinEpoch)
        let epoch = file.header.history
        if epoch == current { return false }
        // A copy prepared for a branch that had not gone back (`salesync branch rejoin`).
        if epoch == rejoin && b.seq == last + 1 {
            try markRejoined(branch, epoch: epoch, at: b.seq, report: &report)
            return false
        }
        guard epoch < current else {
            try refuse(
                branch, b, bytes, reason: "bundle of epoch \(epoch); \(branch) is in epoch \(current) and no rejoin opened a later one",
                answer: .rejected, report: &report)
            return true
        }
        let detail =
            "bundle \(b.seq) of epoch \(epoch) was numbered before \(branch) rejoined (epoch \(current)); its changes came again in the new epoch"
        try db.transaction {
            try acks.owe(
                Ack(status: .wentBack, branch: branch, sequence: b.seq, sha256: b.sha, rows: 0, verdict: .unchecked, detail: detail))
            try inbox.remove(branch, b)
        }
        logger.warning("\(detail)", metadata: ["branch": "\(branch)", "seq": "\(b.seq)"])
        return true
    }
}

import Foundation
import SaleSyncCore

/// The branch's Sync page: what waits, what went, the last run, and the action running now.
struct SyncPage: Sendable {
    /// One bundle of the outbox.
    struct OutboxBundle: Sendable {
        let sequence: UInt64
        let status: String
        let rows: Int64
        let bytes: Int64
        let detail: String
    }

    /// What the Rejoin form says is waiting.
    struct Rejoin: Sendable {
        let copy: String
    }

    /// The action started from this page (the command line in a child process).
    struct Job: Sendable {
        let title: String
        let outcome: String
        let user: String
        let log: String
        let started: String
        let ended: String?
    }

    let unexported: String
    let pending: Int
    let sent: Int
    let acked: Int
    let rejected: Int
    /// The head office's words when this branch went back in time (none or one).
    let wentBack: [String]
    /// Offered when the branch went back in time or a rejoin copy waits (none or one).
    let rejoin: [Rejoin]
    /// The last rejoin's report (none or one).
    let lastRejoin: [BranchStatus.Rejoin]
    let lastSequence: UInt64
    let oldest: String
    let lastRun: String
    let verdict: String
    let nextWindow: String
    let bundles: [OutboxBundle]
    let busy: Bool
    let job: Job?

    init(_ s: BranchStatus, window: DailyWindow?, job: SyncJob?, now: Date = Date()) {
        let time = BranchRow.timeFormat
        unexported =
            s.comparesTables
            ? "found at the next sync (capture compares the tables with what was last exported)"
            : s.tables.map { "\($0.name): \($0.unexportedChanges)" }.joined(separator: ", ")
        pending = s.pending.count
        sent = s.sent.count
        acked = s.acknowledged.count
        rejected = s.rejected.count
        wentBack = s.wentBackDetail.map { [$0] } ?? []
        rejoin =
            s.wentBackDetail != nil || s.rejoinCopy != nil
            ? [Rejoin(copy: s.rejoinCopy.map { "the head office's copy has arrived (\($0))" } ?? "the head office's copy comes with it")]
            : []
        lastRejoin = s.lastRejoin.map { [$0] } ?? []
        lastSequence = s.lastSequence
        oldest = DurationText.format(s.oldestUnacknowledgedSeconds, missing: "–")
        lastRun = s.lastRun.map { "\($0.command) started \($0.started), \($0.outcome ?? "running")" } ?? "never"
        verdict = s.bundles.first { $0.status == .acked }?.detail ?? "none yet"
        nextWindow = window.map { "\($0) (opens \(time.string(from: $0.nextStart(after: now))))" } ?? "not set ([web] window)"
        bundles = s.bundles.map {
            OutboxBundle(sequence: $0.sequence, status: $0.status.rawValue, rows: $0.rows, bytes: $0.bytes, detail: $0.detail ?? "")
        }
        busy = job?.running ?? false
        self.job = job.map {
            Job(
                title: $0.title, outcome: $0.outcome, user: $0.user, log: $0.lines.joined(separator: "\n"),
                started: time.string(from: $0.started), ended: $0.ended.map { time.string(from: $0) })
        }
    }
}

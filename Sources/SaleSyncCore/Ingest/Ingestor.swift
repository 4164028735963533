import AMQP
import Crypto
import Foundation
import Logging
import MariaDB

/// The head office's side: receives chunks into the durable inbox, applies complete bundles
/// per branch strictly in sequence (on up to two lanes, see ApplyGate.swift), and owes each
/// branch an acknowledgement. IngestService runs the rounds: `receive`, `applyReady`, `sendAcks`.
public final class Ingestor {
    let config: Config
    let db: MariaDBConnection
    let logger: Logger
    let keys: BranchKeys
    let inbox: Inbox
    /// The lane on the caller's connection.
    let primary: BundleApplier
    /// The second lane, with a connection of its own, opened on first use (see Ingestor+Lanes.swift).
    var second: BundleApplier?
    var secondUnavailable = false

    public init(config: Config, connection: MariaDBConnection, logger: Logger) throws {
        self.config = config
        self.db = connection
        self.logger = logger
        keys = try BranchKeys(config: config)
        try keys.refresh(connection)
        inbox = Inbox(db: connection)
        primary = BundleApplier(config: config, connection: connection, logger: logger, keys: keys)
    }

    /// Closes the connection this ingestor opened itself (the caller's stays open).
    public func close() {
        second?.db.close()
        second = nil
    }

    deinit { close() }

    /// Bundles applied or re-acknowledged by this ingestor, for ack files (USB).
    var touched: [(branch: String, seq: UInt64)] { primary.touched + (second?.touched ?? []) }

    /// Applies every complete bundle that is next in its branch's sequence, branch by branch.
    /// A branch another ingest process is working on is skipped (database lock per branch).
    /// Many branches' next bundles go in groups first, several to a transaction (Ingestor+Groups.swift).
    public func applyReady(report: inout IngestReport, only: Set<String>? = nil, stop: @escaping @Sendable () -> Bool = { false }) throws {
        let branches = config.branches.map(\.id).filter { only?.contains($0) ?? true }
        try keys.refresh(db)
        let settled = try applyGrouped(branches, report: &report, stop: stop)
        for b in branches where !settled.contains(b) {
            if stop() { return }
            guard try lockBranch(b) else {
                logger.debug("another ingest is applying this branch's bundles", metadata: ["branch": "\(b)"])
                continue
            }
            defer { unlockBranch(b) }
            try applyBranch(b, report: &report, stop: stop)
        }
    }

    /// Takes the branch's apply lock if no other ingest process holds it (a database lock, so
    /// that processes on several hosts share the branches without applying one twice).
    func lockBranch(_ branch: String) throws -> Bool {
        try db.query("SELECT GET_LOCK(?, 0)", [.text(branchLock(branch))]).first?[0] == "1"
    }

    func unlockBranch(_ branch: String) {
        _ = try? db.query("SELECT RELEASE_LOCK(?)", [.text(branchLock(branch))])
    }

    private func branchLock(_ branch: String) -> String { "salesync-ingest-\(config.database.name)-\(branch)" }

    /// The branches whose inbox holds chunks: all a periodic look needs to visit.
    public func branchesWithChunks() throws -> Set<String> { try inbox.branches() }

    /// Settles the branch's complete bundles in order until the next one has not arrived.
    func applyBranch(_ branch: String, report: inout IngestReport, stop: @escaping @Sendable () -> Bool) throws {
        while !stop() {
            let at = try primary.position(branch)
            let last = at.last
            let ready = try inbox.complete(branch)
            // A branch that went back in time: nothing of its is applied until it rejoins.
            if at.wentBack != nil {
                if try primary.settleWhileWentBack(branch, at, ready, report: &report) { continue }
                return
            }
            // A copy of a bundle already applied: re-acknowledged or quarantined, one at a time.
            if let seen = ready.first(where: { $0.seq <= last }) {
                try primary.settle(branch, seen, last: last, report: &report)
                continue
            }
            // The run of consecutive sequence numbers that can be applied now.
            var run: [InboxBundle] = []
            for c in ready where c.seq == last + 1 + UInt64(run.count) && run.count < 64 { run.append(c) }
            if run.isEmpty {
                let held = ready.map(\.seq)
                if !held.isEmpty { report.held[branch] = held }
                return
            }
            let heldBefore = report.schemaHeld
            if run.count > 1, let second = secondLane() {
                try applyPipelined(branch, run, second: second, report: &report, stop: stop)
            } else {
                try primary.settle(branch, run[0], last: last, report: &report)
            }
            // A schema change waits for an operator: so does the rest of the branch (in order).
            if report.schemaHeld > heldBefore {
                report.held[branch] = ready.map(\.seq)
                return
            }
        }
    }

    /// Publishes every acknowledgement owed.
    public func sendAcks(_ amqp: AMQPConnection) throws -> Int {
        try AckOutbox(db: db).send(amqp)
    }

    /// Writes an ack file for every bundle this ingestor handled into `dir/acks/` (USB procedure).
    public func writeAckFiles(to dir: String) throws -> Int {
        try AckOutbox(db: db).writeFiles(for: touched, to: dir)
    }
}

import Foundation

// Applying a branch's bundles two at a time. The model is MariaDB's own in-order parallel
// replication: bundle N+1 loads its rows on a second connection while bundle N is still being
// applied, but it records itself (running checksum, last applied sequence, ack) only after N has
// committed, and the database checks that order under a row lock. So a crash at any instant still
// leaves a prefix of the sequence applied, each bundle whole or not at all.
//
// Overlap is allowed only when the two bundles touch disjoint keys (and neither resets a table);
// otherwise N+1 waits for N to finish first. If N fails or meets a lock conflict, N+1 rolls back
// and is applied again later.

/// How one bundle of a pipelined run is doing, as seen by the bundle after it.
///
/// Sendable by proof rather than by type: every stored property is read and written only with
/// `cond` held (a condition variable, which `Mutex` does not offer: the next bundle waits on it).
final class ApplyGate: @unchecked Sendable {
    private let cond = NSCondition()
    private var prepared = false
    private var touched: [String: Set<Int>]?
    private var outcome: Bool?
    private var troubled = false

    /// What the bundle after this one learns once this one is decoded and its tables are ready.
    enum Overlap { case independent, dependent, finished(applied: Bool) }

    /// Announces the keys this bundle touches per table (nil: any row).
    func publish(touched: [String: Set<Int>]?) {
        cond.lock(); defer { cond.unlock() }
        self.touched = touched
        prepared = true
        cond.broadcast()
    }

    /// The bundle is done: committed (`applied`) or not.
    func finish(applied: Bool) {
        cond.lock(); defer { cond.unlock() }
        if outcome == nil { outcome = applied }
        prepared = true
        touched = nil  // a finished bundle overlaps nothing: its key sets (MBs per bundle) can go
        cond.broadcast()
    }

    /// The bundle hit a deadlock or lock timeout and will retry: the one after it must let go.
    func markTroubled() {
        cond.lock(); defer { cond.unlock() }
        troubled = true
        cond.broadcast()
    }

    /// Waits until this bundle has announced its keys, then says whether `mine` may overlap it.
    func overlap(with mine: [String: Set<Int>]?) -> Overlap {
        cond.lock(); defer { cond.unlock() }
        while !prepared { cond.wait() }
        if let outcome { return .finished(applied: outcome) }
        // Only the next bundle asks, once: the sets are not kept for the rest of the run.
        defer { touched = nil }
        guard let theirs = touched, let mine else { return .dependent }
        for (table, keys) in mine {
            guard let other = theirs[table] else { continue }
            let disjoint = keys.count < other.count ? keys.isDisjoint(with: other) : other.isDisjoint(with: keys)
            if !disjoint { return .dependent }
        }
        return .independent
    }

    /// Waits until this bundle committed (true), or failed, was not applied, or ran into trouble.
    func awaitApplied() -> Bool {
        cond.lock(); defer { cond.unlock() }
        while outcome == nil && !troubled { cond.wait() }
        return outcome == true
    }
}

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
        touched = nil // a finished bundle overlaps nothing: its key sets (MBs per bundle) can go
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

/// Thrown inside a pipelined bundle's transaction when the bundle before it did not commit:
/// the transaction rolls back and the bundle is applied again in a later round.
struct Deferred: Error {}

/// Hands work to exactly one other thread, and lets go of it once run: the work may capture a
/// closure that must not outlive the call that started the thread (`withoutActuallyEscaping`).
final class Handoff: @unchecked Sendable {
    private var work: (() -> Void)?
    init(_ work: @escaping () -> Void) { self.work = work }

    func run() {
        let w = work
        work = nil
        w?()
    }
}

/// Per table, hashes of the primary keys a bundle's changes touch; nil when the bundle may touch
/// any row: it resets a table, or a text key compares by a collation under which different bytes
/// can be the same key. Hash collisions only make two bundles look dependent, which is safe.
func touchedKeys(_ tables: [TableChanges]) -> [String: Set<Int>]? {
    var out: [String: Set<Int>] = [:]
    for t in tables {
        if t.section.reset { return nil }
        let schema = t.section.schema
        var trim: [Bool] = []
        for c in schema.keyColumns {
            if c.kind == .bytes, let cs = c.charset?.lowercased(), cs != "binary" {
                // *_bin compares bytes, but pads: 'a' and 'a ' are one key.
                guard c.collation?.lowercased().hasSuffix("_bin") == true else { return nil }
                trim.append(true)
            } else {
                trim.append(false)
            }
        }
        var set = Set<Int>(minimumCapacity: t.upserts.count + t.deletes.count)
        func add(_ batch: RowBatch, _ keyColumns: [Int]) {
            batch.withColumnViews { views in
                for r in 0..<batch.count {
                    var h = Hasher()
                    for (j, ci) in keyColumns.enumerated() {
                        let col = views[ci]
                        if col.isNull(r) { h.combine(-1); continue }
                        var v = col.value(r)
                        if trim[j] { while let last = v.last, last == 32 { v = UnsafeBufferPointer(rebasing: v.dropLast()) } }
                        h.combine(bytes: UnsafeRawBufferPointer(v))
                        h.combine(v.count)
                    }
                    set.insert(h.finalize())
                }
            }
        }
        add(t.upserts, schema.keyIndexes)
        add(t.deletes, Array(0..<schema.keyIndexes.count))
        out[schema.name, default: []].formUnion(set)
    }
    return out
}

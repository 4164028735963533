import Foundation

extension Ingestor {
    /// The second lane, opened on first use; nil when configured off or the database refuses
    /// another connection (then bundles are applied one at a time).
    func secondLane() -> BundleApplier? {
        guard config.parallelBundles > 1, !secondUnavailable else { return nil }
        if second == nil {
            do {
                let conn = try Database.connect(config, localInfile: true)
                // Two lanes wait for each other only through an unexpected lock conflict: let it
                // surface in seconds (both retry), not after InnoDB's default 50.
                // The same for metadata locks, which trigger DDL of another process may queue.
                for c in [conn, db] { try c.execute("SET SESSION innodb_lock_wait_timeout = 10, SESSION lock_wait_timeout = 30") }
                second = BundleApplier(config: config, connection: conn, logger: logger, keys: keys)
            } catch {
                logger.warning("applying one bundle at a time: no second database connection (\(error))")
                secondUnavailable = true
            }
        }
        return second
    }

    /// Applies `run` (consecutive sequence numbers, the first one next) on two lanes: bundles at
    /// even positions on the primary lane, odd ones on the second, each gated by the one before.
    func applyPipelined(
        _ branch: String, _ run: [InboxBundle], second: BundleApplier, report: inout IngestReport,
        stop: @escaping @Sendable () -> Bool
    ) throws {
        let gates = run.map { _ in ApplyGate() }
        // The second lane's applier and connection are used by its thread alone until `value()`
        // returns: this thread drives only the primary lane meanwhile.
        let lane = HandedOver(second)
        let other = Background("lane") { Self.drive(lane.value, lane: 1, branch, run, gates, stop) }
        let mine = Self.drive(primary, lane: 0, branch, run, gates, stop)
        let theirs = other.value()
        var both = mine.report
        both.add(theirs.report)
        both.applied.sort { $0.seq < $1.seq }
        report.add(both)
        if let e = mine.error ?? theirs.error { throw e }
    }

    /// What one lane of a pipelined run did.
    struct LaneOutcome: Sendable {
        var report = IngestReport()
        var error: Error?
    }

    /// One lane's share of a pipelined run: every second bundle from position `lane`. After a
    /// failure it only opens the gates of the rest, so the other lane's bundles roll back.
    private static func drive(
        _ applier: BundleApplier, lane: Int, _ branch: String, _ run: [InboxBundle],
        _ gates: [ApplyGate], _ stop: () -> Bool
    ) -> LaneOutcome {
        var out = LaneOutcome()
        for i in stride(from: lane, to: run.count, by: 2) {
            if out.error != nil || stop() { gates[i].finish(applied: false); continue }
            do {
                let applied = try applier.settle(
                    branch, run[i], last: run[i].seq - 1, report: &out.report,
                    after: i > 0 ? gates[i - 1] : nil, gate: gates[i])
                gates[i].finish(applied: applied)
            } catch {
                out.error = error
                gates[i].finish(applied: false)
            }
        }
        return out
    }
}

import Foundation
import Testing

@testable import SaleSyncCore

/// The rules that decide whether two bundles of a branch may be applied at the same time.
@Suite struct PipelineTests {
    func changes(_ keys: [String], deletes: [String] = [], collation: String = "utf8mb4_bin", reset: Bool = false) -> TableChanges {
        let cols = [
            ColumnInfo(name: "k", type: "varchar(9)", kind: .bytes, nullable: false, key: 1, charset: "utf8mb4", collation: collation),
            ColumnInfo(name: "v", type: "int(11)", kind: .integer, nullable: true),
        ]
        var up = RowBatch(columnCount: 2)
        for k in keys { up.append(strings: [k, "1"]) }
        var del = RowBatch(columnCount: 1)
        for k in deletes { del.append(strings: [k]) }
        var section = TableSection(
            name: "t", fingerprint: "", columns: cols, logFrom: 1, logTo: 1, upserts: keys.count, deletes: deletes.count, state: nil)
        section.reset = reset
        return TableChanges(section: section, upserts: up, deletes: del)
    }

    func overlap(_ a: TableChanges, _ b: TableChanges) -> ApplyGate.Overlap {
        let gate = ApplyGate()
        gate.publish(touched: touchedKeys([a]))
        return gate.overlap(with: touchedKeys([b]))
    }

    @Test func disjointKeysMayOverlapSharedKeysMayNot() {
        if case .independent = overlap(changes(["a", "b"]), changes(["c"], deletes: ["d"])) {} else { Issue.record("disjoint keys") }
        if case .dependent = overlap(changes(["a", "b"]), changes(["c"], deletes: ["b"])) {
        } else {
            Issue.record("a delete of an upserted key")
        }
        // *_bin pads: 'a' and 'a ' are one key to the server.
        if case .dependent = overlap(changes(["a"]), changes(["a  "])) {} else { Issue.record("trailing spaces") }
    }

    @Test func resetsAndCollatedKeysAreNeverOverlapped() {
        #expect(touchedKeys([changes(["a"], reset: true)]) == nil)
        // Under a case-insensitive collation 'A' and 'a' are one key: bytes cannot tell.
        #expect(touchedKeys([changes(["A"], collation: "utf8mb4_general_ci")]) == nil)
        if case .dependent = overlap(changes(["x"], reset: true), changes(["y"])) {} else { Issue.record("reset") }
    }

    @Test func aFinishedOrTroubledPredecessorAnswersAtOnce() {
        let done = ApplyGate()
        done.finish(applied: true)
        if case .finished(applied: true) = done.overlap(with: [:]) {} else { Issue.record("finished") }
        #expect(done.awaitApplied())
        let troubled = ApplyGate()
        troubled.publish(touched: [:])
        troubled.markTroubled()
        #expect(!troubled.awaitApplied(), "a predecessor in a lock conflict makes the next bundle let go")
        let failed = ApplyGate()
        failed.finish(applied: false)
        #expect(!failed.awaitApplied())
    }

    @Test func theNextBundleWaitsForThePredecessorsOutcome() async {
        let gate = ApplyGate()
        gate.publish(touched: [:])
        let waiter = Task.detached { gate.awaitApplied() }
        try? await Task.sleep(nanoseconds: 50_000_000)
        gate.finish(applied: true)
        #expect(await waiter.value)
    }
}

import Foundation
import Testing

@testable import SaleSyncCore

/// The export's bundle workers: bundles encoded two at a time come back in sequence order, each
/// file the same bytes a direct encode gives; a bundle that cannot be written fails the export.
@Suite struct BundleWorkersTests {
    func settings(outbox: String) -> BundleWorkers.Settings {
        .init(site: "bo1", kind: .changes, created: "2026-12-07T00:00:00.000000Z", key: testKey, level: 6, epoch: nil, outbox: outbox)
    }

    func tables(_ n: Int) -> [TableChanges] {
        var up = RowBatch(columnCount: allTypes.columns.count)
        for i in 0..<n { up.append(row(String(i), "k\(i)", nil, String(i * 7), "1.50", nil, nil, "2026-12-07", nil, nil, "x", nil)) }
        return [TableChanges(section: section(allTypes), upserts: up, deletes: RowBatch(columnCount: allTypes.keyIndexes.count))]
    }

    @Test func bundlesComeBackInOrderAsEncoded() throws {
        let dir = NSTemporaryDirectory() + "salesync-workers-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let workers = BundleWorkers(settings(outbox: dir))
        // Larger bundles first, so that later ones tend to finish before earlier ones.
        for seq in UInt64(1)...8 { try workers.submit(sequence: seq, tables: tables(Int(9 - seq) * 2_000), rows: Int(9 - seq) * 2_000) }
        let written = try workers.wait()
        #expect(written.map(\.sequence) == Array(1...8))
        for b in written {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: dir + "/" + b.file + ".tmp")))
            let direct = try BundleFormat.encode(
                branch: "bo1", sequence: b.sequence, kind: .changes, created: "2026-12-07T00:00:00.000000Z",
                tables: tables(b.rows), key: testKey)
            #expect(bytes == direct, "bundle \(b.sequence)")
            #expect(b.bytes == bytes.count && b.sha256 == BundleFormat.checksumField(of: bytes).hex)
        }
    }

    @Test func aBundleThatCannotBeWrittenFailsTheExport() throws {
        let workers = BundleWorkers(settings(outbox: "/nonexistent-\(UUID().uuidString)"))
        try workers.submit(sequence: 1, tables: tables(10), rows: 10)
        #expect(throws: (any Error).self) { try workers.wait() }
        #expect(throws: (any Error).self) { try workers.submit(sequence: 2, tables: tables(10), rows: 10) }
    }
}

import Foundation
import Testing

@testable import SaleSyncCore

/// The pieces of the comparing capture's merge that need no server: integer keys from their
/// text, seen blocks, row fingerprints, and the spool it reads back chunk by chunk.
@Suite struct CompareMergeTests {
    /// An integer key comes back as its number from any text the server sends for it (ZEROFILL's
    /// zeros, the extremes of signed and unsigned BIGINT); anything else is refused; its block is
    /// its number divided by 64 rounded down, negatives too.
    @Test func integerKeysReadBackAsTheirNumbers() {
        func key(_ s: String) -> Int128? { Array(s.utf8).withUnsafeBufferPointer { SeenBlocks.key($0) } }
        var numbers: [Int128] = [0, -1, 1, 63, 64, -64, -65, Int128(Int64.max), Int128(Int64.min), Int128(UInt64.max)]
        for _ in 0..<500 { numbers.append(Int128(Int64.random(in: -1_000_000...1_000_000))) }
        for n in numbers { #expect(key(String(n)) == n) }
        #expect(key("0042") == 42)
        for bad in ["", "-", "4x", "1.5", " 1", "123456789012345678901"] { #expect(key(bad) == nil, "\(bad)") }
        #expect(SeenBlocks.block(-1) == -1 && SeenBlocks.block(-64) == -1 && SeenBlocks.block(-65) == -2)
        #expect(SeenBlocks.block(63) == 0 && SeenBlocks.block(64) == 1 && SeenBlocks.block(Int128(UInt64.max)) == Int64(UInt64.max >> 6))
    }

    /// The writer keeps the blocks where something changed, whole, and names those left empty;
    /// the reader gives back their entries in key order.
    @Test func seenBlocksComeBackAsWritten() throws {
        let dir = NSTemporaryDirectory() + "salesync-blocks-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var writer = try SeenBlocks.Writer(directory: dir)
        var kept: [SeenBlocks.Entry] = []
        var dirty = Set<Int64>()
        var removedOnly = Set<Int64>()
        let keys = Set((0..<3000).map { _ in Int128(Int64.random(in: -5000...5000)) }).sorted()
        for k in keys {
            let e = SeenBlocks.Entry(key: k, hash: UInt64.random(in: 0...UInt64.max), fingerprint: UInt64.random(in: 0...UInt64.max))
            switch Int.random(in: 0..<10) {
            case 0:
                try writer.remove(k)
                dirty.insert(SeenBlocks.block(k))
            case 1:
                try writer.add(e, changed: true, existed: false)
                dirty.insert(SeenBlocks.block(k))
                kept.append(e)
            default:
                try writer.add(e, changed: false, existed: true)
                kept.append(e)
            }
        }
        // A block whose only key went.
        try writer.remove(100_000)
        removedOnly.insert(SeenBlocks.block(100_000))
        try writer.finish()
        #expect(Set(writer.emptied) == removedOnly.union(dirty.filter { b in !kept.contains { SeenBlocks.block($0.key) == b } }))
        let reader = try SeenBlocks.Reader(writer.changed)
        var back: [SeenBlocks.Entry] = []
        while let e = try reader.next() { back.append(e) }
        #expect(back == kept.filter { dirty.contains(SeenBlocks.block($0.key)) })
    }

    /// Fingerprints tell apart rows that differ anywhere: NULL from empty and from the text NULL,
    /// a byte moved across a column boundary, any one byte changed in values of any length.
    @Test func fingerprintsTellRowsApart() {
        func fingerprint(_ row: [[UInt8]?]) -> UInt64 {
            var batch = RowBatch(columnCount: row.count)
            batch.append(row)
            return batch.withColumnViews { RowFingerprint.of($0, 0) }
        }
        #expect(Set([fingerprint([nil]), fingerprint([[]]), fingerprint([Array("NULL".utf8)])]).count == 3)
        #expect(fingerprint([Array("ab".utf8), Array("c".utf8)]) != fingerprint([Array("a".utf8), Array("bc".utf8)]))
        var seen = Set<UInt64>()
        for length in 0..<48 {
            let value = (0..<length).map { _ in UInt8.random(in: 0...255) }
            #expect(fingerprint([value, nil]) == fingerprint([value, nil]))
            seen.insert(fingerprint([value, nil]))
            for at in 0..<length {
                var other = value
                other[at] ^= 1 << UInt8.random(in: 0..<8)
                #expect(seen.insert(fingerprint([other, nil])).inserted, "length \(length), byte \(at)")
            }
        }
    }

    /// A hash read back from its text, as the seen table holds it.
    @Test func unsignedTextReadsBack() {
        for v: UInt64 in [0, 1, 12_345, UInt64.max] { #expect(CompareFeed.unsigned(Array(String(v).utf8)) == v) }
        #expect(CompareFeed.unsigned(nil as [UInt8]?) == 0)
    }

    /// Rows come back as appended, NULLs and empty values kept, whether a value is tiny or larger
    /// than the reader's chunk, and rows straddle chunk boundaries.
    @Test func spoolRowsComeBackAsAppended() throws {
        let dir = NSTemporaryDirectory() + "salesync-spool-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let spool = try Spool(directory: dir)
        var rows: [[[UInt8]?]] = []
        for i in 0..<20_000 {
            let big = i == 7_000 ? [UInt8](repeating: 7, count: 3 << 20) : Array("value \(i)".utf8)
            rows.append([Array(String(i).utf8), i % 5 == 0 ? nil : big, []])
        }
        for r in rows { try spool.append(r) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)  // unlinked at once
        var back: [[[UInt8]?]] = []
        try spool.forEach(columns: 3) { row in back.append((0..<row.count).map { row.bytes($0) }) }
        #expect(back.count == rows.count)
        #expect(back == rows)
        let reader = try spool.reader(columns: 3)
        let first = try reader.next()
        #expect(first?.bytes(0) == rows[0][0] && first?.bytes(1) == nil && first?.equals(2, []) == true)
    }
}

import Foundation
import Testing

@testable import SaleSyncCore

/// The pieces of the comparing capture's merge that need no server: the order of integer keys
/// from their text, and the spool it reads back chunk by chunk.
@Suite struct CompareMergeTests {
    /// Sorting decimal texts with `integerOrder` sorts their numbers, negatives and all.
    @Test func integerTextSortsAsItsNumbers() {
        var numbers: [Int64] = [0, -1, 1, 9, 10, -9, -10, Int64.max, Int64.min + 1, 99, 100, -100]
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<500 { numbers.append(Int64.random(in: -1_000_000...1_000_000, using: &rng)) }
        let texts = numbers.map { Array(String($0).utf8) }
        let sorted = texts.sorted { CompareFeed.integerOrder($0, $1) < 0 }.map { Int64(String(decoding: $0, as: UTF8.self))! }
        #expect(sorted == numbers.sorted())
        #expect(CompareFeed.integerOrder(Array("42".utf8), Array("42".utf8)) == 0)
        // ZEROFILL pads to one width: order by bytes.
        #expect(CompareFeed.integerOrder(Array("0042".utf8), Array("0100".utf8)) < 0)
        #expect(CompareFeed.integerOrder(Array("18446744073709551615".utf8), Array("9223372036854775807".utf8)) > 0)
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

import Testing

@testable import SaleSyncCore

/// How the head office turns a bundle's integer keys into runs for its lookups and deletes.
@Suite struct KeyRangesTests {
    func batch(_ values: [String?]) -> RowBatch {
        var b = RowBatch(columnCount: 1)
        for v in values { b.append(strings: [v]) }
        return b
    }

    func runs(_ values: [String?]) -> [[Int64]]? {
        KeyRanges.runs(batch(values))?.map { [$0.first, $0.last] }
    }

    @Test func consecutiveKeysInAnyOrderBecomeOneRun() {
        #expect(runs(["5", "3", "4", "10", "-2", "-1", "11", "7"]) == [[-2, -1], [3, 5], [7, 7], [10, 11]])
    }

    @Test func aKeyTwiceIsOneKey() {
        #expect(runs(["1", "2", "2", "3"]) == [[1, 3]])
    }

    @Test func theExtremesDoNotOverflow() {
        #expect(
            runs(["9223372036854775807", "9223372036854775806", "-9223372036854775808"])
                == [[Int64.min, Int64.min], [Int64.max - 1, Int64.max]])
    }

    @Test func anythingButA64BitIntegerMeansNoRuns() {
        #expect(runs(["1", "9223372036854775808"]) == nil)
        #expect(runs(["1", nil]) == nil)
        #expect(runs(["1", "2.5"]) == nil)
        #expect(runs(["-"]) == nil)
        #expect(runs([""]) == nil)
        #expect(runs([]) == [])
    }
}

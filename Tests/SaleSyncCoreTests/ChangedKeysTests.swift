import Testing

@testable import SaleSyncCore

/// How an export gathers the keys of a table with one integer key from its change log.
@Suite struct ChangedKeysTests {
    func gather(_ entries: [(Int64, UInt64)]) -> ChangedKeys {
        var k = ChangedKeys()
        for (key, oh) in entries {
            let text = Array(String(key).utf8)
            text.withUnsafeBytes { k.add(key: $0, oldHash: oh) }
        }
        return k
    }

    @Test func newSalesMakeOneRun() {
        let k = gather((1...1000).map { ($0, 0) })
        #expect(k.runs.count == 1)
        #expect(k.runs[0].lo == 1 && k.runs[0].hi == 1000)
        let (others, removed) = k.finish()
        #expect(others.isEmpty && removed == 0)
    }

    @Test func firstEntryOfEachKeyGivesTheOldHash() {
        // 5 is updated (old hash 50) before the new sales; 7 is inserted then updated (its first
        // entry is the insert: nothing removed); 3 is changed twice after the new sales (first 30);
        // 12 is deleted after being sold in this window (fresh, first entry an insert).
        let k = gather([(5, 50), (10, 0), (11, 0), (12, 0), (7, 0), (7, 70), (3, 30), (3, 31), (12, 120)])
        #expect(k.runs.map { [$0.lo, $0.hi] } == [[5, 5], [10, 12]])
        let (others, removed) = k.finish()
        #expect(others == [3, 7])
        #expect(removed == 50 + 30)
    }

    @Test func aKeyThatIsNotAnIntegerFallsBackToSQL() {
        var k = ChangedKeys()
        Array("x1".utf8).withUnsafeBytes { k.add(key: $0, oldHash: 0) }
        #expect(k.overflow)
        var n = ChangedKeys()
        n.add(key: nil, oldHash: 0)
        #expect(n.overflow)
    }

    @Test func extremesDoNotOverflow() {
        let k = gather([(Int64.min, 0), (Int64.min + 1, 0), (Int64.max - 1, 0), (Int64.max, 0), (0, 9)])
        #expect(k.runs.count == 2)
        #expect(k.isFresh(Int64.max) && k.isFresh(Int64.min) && !k.isFresh(0))
        #expect(k.finish().others == [0])
        #expect(k.finish().removed == 9)
    }
}

/// Runs of consecutive integer keys. A day's delta is mostly new sales whose keys follow one
/// another, so the head office finds what a bundle's keys held, and deletes, by conditions on a
/// few hundred runs instead of a temporary table with a row per key (the branch reads its
/// changed rows the same way, see ChangedKeys.swift).
enum KeyRanges {
    /// The runs of the values of `batch`'s one column, as (first, last); nil when a value is
    /// NULL or not a 64-bit signed integer.
    static func runs(_ batch: RowBatch) -> [(first: Int64, last: Int64)]? {
        var values: [Int64] = []
        values.reserveCapacity(batch.count)
        let parsed = batch.withColumnViews { cols -> Bool in
            for r in 0..<batch.count {
                guard !cols[0].isNull(r), let v = parse(cols[0].value(r)) else { return false }
                values.append(v)
            }
            return true
        }
        guard parsed else { return nil }
        values.sort()
        var out: [(first: Int64, last: Int64)] = []
        var i = 0
        while i < values.count {
            var j = i
            while j + 1 < values.count && values[j] < Int64.max && values[j + 1] <= values[j] + 1 { j += 1 }
            out.append((values[i], values[j]))
            i = j + 1
        }
        return out
    }

    /// Decimal text, optionally with a leading minus, as an Int64 (nil on anything else or overflow).
    static func parse(_ v: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard !v.isEmpty else { return nil }
        let negative = v[0] == UInt8(ascii: "-")
        guard !negative || v.count > 1 else { return nil }
        var n: Int64 = 0
        for b in v.dropFirst(negative ? 1 : 0) {
            guard b >= 48 && b <= 57 else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (s, o2) = negative ? m.subtractingReportingOverflow(Int64(b - 48)) : m.addingReportingOverflow(Int64(b - 48))
            guard !o1 && !o2 else { return nil }
            n = s
        }
        return n
    }
}

/// Columns of a block whose combinations of values repeat: stored once each, in a small
/// dictionary of row fragments, and referred to by one code per row (bundle format v2).
///
/// Sales rows repeat in several columns at once (a product, its price, a quantity and what
/// follows from them) far more than any one column predicts. Deflate's 32 KiB window sees only
/// the last few hundred rows; a dictionary of the block's combinations sees them all. Nothing
/// here knows any table: columns join the group, fewest distinct values first, while the
/// combinations stay few (an eighth of the rows, or half), and the group is kept only if it is smaller.
/// A column made of long runs (a date in a day's sales) stays out: on its own it costs next to
/// nothing, in a group it would multiply the combinations and crowd out a column that belongs.
struct ColumnGroup {
    /// The grouped columns, ascending.
    let columns: [Int]
    /// Each row's combination, numbered in order of first appearance.
    let codes: [Int32]
    /// The first row of each combination.
    let representatives: [Int]

    var count: Int { representatives.count }

    static let minimumRows = 64

    /// The best group of the block's columns, or nil when grouping would not pay.
    ///
    /// Two budgets for the combinations are tried, an eighth and a half of the rows, and the one
    /// that saves more raw bytes wins: a tight budget keeps a many-valued column out of a group it
    /// would blow up, a loose one takes whole tuples (product, price, quantity, amount, tax) that
    /// recur far apart although there are more of them than an eighth of the rows.
    static func find(_ batch: RowBatch, plans: [BlockCodec.ColumnPlan], rows n: Int) -> ColumnGroup? {
        guard n >= minimumRows else { return nil }
        let loose = n / 2
        var candidates: [Candidate] = []
        for (c, p) in plans.enumerated() where p.width > 0 {
            if let (ids, distinct) = valueIDs(batch.columns[c], p, rows: n, limit: loose), !isRuns(ids) {
                candidates.append(Candidate(distinct: distinct, column: c, ids: ids))
            }
        }
        candidates.sort { ($0.distinct, $0.column) < ($1.distinct, $1.column) }
        var best: (saving: Int, columns: [Int], codes: [Int32], count: Int)?
        for limit in [n / 8, loose] {
            let allowed = candidates.filter { $0.distinct <= limit }
            // The loose budget finds nothing new when the tight one took every candidate.
            if limit == loose, let tight = best, tight.columns.count == allowed.count { break }
            let (chosen, codes, count) = greedy(allowed, rows: n, limit: limit)
            guard chosen.count >= 2 else { continue }
            // Raw sizes: the grouped columns in every row, against a dictionary plus a code per row.
            let perRow = chosen.reduce(0) { $0 + plans[$1].width }
            let saving = n * perRow - (count * perRow + n * BlockCodec.width(UInt64(count - 1)))
            // Thousands of combinations make codes of two or three bytes that compress far worse
            // than the columns' own planes: the loose group must save an eighth of them raw.
            let enough = limit == loose ? n * perRow / 8 : 0
            if saving > max(enough, best?.saving ?? 0) { best = (saving, chosen, codes, count) }
        }
        guard let best else { return nil }
        var representatives = [Int](repeating: -1, count: best.count)
        for r in 0..<n where representatives[Int(best.codes[r])] < 0 { representatives[Int(best.codes[r])] = r }
        return ColumnGroup(columns: best.columns.sorted(), codes: best.codes, representatives: representatives)
    }

    /// A column that may join the group: a number per distinct value.
    private struct Candidate {
        let distinct: Int
        let column: Int
        let ids: [Int32]
    }

    /// Columns join, fewest distinct values first, while the combinations stay within `limit`.
    private static func greedy(_ candidates: [Candidate], rows n: Int, limit: Int) -> ([Int], [Int32], Int) {
        var codes = [Int32](repeating: 0, count: n)
        var count = 1
        var chosen: [Int] = []
        for cand in candidates {
            guard let (next, m) = combine(codes, cand.ids, limit: limit) else { continue }
            codes = next
            count = m
            chosen.append(cand.column)
        }
        return (chosen, codes, count)
    }

    /// The dictionary: the grouped columns of each combination's first row.
    func entries(of batch: RowBatch) -> RowBatch {
        var out = RowBatch(columnCount: columns.count)
        for (j, c) in columns.enumerated() {
            let col = batch.columns[c]
            out.columns[j].reserve(rows: count, bytes: count * 8)
            col.data.withUnsafeBytes { data in
                for r in representatives {
                    out.columns[j].append(col.nulls[r] ? nil : UnsafeRawBufferPointer(rebasing: data[col.range(r)]))
                }
            }
        }
        return out
    }

    /// Whether every value is larger than the one before (a key, a timestamp): all distinct, known
    /// without hashing them.
    private static func isIncreasing(_ values: [Int64], _ col: ColumnValues, rows n: Int) -> Bool {
        if col.hasNulls { return false }
        for r in 1..<n where values[r] <= values[r - 1] { return false }
        return true
    }

    /// Whether the values change in fewer than one row in sixteen.
    private static func isRuns(_ ids: [Int32]) -> Bool {
        var changes = 0
        for r in ids.indices.dropFirst() where ids[r] != ids[r - 1] { changes += 1 }
        return changes * 16 < ids.count
    }

    /// A number per distinct value of a column (NULL is a value of its own), or nil past `limit`.
    private static func valueIDs(_ col: ColumnValues, _ p: BlockCodec.ColumnPlan, rows n: Int, limit: Int) -> ([Int32], Int)? {
        switch p.storage {
        case .dictionary(let entries, let index, _):
            guard entries.count < limit else { return nil }
            guard col.hasNulls else { return (index, entries.count) }
            let nullID = Int32(entries.count)
            return ((0..<n).map { col.nulls[$0] ? nullID : index[$0] }, entries.count + 1)
        case .fixed:
            guard let values = p.values, !isIncreasing(values, col, rows: n) else { return nil }
            var seen: [Int64: Int32] = [:]
            seen.reserveCapacity(min(limit, 4096))
            var ids = [Int32](repeating: 0, count: n)
            var next: Int32 = 0
            var nullID: Int32 = -1
            for r in 0..<n {
                // Nearly every value new in the first quarter: the column alone would take most of
                // any budget, so it is let go before hashing the rest (amounts, timestamps).
                if r == n / 4 && Int(next) * 8 > r * 7 { return nil }
                if col.hasNulls && col.nulls[r] {
                    if nullID < 0 { nullID = next; next += 1 }
                    ids[r] = nullID
                    continue
                }
                if let id = seen[values[r]] { ids[r] = id; continue }
                if Int(next) >= limit { return nil }
                seen[values[r]] = next
                ids[r] = next
                next += 1
            }
            return (ids, Int(next))
        case .raw:
            return nil
        }
    }

    /// The combinations of the codes so far with one more column, or nil past `limit`.
    private static func combine(_ codes: [Int32], _ ids: [Int32], limit: Int) -> ([Int32], Int)? {
        var seen: [Int64: Int32] = [:]
        seen.reserveCapacity(min(limit, 4096))
        var out = [Int32](repeating: 0, count: codes.count)
        for r in codes.indices {
            let key = Int64(codes[r]) << 32 | Int64(UInt32(bitPattern: ids[r]))
            if let code = seen[key] { out[r] = code; continue }
            if seen.count >= limit { return nil }
            let code = Int32(seen.count)
            seen[key] = code
            out[r] = code
        }
        return (out, seen.count)
    }
}

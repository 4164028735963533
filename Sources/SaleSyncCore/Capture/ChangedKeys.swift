/// The keys an export sends, gathered in one pass over the change log in log order, for a table
/// whose key is one integer column (the usual `id`): runs of consecutive keys, which the export
/// reads as ranges of the table, plus the few keys seen again out of order.
///
/// Keys that only ever grow (new sales) are "fresh": the first entry of such a key is the one
/// that made it larger than every key before it, so its old-row hash is that entry's. A key seen
/// at or below the largest so far is a revisit; its first entry is found among the revisits
/// unless the key is fresh. Memory is a few bytes per run and per revisit, not per change; past
/// `maxRevisits` the export falls back to grouping the log in SQL.
struct ChangedKeys {
    static let maxRevisits = 250_000

    private(set) var runs: [(lo: Int64, hi: Int64)] = []
    private var freshOldHash: UInt64 = 0
    private var revisits: [(key: Int64, order: Int, oldHash: UInt64)] = []
    private var maxKey = Int64.min
    private var order = 0
    /// Too many revisits, or a key that is not a 64-bit signed integer: use SQL instead.
    private(set) var overflow = false

    mutating func add(key text: UnsafeRawBufferPointer?, oldHash: UInt64) {
        guard !overflow, let text, let key = Int64(String(decoding: text, as: UTF8.self)) else { overflow = true; return }
        order += 1
        if runs.isEmpty || key > maxKey {
            maxKey = key
            if let last = runs.last, last.hi &+ 1 == key { runs[runs.count - 1].hi = key } else { runs.append((key, key)) }
            freshOldHash = freshOldHash &+ oldHash
        } else if revisits.count < Self.maxRevisits {
            revisits.append((key, order, oldHash))
        } else {
            overflow = true
        }
    }

    /// Whether `key` lies in one of the runs.
    func isFresh(_ key: Int64) -> Bool {
        var lo = 0, hi = runs.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if key < runs[mid].lo { hi = mid - 1 } else if key > runs[mid].hi { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// The revisited keys that are not in a run (ascending), and the sum of the old-row hashes of
    /// every key's first entry: what the rows sent replace in the state checksum.
    func finish() -> (others: [Int64], removed: UInt64) {
        var removed = freshOldHash
        var others: [Int64] = []
        let sorted = revisits.sorted { ($0.key, $0.order) < ($1.key, $1.order) }
        for (i, r) in sorted.enumerated() where i == 0 || sorted[i - 1].key != r.key {
            guard !isFresh(r.key) else { continue }
            others.append(r.key)
            removed = removed &+ r.oldHash
        }
        return (others, removed)
    }
}

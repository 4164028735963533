import Foundation

/// Per table, hashes of the primary keys a bundle's changes touch; nil when the bundle may touch
/// any row: it resets a table, or a text key compares by a collation under which different bytes
/// can be the same key. Hash collisions only make two bundles look dependent, which is safe.
func touchedKeys(_ tables: [TableChanges]) -> [String: Set<Int>]? {
    var out: [String: Set<Int>] = [:]
    for t in tables {
        if t.section.reset { return nil }
        let schema = t.section.schema
        var trim: [Bool] = []
        for c in schema.keyColumns {
            if c.kind == .bytes, let cs = c.charset?.lowercased(), cs != "binary" {
                // *_bin compares bytes, but pads: 'a' and 'a ' are one key.
                guard c.collation?.lowercased().hasSuffix("_bin") == true else { return nil }
                trim.append(true)
            } else {
                trim.append(false)
            }
        }
        var set = Set<Int>(minimumCapacity: t.upserts.count + t.deletes.count)
        func add(_ batch: RowBatch, _ keyColumns: [Int]) {
            batch.withColumnViews { views in
                for r in 0..<batch.count {
                    var h = Hasher()
                    for (j, ci) in keyColumns.enumerated() {
                        let col = views[ci]
                        if col.isNull(r) { h.combine(-1); continue }
                        var v = col.value(r)
                        if trim[j] { while let last = v.last, last == 32 { v = UnsafeBufferPointer(rebasing: v.dropLast()) } }
                        h.combine(bytes: UnsafeRawBufferPointer(v))
                        h.combine(v.count)
                    }
                    set.insert(h.finalize())
                }
            }
        }
        add(t.upserts, schema.keyIndexes)
        add(t.deletes, Array(0..<schema.keyIndexes.count))
        out[schema.name, default: []].formUnion(set)
    }
    return out
}

/// Encodes a block of rows for bundle format v2: column by column, for zlib to do well on any
/// shape of data (docs/bundle-format.md).
///
/// Each column keeps format v1's choice of encoding (`BlockCodec.plan`), but its values are
/// stored together, fixed-width ones as byte planes (every value's lowest byte, then every
/// value's next byte...), so that a column of small differences or few distinct values becomes
/// long runs deflate codes in a few bits. Columns whose combinations repeat are stored once per
/// combination (`ColumnGroup`). Block layout:
///
///     varint rows | varint g | [g × varint column, varint entries, entries as a block (g = 0)]
///     | header of each other column (as v1) | each other column's data | codes of the group
///
/// A column's data: a NULL bitmap (rows bits) if its header says it has NULLs, then its non-NULL
/// values: byte planes of `width` bytes each (integer modes, dictionary indexes) or varint
/// lengths followed by the bytes (raw). The group's codes are byte planes of width(entries - 1).
enum ColumnarCodec {
    static func encode(_ batch: RowBatch, columns: [ColumnInfo], into w: inout ByteWriter, grouping: Bool = true) {
        precondition(batch.columns.count == columns.count)
        let n = batch.count
        w.varint(UInt64(n))
        let plans = columns.indices.map { BlockCodec.plan(batch.columns[$0], columns[$0], rows: n) }
        let group = grouping ? ColumnGroup.find(batch, plans: plans, rows: n) : nil
        w.varint(UInt64(group?.columns.count ?? 0))
        if let group {
            for c in group.columns { w.varint(UInt64(c)) }
            w.varint(UInt64(group.count))
            encode(group.entries(of: batch), columns: group.columns.map { columns[$0] }, into: &w, grouping: false)
        }
        let grouped = Set(group?.columns ?? [])
        let rest = columns.indices.filter { !grouped.contains($0) }
        for c in rest { BlockCodec.writeHeader(plans[c], batch.columns[c], into: &w) }
        for c in rest { writeData(batch.columns[c], plans[c], rows: n, into: &w) }
        if let group {
            planes(group.codes.lazy.map { UInt64($0) }, width: BlockCodec.width(UInt64(group.count - 1)), into: &w)
        }
    }

    /// One column's NULL bitmap (if it has NULLs) and non-NULL values.
    private static func writeData(_ col: ColumnValues, _ p: BlockCodec.ColumnPlan, rows n: Int, into w: inout ByteWriter) {
        let present = col.hasNulls ? (0..<n).filter { !col.nulls[$0] } : Array(0..<n)
        if col.hasNulls {
            var bits = [UInt8](repeating: 0, count: (n + 7) / 8)
            for r in 0..<n where col.nulls[r] { bits[r >> 3] |= 1 << UInt8(r & 7) }
            w.bytes.append(contentsOf: bits)
        }
        switch p.storage {
        case .fixed(let codes, let lo, let width):
            planes(present.lazy.map { UInt64(bitPattern: codes[$0] &- lo) }, width: width, into: &w)
        case .dictionary(_, let index, let width):
            planes(present.lazy.map { UInt64(index[$0]) }, width: width, into: &w)
        case .raw:
            for r in present { w.varint(UInt64(col.range(r).count)) }
            col.data.withUnsafeBytes { data in
                for r in present { w.bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: data[col.range(r)])) }
            }
        }
    }

    /// Values of `width` bytes as byte planes: all lowest bytes first.
    private static func planes(_ values: some Collection<UInt64>, width: Int, into w: inout ByteWriter) {
        guard width > 0 else { return }
        let v = Array(values)
        w.bytes.reserveCapacity(w.bytes.count + v.count * width)
        for b in 0..<width {
            let shift = UInt64(8 * b)
            for x in v { w.bytes.append(UInt8(truncatingIfNeeded: x >> shift)) }
        }
    }
}

extension ColumnarCodec {
    /// Decodes a v2 block of `rows` rows, refusing anything inconsistent with the declared sizes.
    static func decode(_ r: inout ByteReader, columns: [ColumnInfo], rows n: Int, nested: Bool = false) throws -> RowBatch {
        let stated = try r.varint("row count")
        guard stated == UInt64(n) else {
            throw BundleError.malformed("header declares \(n) rows, block holds \(stated)")
        }
        let (grouped, entries) = try readGroup(&r, columns: columns, rows: n, nested: nested)
        let rest = columns.indices.filter { !grouped.contains($0) }
        var layout = BlockCodec.Layout(starts: [Int64](repeating: 0, count: rest.count))
        for (k, c) in rest.enumerated() { try BlockCodec.readColumnHeader(&r, k, columns[c], into: &layout) }
        var batch = RowBatch(columnCount: columns.count)
        for (k, c) in rest.enumerated() {
            batch.columns[c] = try readColumn(
                &r, layout.plans[k], columns[c], hasNulls: layout.nullableCols.contains(k),
                start: layout.starts[k], rows: n)
        }
        if let entries {
            let width = BlockCodec.width(UInt64(entries.count - 1))
            let codes = try readPlanes(&r, count: n, width: width, "group codes")
            for (j, c) in grouped.enumerated() {
                var col = ColumnValues()
                col.reserve(rows: n, bytes: n * 8)
                let source = entries.columns[j]
                for code in codes {
                    guard code < UInt64(entries.count) else {
                        throw BundleError.malformed("group code \(code) ≥ \(entries.count) entries")
                    }
                    let i = Int(code)
                    if source.nulls[i] { col.append(nil as UnsafeRawBufferPointer?); continue }
                    source.data.withUnsafeBytes { col.append(UnsafeRawBufferPointer(rebasing: $0[source.range(i)])) }
                }
                batch.columns[c] = col
            }
        }
        return batch
    }

    /// The grouped columns and their dictionary of combinations, if the block has a group.
    private static func readGroup(
        _ r: inout ByteReader, columns: [ColumnInfo], rows n: Int,
        nested: Bool
    ) throws -> ([Int], RowBatch?) {
        let g = try r.count("group column count")
        guard g > 0 else { return ([], nil) }
        guard !nested, g <= columns.count else {
            throw BundleError.malformed("group of \(g) columns \(nested ? "inside a group" : "in a block of \(columns.count)")")
        }
        var grouped: [Int] = []
        for _ in 0..<g {
            let c = try r.varint("grouped column")
            guard c < UInt64(columns.count), grouped.last.map({ UInt64($0) < c }) ?? true else {
                throw BundleError.malformed("grouped column \(c): out of range or out of order")
            }
            grouped.append(Int(c))
        }
        let m = try r.count("group entries")
        guard m >= 1, m <= n else { throw BundleError.malformed("group of \(m) entries for \(n) rows") }
        let entries = try decode(&r, columns: grouped.map { columns[$0] }, rows: m, nested: true)
        return (grouped, entries)
    }

    /// One column's values: NULL bitmap, then the non-NULL values in the column's encoding.
    private static func readColumn(
        _ r: inout ByteReader, _ plan: BlockCodec.DecodePlan, _ info: ColumnInfo, hasNulls: Bool,
        start: Int64, rows n: Int
    ) throws -> ColumnValues {
        var nulls = [Bool](repeating: false, count: hasNulls ? n : 0)
        var present = n
        if hasNulls {
            let bytes = (n + 7) / 8
            try r.need(bytes, "NULL bitmap of column \(info.name)")
            for i in 0..<n where r.bytes[r.offset + (i >> 3)] & (1 << UInt8(i & 7)) != 0 { nulls[i] = true; present -= 1 }
            r.offset += bytes
        }
        let values = try readValues(&r, plan, info, start: start, count: present)
        guard hasNulls else { return values }
        var col = ColumnValues()
        col.reserve(rows: n, bytes: values.data.count)
        var next = 0
        values.data.withUnsafeBytes { data in
            for i in 0..<n {
                if nulls[i] { col.append(nil as UnsafeRawBufferPointer?); continue }
                col.append(UnsafeRawBufferPointer(rebasing: data[values.range(next)]))
                next += 1
            }
        }
        return col
    }

    /// `count` values of one column, as text (or bytes), in order.
    private static func readValues(
        _ r: inout ByteReader, _ plan: BlockCodec.DecodePlan, _ info: ColumnInfo,
        start: Int64, count: Int
    ) throws -> ColumnValues {
        var col = ColumnValues()
        col.reserve(rows: count, bytes: count * 8)
        var scratch: [UInt8] = []
        scratch.reserveCapacity(64)
        switch plan {
        case .frameOfReference(let lo, let width, let mapping), .delta(let lo, let width, let mapping):
            let isDelta = if case .delta = plan { true } else { false }
            var prev = start
            for code in try readPlanes(&r, count: count, width: width, "values of column \(info.name)") {
                var v = lo &+ Int64(bitPattern: code)
                if isDelta { v = prev &+ v; prev = v }
                scratch.removeAll(keepingCapacity: true)
                mapping.format(v, into: &scratch)
                scratch.withUnsafeBytes { col.append($0) }
            }
        case .dictionary(let entries, let width):
            for i in try readPlanes(&r, count: count, width: width, "indexes of column \(info.name)") {
                guard i < UInt64(entries.count) else {
                    throw BundleError.malformed("column \(info.name): dictionary index \(i) ≥ \(entries.count)")
                }
                entries[Int(i)].withUnsafeBytes { col.append($0) }
            }
        case .raw:
            var lengths = [Int](repeating: 0, count: count)
            for i in 0..<count { lengths[i] = try r.count("length of a value of column \(info.name)") }
            for n in lengths {
                try r.need(n, "value of column \(info.name)")
                r.bytes.withUnsafeBytes { col.append(UnsafeRawBufferPointer(rebasing: $0[r.offset..<r.offset + n])) }
                r.offset += n
            }
        }
        return col
    }

    /// `count` integers stored as `width` byte planes.
    static func readPlanes(_ r: inout ByteReader, count: Int, width: Int, _ what: @autoclosure () -> String) throws -> [UInt64] {
        var out = [UInt64](repeating: 0, count: count)
        guard width > 0 else { return out }
        guard width <= 8, count <= r.remaining / width else {
            throw BundleError.truncated("\(what()): need \(count) × \(width) bytes, \(r.remaining) left")
        }
        r.bytes.withUnsafeBufferPointer { b in
            for p in 0..<width {
                let base = r.offset + p * count
                let shift = UInt64(8 * p)
                for i in 0..<count { out[i] |= UInt64(b[base + i]) << shift }
            }
        }
        r.offset += count * width
        return out
    }
}

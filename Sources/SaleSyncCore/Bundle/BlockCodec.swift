/// Encodes a block of rows (one table's upserts, or its deletes' keys) for zlib to do well.
///
/// Rows stay row-major, each value at a fixed width where possible, so that rows which repeat
/// in several columns at once become byte strings that repeat, and deflate's matches find them.
/// Per block and column, the encoder picks the smallest of:
/// - `frameOfReference`: integer-like values minus the block's minimum, in just enough bytes;
/// - `delta`: the difference to the previous non-NULL value, minus the minimum difference
///   (wins for sequences such as ids and dates);
/// - `dictionary`: an index into the block's distinct values (few distinct strings);
/// - `raw`: a varint length and the bytes.
/// Nothing in it knows any table's data: choices come from the values of the block.
/// The format is specified in docs/bundle-format.md.
enum BlockCodec {
    enum Mode: UInt8 {
        case frameOfReference = 0
        case delta = 1
        case dictionary = 2
        case raw = 3
    }

    static let hasNullsFlag: UInt8 = 0x80

    /// Bytes needed to hold `range` (0 when every value is the same).
    @inline(__always)
    static func width(_ range: UInt64) -> Int {
        range == 0 ? 0 : (64 - range.leadingZeroBitCount + 7) / 8
    }

    /// How one column of a block is stored: its mode, the header parameters and per-row codes.
    struct ColumnPlan {
        enum Storage {
            /// Integer codes (values, or differences in `delta` mode) stored minus `lo`.
            case fixed(codes: [Int64], lo: Int64, width: Int)
            case dictionary(entries: [Range<Int>], index: [Int32], width: Int)
            case raw
        }
        var mode: Mode
        var storage: Storage
        /// `delta` mode: the value before the first row.
        var start: Int64 = 0
        /// The integer value of every row, for numeric columns (NULL rows repeat the previous one).
        var values: [Int64]? = nil

        /// Bytes each non-NULL value takes in the rows (raw values vary: 0 here).
        var width: Int {
            switch storage {
            case .fixed(_, _, let w), .dictionary(_, _, let w): return w
            case .raw: return 0
            }
        }
    }

    /// Picks the smallest encoding of a column for a block of `n` rows.
    static func plan(_ col: ColumnValues, _ info: ColumnInfo, rows n: Int) -> ColumnPlan {
        if let p = numericPlan(col, ValueMapping(info), rows: n) {
            return ColumnPlan(mode: p.mode, storage: .fixed(codes: p.codes, lo: p.lo, width: p.width), start: p.start, values: p.values)
        }
        let (entries, index) = dictionary(col, rows: n)
        if let index {
            return ColumnPlan(
                mode: .dictionary,
                storage: .dictionary(
                    entries: entries, index: index,
                    width: width(UInt64(max(entries.count - 1, 0)))))
        }
        return ColumnPlan(mode: .raw, storage: .raw)
    }

    /// A column's header: mode byte (with the has-NULLs flag) and the mode's parameters.
    static func writeHeader(_ p: ColumnPlan, _ col: ColumnValues, into w: inout ByteWriter) {
        w.u8(p.mode.rawValue | (col.hasNulls ? hasNullsFlag : 0))
        switch p.storage {
        case .fixed(_, let lo, let width):
            if p.mode == .delta { w.zigzag(p.start) }
            w.zigzag(lo)
            w.u8(UInt8(width))
        case .dictionary(let entries, _, let width):
            w.varint(UInt64(entries.count))
            for e in entries { w.blob(col.data[e]) }
            w.u8(UInt8(width))
        case .raw:
            break
        }
    }

    // MARK: encoding

    /// Format v1's block: column headers, then the rows one after another.
    static func encode(_ batch: RowBatch, columns: [ColumnInfo], into w: inout ByteWriter) {
        precondition(batch.columns.count == columns.count)
        let n = batch.count
        // The row count is repeated in the block so a header that lies about it is caught
        // even when rows take no bytes (constant columns have width 0).
        w.varint(UInt64(n))
        let plans = columns.indices.map { plan(batch.columns[$0], columns[$0], rows: n) }
        for (c, p) in plans.enumerated() { writeHeader(p, batch.columns[c], into: &w) }
        let nullable = columns.indices.filter { batch.columns[$0].hasNulls }
        let bitmapBytes = (nullable.count + 7) / 8
        w.bytes.reserveCapacity(w.bytes.count + n * 12)
        for r in 0..<n {
            if bitmapBytes > 0 {
                var bits = [UInt8](repeating: 0, count: bitmapBytes)
                for (k, c) in nullable.enumerated() where batch.columns[c].nulls[r] { bits[k >> 3] |= 1 << UInt8(k & 7) }
                w.bytes.append(contentsOf: bits)
            }
            for c in 0..<plans.count {
                let col = batch.columns[c]
                if col.hasNulls && col.nulls[r] { continue }
                switch plans[c].storage {
                case .fixed(let codes, let lo, let width):
                    w.uint(UInt64(bitPattern: codes[r] &- lo), width: width)
                case .dictionary(_, let index, let width):
                    w.uint(UInt64(index[r]), width: width)
                case .raw:
                    w.blob(col.data[col.range(r)])
                }
            }
        }
    }

    /// Integer form of a column, if every value maps exactly; stored values are per row
    /// (NULL rows hold the previous value so deltas stay small).
    private static func numericPlan(
        _ col: ColumnValues, _ mapping: ValueMapping, rows n: Int
    )
        -> (codes: [Int64], values: [Int64], mode: Mode, start: Int64, lo: Int64, width: Int)?
    {
        guard mapping.isNumeric, n > 0 else { return nil }
        var values = [Int64](repeating: 0, count: n)
        var deltas = [Int64](repeating: 0, count: n)
        var scratch: [UInt8] = []
        scratch.reserveCapacity(32)
        var lo = Int64.max, hi = Int64.min, dlo = Int64.max, dhi = Int64.min
        var prev: Int64 = 0
        var first = -1
        let ok: Bool = col.data.withUnsafeBytes { data in
            for r in 0..<n {
                if col.hasNulls && col.nulls[r] { values[r] = prev; continue }
                let range = col.range(r)
                let b = UnsafeRawBufferPointer(rebasing: data[range])
                guard let v = mapping.parse(b) else { return false }
                scratch.removeAll(keepingCapacity: true)
                mapping.format(v, into: &scratch)
                guard scratch.elementsEqual(b) else { return false }
                values[r] = v
                if v < lo { lo = v }
                if v > hi { hi = v }
                if first < 0 {
                    first = r
                } else {
                    let d = v &- prev
                    deltas[r] = d
                    if d < dlo { dlo = d }
                    if d > dhi { dhi = d }
                }
                prev = v
            }
            return true
        }
        guard ok else { return nil }
        if first < 0 { return (values, values, .frameOfReference, 0, 0, 0) }
        if dlo > dhi { dlo = 0; dhi = 0 }
        let wFor = width(UInt64(bitPattern: hi &- lo))
        let wDelta = width(UInt64(bitPattern: dhi &- dlo))
        if wDelta < wFor {
            // The first value is stored as a delta of `dlo` from `start`, so it costs nothing extra;
            // NULL rows store nothing.
            deltas[first] = dlo
            return (deltas, values, .delta, values[first] &- dlo, dlo, wDelta)
        }
        return (values, values, .frameOfReference, 0, lo, wFor)
    }

    /// Distinct values in first-seen order and each row's index, when few enough to pay off.
    private static func dictionary(_ col: ColumnValues, rows n: Int) -> ([Range<Int>], [Int32]?) {
        var seen: [ArraySlice<UInt8>: Int32] = [:]
        var entries: [Range<Int>] = []
        var index = [Int32](repeating: 0, count: n)
        let limit = max(n / 2, 1)
        for r in 0..<n {
            if col.hasNulls && col.nulls[r] { continue }
            let range = col.range(r)
            let key = col.data[range]
            if let i = seen[key] {
                index[r] = i
            } else {
                if entries.count >= limit || entries.count >= 1 << 24 { return ([], nil) }
                let i = Int32(entries.count)
                seen[key] = i
                entries.append(range)
                index[r] = i
            }
        }
        // A dictionary of mostly distinct values only adds bytes.
        if n >= 4 && entries.count * 2 > n { return ([], nil) }
        return (entries, index)
    }

    // MARK: decoding

    enum DecodePlan {
        case frameOfReference(lo: Int64, width: Int, mapping: ValueMapping)
        case delta(lo: Int64, width: Int, mapping: ValueMapping)
        case dictionary(entries: [ArraySlice<UInt8>], width: Int)
        case raw
    }

    /// How a block's columns are laid out, read from its column headers.
    struct Layout {
        var plans: [DecodePlan] = []
        var nullableCols: [Int] = []
        var starts: [Int64]

        /// The fewest bytes a row can take: more rows than the block can hold is a lie.
        var minRowBytes: Int {
            let bitmapBytes = (nullableCols.count + 7) / 8
            return bitmapBytes
                + plans.reduce(0) { acc, p in
                    switch p {
                    case .frameOfReference(_, let w, _), .delta(_, let w, _), .dictionary(_, let w):
                        return acc + (nullableCols.isEmpty ? w : 0)
                    case .raw: return acc + (nullableCols.isEmpty ? 1 : 0)
                    }
                }
        }
    }

    /// Decodes `rows` rows of `columns` from `r`, refusing anything inconsistent with the declared sizes.
    static func decode(_ r: inout ByteReader, columns: [ColumnInfo], rows n: Int) throws -> RowBatch {
        let stated = try r.varint("row count")
        guard stated == UInt64(n) else {
            throw BundleError.malformed("header declares \(n) rows, block holds \(stated)")
        }
        var layout = Layout(starts: [Int64](repeating: 0, count: columns.count))
        for (c, info) in columns.enumerated() { try readColumnHeader(&r, c, info, into: &layout) }
        let minRowBytes = layout.minRowBytes
        guard n <= r.remaining / max(minRowBytes, 1) || minRowBytes == 0 else {
            throw BundleError.malformed("block declares \(n) rows but only \(r.remaining) bytes remain")
        }
        return try decodeRows(&r, columns: columns, rows: n, layout)
    }

    /// Reads one column's encoding and its parameters.
    static func readColumnHeader(_ r: inout ByteReader, _ c: Int, _ info: ColumnInfo, into layout: inout Layout) throws {
        let b = try r.u8("mode of column \(info.name)")
        guard let mode = Mode(rawValue: b & ~hasNullsFlag) else {
            throw BundleError.malformed("column \(info.name): unknown encoding \(b & ~hasNullsFlag)")
        }
        if b & hasNullsFlag != 0 {
            guard info.nullable else { throw BundleError.malformed("column \(info.name) is NOT NULL but the block has NULLs") }
            layout.nullableCols.append(c)
        }
        switch mode {
        case .frameOfReference, .delta:
            let mapping = ValueMapping(info)
            guard mapping.isNumeric else {
                throw BundleError.malformed("column \(info.name) (\(info.kind.rawValue)) cannot use an integer encoding")
            }
            let start = mode == .delta ? try r.zigzag("start of column \(info.name)") : 0
            let lo = try r.zigzag("base of column \(info.name)")
            let width = Int(try r.u8("width of column \(info.name)"))
            guard width <= 8 else { throw BundleError.malformed("column \(info.name): width \(width) > 8") }
            if mode == .delta { layout.starts[c] = start }
            layout.plans.append(
                mode == .delta
                    ? .delta(lo: lo, width: width, mapping: mapping)
                    : .frameOfReference(lo: lo, width: width, mapping: mapping))
        case .dictionary:
            let count = try r.count("dictionary size of column \(info.name)")
            var entries: [ArraySlice<UInt8>] = []
            entries.reserveCapacity(count)
            for _ in 0..<count { entries.append(try r.blob("dictionary entry of column \(info.name)")) }
            let width = Int(try r.u8("index width of column \(info.name)"))
            guard width <= 4 else { throw BundleError.malformed("column \(info.name): index width \(width) > 4") }
            layout.plans.append(.dictionary(entries: entries, width: width))
        case .raw:
            layout.plans.append(.raw)
        }
    }

    /// The rows, row-major: each row's null bitmap, then its values column by column.
    private static func decodeRows(_ r: inout ByteReader, columns: [ColumnInfo], rows n: Int, _ layout: Layout) throws -> RowBatch {
        let bitmapBytes = (layout.nullableCols.count + 7) / 8
        var batch = RowBatch(columnCount: columns.count)
        let estimate = min(n, 1 << 20)
        for c in batch.columns.indices { batch.columns[c].reserve(rows: estimate, bytes: estimate * 8) }
        var prev = layout.starts
        var isNull = [Bool](repeating: false, count: columns.count)
        var scratch: [UInt8] = []
        scratch.reserveCapacity(64)
        for _ in 0..<n {
            if bitmapBytes > 0 {
                try r.need(bitmapBytes, "null bitmap")
                for (k, c) in layout.nullableCols.enumerated() {
                    isNull[c] = r.bytes[r.offset + (k >> 3)] & (1 << UInt8(k & 7)) != 0
                }
                r.offset += bitmapBytes
            }
            for c in 0..<layout.plans.count {
                if isNull[c] {
                    batch.columns[c].append(nil as UnsafeRawBufferPointer?)
                    continue
                }
                try decodeValue(&r, layout.plans[c], columns[c], &prev[c], &scratch, into: &batch.columns[c])
            }
        }
        return batch
    }

    @inline(__always)
    private static func decodeValue(
        _ r: inout ByteReader, _ plan: DecodePlan, _ info: ColumnInfo, _ prev: inout Int64,
        _ scratch: inout [UInt8], into column: inout ColumnValues
    ) throws {
        switch plan {
        case .frameOfReference(let lo, let width, let mapping):
            let v = lo &+ Int64(bitPattern: try r.uint(width: width, "value of column \(info.name)"))
            scratch.removeAll(keepingCapacity: true)
            mapping.format(v, into: &scratch)
            scratch.withUnsafeBytes { column.append($0) }
        case .delta(let lo, let width, let mapping):
            let v = prev &+ (lo &+ Int64(bitPattern: try r.uint(width: width, "delta of column \(info.name)")))
            prev = v
            scratch.removeAll(keepingCapacity: true)
            mapping.format(v, into: &scratch)
            scratch.withUnsafeBytes { column.append($0) }
        case .dictionary(let entries, let width):
            let i = Int(try r.uint(width: width, "index of column \(info.name)"))
            guard i < entries.count else {
                throw BundleError.malformed("column \(info.name): dictionary index \(i) ≥ \(entries.count)")
            }
            entries[i].withUnsafeBytes { column.append($0) }
        case .raw:
            let v = try r.blob("value of column \(info.name)")
            v.withUnsafeBytes { column.append($0) }
        }
    }
}

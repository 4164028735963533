/// Values of one column for a run of rows, stored flat: one byte buffer and end offsets,
/// so a batch of 100,000 rows costs a handful of allocations, not a million.
public struct ColumnValues: Sendable, Equatable {
    public var data: [UInt8] = []
    public var ends: [Int] = []
    public var nulls: [Bool] = []
    public var hasNulls = false

    public init() {}

    public var count: Int { ends.count }

    @inline(__always)
    public mutating func append(_ value: UnsafeRawBufferPointer?) {
        if let value {
            data.append(contentsOf: value)
            nulls.append(false)
        } else {
            nulls.append(true)
            hasNulls = true
        }
        ends.append(data.count)
    }

    public mutating func append(_ value: [UInt8]?) {
        if let value { value.withUnsafeBytes { append($0) } } else { append(nil as UnsafeRawBufferPointer?) }
    }

    @inline(__always)
    public func range(_ i: Int) -> Range<Int> { (i == 0 ? 0 : ends[i - 1])..<ends[i] }

    /// The bytes of row `i`, nil for NULL.
    public func value(_ i: Int) -> ArraySlice<UInt8>? { nulls[i] ? nil : data[range(i)] }

    public mutating func reserve(rows: Int, bytes: Int) {
        ends.reserveCapacity(rows)
        nulls.reserveCapacity(rows)
        data.reserveCapacity(bytes)
    }
}

/// A run of rows of one table in column-major form, each value as the server's text (or raw bytes).
public struct RowBatch: Sendable, Equatable {
    public var columns: [ColumnValues]

    public init(columnCount: Int) {
        columns = Array(repeating: ColumnValues(), count: columnCount)
    }

    public var count: Int { columns.first?.count ?? 0 }

    /// Bytes held, roughly: used to cut bundles by size.
    public var byteSize: Int { columns.reduce(0) { $0 + $1.data.count + $1.ends.count * 9 } }

    /// Appends a row given as byte arrays (nil for NULL); for tests and small inputs.
    public mutating func append(_ row: [[UInt8]?]) {
        precondition(row.count == columns.count, "row has \(row.count) values, batch has \(columns.count) columns")
        for (i, v) in row.enumerated() { columns[i].append(v) }
    }

    /// Appends a row given as strings (nil for NULL).
    public mutating func append(strings row: [String?]) {
        append(row.map { $0.map { Array($0.utf8) } })
    }

    /// Row `i` as byte arrays.
    public func row(_ i: Int) -> [[UInt8]?] { columns.map { $0.value(i).map(Array.init) } }

    /// Row `i` as strings (lossy for non-UTF-8 bytes).
    public func strings(_ i: Int) -> [String?] { columns.map { $0.value(i).map { String(decoding: $0, as: UTF8.self) } } }

    /// A batch of the given columns only (e.g. the primary key).
    public func projected(_ indexes: [Int]) -> RowBatch {
        var b = RowBatch(columnCount: indexes.count)
        for (j, i) in indexes.enumerated() { b.columns[j] = columns[i] }
        return b
    }

    public mutating func removeAll() {
        for i in columns.indices { columns[i] = ColumnValues() }
    }
}

/// One column's storage seen through raw pointers, valid inside `RowBatch.withColumnViews`:
/// loops over millions of values then do no reference counting (copying a `ColumnValues` out of
/// the array retains three buffers, which cost more than the work on each value).
struct ColumnView {
    let data: UnsafeBufferPointer<UInt8>
    let ends: UnsafeBufferPointer<Int>
    let nulls: UnsafeBufferPointer<Bool>
    let hasNulls: Bool

    @inline(__always) func isNull(_ r: Int) -> Bool { hasNulls && nulls[r] }

    /// The bytes of row `r` (empty for NULL).
    @inline(__always) func value(_ r: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: data[(r == 0 ? 0 : ends[r - 1])..<ends[r]])
    }
}

extension RowBatch {
    /// Calls `body` with a view of every column.
    func withColumnViews<R>(_ body: ([ColumnView]) -> R) -> R {
        var views: [ColumnView] = []
        views.reserveCapacity(columns.count)
        func nest(_ i: Int) -> R {
            if i == columns.count { return body(views) }
            let col = columns[i]
            return col.data.withUnsafeBufferPointer { d in
                col.ends.withUnsafeBufferPointer { e in
                    col.nulls.withUnsafeBufferPointer { n in
                        views.append(ColumnView(data: d, ends: e, nulls: n, hasNulls: col.hasNulls))
                        return nest(i + 1)
                    }
                }
            }
        }
        return nest(0)
    }
}

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

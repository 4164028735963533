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

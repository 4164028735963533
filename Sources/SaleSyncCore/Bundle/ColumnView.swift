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

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

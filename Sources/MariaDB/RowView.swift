internal import CMariaDB
import Foundation

/// A read-only view of one streamed row: column bytes live only until the next row is fetched.
public struct RowView {
    let row: MYSQL_ROW
    let lengths: UnsafeMutablePointer<UInt>
    public let count: Int

    /// The raw text bytes of column `i`, or nil for SQL NULL.
    @inline(__always)
    public func bytes(_ i: Int) -> UnsafeRawBufferPointer? {
        guard let p = row[i] else { return nil }
        return UnsafeRawBufferPointer(start: p, count: Int(lengths[i]))
    }

    public func string(_ i: Int) -> String? {
        bytes(i).map { String(decoding: $0, as: UTF8.self) }
    }
}

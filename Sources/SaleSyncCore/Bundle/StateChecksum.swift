/// The branch's row count and content hash for one table, as of a bundle's last change.
public struct StateChecksum: Codable, Sendable, Equatable {
    /// Rows in the branch's table.
    public var rows: Int64
    /// Sum, modulo 2^64, of every row's 64-bit hash (see `RowHasher`), as 16 hex digits.
    public var hash: String

    public init(rows: Int64, hash: UInt64) {
        self.rows = rows
        self.hash = String(hash, radix: 16).leftPadded(to: 16)
    }

    public var hashValue64: UInt64 { UInt64(hash, radix: 16) ?? 0 }
}

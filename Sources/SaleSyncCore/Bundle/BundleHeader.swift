import Foundation

/// The header of a bundle file: who, which, what, and how big.
public struct BundleHeader: Codable, Sendable, Equatable {
    public var branch: String
    public var sequence: UInt64
    public var kind: BundleKind
    /// When the branch read the data (UTC, ISO 8601 with microseconds).
    public var created: String
    /// Size of the body once inflated: the decoder refuses to inflate more.
    public var bodyBytes: Int
    public var tables: [TableSection]

    enum CodingKeys: String, CodingKey {
        case branch, sequence, kind, created, tables
        case bodyBytes = "body_bytes"
    }

    public var rowCount: Int { tables.reduce(0) { $0 + $1.upserts + $1.deletes } }
}

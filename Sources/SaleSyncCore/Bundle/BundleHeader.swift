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
    /// The branch's history this bundle belongs to: absent (0) until the branch first rejoins,
    /// then the epoch its rejoin began (docs/operations.md), so that a bundle numbered before a
    /// rejoin is never taken for one numbered after it.
    public var epoch: UInt64?
    /// A rejoin copy only: the branch's last bundle the head office applied, after which the
    /// branch numbers its bundles in the new epoch.
    public var base: UInt64?

    enum CodingKeys: String, CodingKey {
        case branch, sequence, kind, created, tables, epoch, base
        case bodyBytes = "body_bytes"
    }

    public init(
        branch: String, sequence: UInt64, kind: BundleKind, created: String, bodyBytes: Int, tables: [TableSection],
        epoch: UInt64? = nil, base: UInt64? = nil
    ) {
        self.branch = branch
        self.sequence = sequence
        self.kind = kind
        self.created = created
        self.bodyBytes = bodyBytes
        self.tables = tables
        self.epoch = epoch
        self.base = base
    }

    /// The epoch, 0 for a branch that never rejoined.
    public var history: UInt64 { epoch ?? 0 }

    public var rowCount: Int { tables.reduce(0) { $0 + $1.upserts + $1.deletes } }
}

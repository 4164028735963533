/// What a bundle carries (the header's `kind`).
public enum BundleKind: String, Codable, Sendable {
    /// Some table's whole content (first export, or `export --snapshot`).
    case snapshot
    /// The rows changed since the previous export.
    case changes
    /// Head office to one branch: every row the head office holds of that branch, for
    /// `salesync rejoin` (docs/operations.md).
    case rejoin
}

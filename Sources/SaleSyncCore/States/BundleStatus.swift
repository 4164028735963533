/// Where a bundle stands at its branch (`salesync_bundles.status`).
public enum BundleStatus: String, Codable, Sendable, CaseIterable {
    /// Written to the outbox, not yet (completely) sent.
    case pending
    /// Every chunk confirmed by the broker; waiting for the head office's acknowledgement.
    case sent
    /// Applied (or found applied earlier) at the head office.
    case acked
    /// Quarantined by the head office: an operator must look.
    case rejected
}

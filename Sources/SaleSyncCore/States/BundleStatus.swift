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
    /// Held by the head office, unapplied: this branch went back in time and the bundle's
    /// sequence (or one before it) had been used already. Kept here until the branch rejoins.
    case wentBack = "went-back"
}

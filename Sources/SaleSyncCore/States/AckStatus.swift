/// The head office's answer about one bundle (`Ack.status`, `salesync_outbound_acks.status`).
public enum AckStatus: String, Codable, Sendable, CaseIterable {
    /// Applied by this delivery.
    case applied
    /// Applied earlier; this copy changed nothing.
    case duplicate
    /// Arrived damaged: send it again.
    case resend
    /// Quarantined: an operator must look.
    case rejected
    /// Not applied: the branch went back in time (a restored database or `state_dir`, a new PC)
    /// and reused a sequence the head office had applied with other contents. Nothing more of
    /// the branch's is applied until it rejoins (docs/operations.md).
    case wentBack = "went-back"

    /// Whether the bundle's changes are at the head office.
    public var isApplied: Bool { self == .applied || self == .duplicate }
}

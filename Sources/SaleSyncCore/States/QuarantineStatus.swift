/// Where a refused bundle stands (`salesync_quarantine.status`).
public enum QuarantineStatus: String, Codable, Sendable {
    /// Waiting for an operator.
    case open
    /// Put back into the inbox by `quarantine retry`.
    case retried
    /// Given up by `quarantine drop`.
    case dropped
}

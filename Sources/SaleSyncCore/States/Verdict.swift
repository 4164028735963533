/// Whether the head office's copy of a branch matches the branch's last state checksum
/// (`salesync_branches.verdict`, `salesync_applied.verdict`, `Ack.verdict`).
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case match
    case drift
    /// The branch has reported no state yet (or the bundle carried none).
    case unchecked

    /// The verdict over several tables: drift if any drifts, match if all match.
    public static func combined(_ all: [Verdict]) -> Verdict {
        if all.contains(.drift) { return .drift }
        return !all.isEmpty && all.allSatisfy { $0 == .match } ? .match : .unchecked
    }
}

/// `[capture] mode`: how a branch learns which rows changed (docs/capture.md says which to use when).
public enum CaptureMode: String, Sendable {
    /// Triggers on each synced table write every change into salesync's change log.
    case triggers
    /// salesync reads the server's binary log at each export and writes the change log itself:
    /// nothing in the till's tables, nothing added to its writes but the binary log's own cost.
    case binlog
}

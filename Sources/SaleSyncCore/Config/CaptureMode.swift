/// `[capture] mode`: how a branch learns which rows changed (docs/capture.md says which to use when).
public enum CaptureMode: String, Sendable, CaseIterable {
    /// Triggers on each synced table write every change into salesync's change log.
    case triggers
    /// salesync reads the server's binary log at each export and writes the change log itself:
    /// nothing in the till's tables, nothing added to its writes but the binary log's own cost.
    case binlog
    /// salesync compares each table with what it last exported (a key and a row hash per row, in
    /// a table of its own) at each export: nothing at all on the till's path, a scan per export.
    case compare

    /// Whether the till's tables carry salesync's triggers in this mode.
    var usesTriggers: Bool { self == .triggers }
}

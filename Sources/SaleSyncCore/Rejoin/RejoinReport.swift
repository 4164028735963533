/// What `salesync rejoin` did: the rows that came back from the head office, and every row a
/// rule had to settle, listed (docs/operations.md).
public struct RejoinReport: Sendable, Codable, Equatable {
    public var epoch: UInt64 = 0
    /// The head office's last applied bundle: the branch numbers on after it.
    public var base: UInt64 = 0
    /// Rows the branch had lost, back from the head office.
    public var restored = 0
    /// Rows the head office held newer (a correction the branch lost), taken from it.
    public var corrected = 0
    /// Rows the head office had deleted and the restored database still held, deleted.
    public var removed = 0
    /// Rows the branch changed since it went back, kept as the branch has them (sent next).
    public var kept = 0
    /// Rows changed at both ends since the restore, settled for the branch's version: each listed.
    public var conflicts: [String] = []
    /// Rows the branch added since the restore under a key the head office already held for
    /// another row: moved to a new key, each listed as "table key old → new".
    public var rekeyed: [String] = []
    /// The branch's bundles numbered before the rejoin, dropped (their changes go in the new epoch).
    public var droppedBundles = 0
    /// `state_dir` was lost, the database kept: it is the whole truth, sent whole in the new epoch.
    public var keptWhole = false
    /// The copy had been merged before: nothing was done.
    public var alreadyDone = false

    public init() {}

    /// One paragraph for people: what came back and what was settled how.
    public var text: String {
        if alreadyDone { return "already rejoined (epoch \(epoch)); nothing to do" }
        if keptWhole {
            return "rejoined in epoch \(epoch), numbering on after bundle \(base): state_dir was lost but the database kept, "
                + "so every table goes up whole and replaces the head office's copy; \(droppedBundles) old bundle(s) dropped"
        }
        var lines = [
            "rejoined in epoch \(epoch), numbering on after bundle \(base): \(restored) row(s) back from the head office, "
                + "\(corrected) correction(s) taken from it, \(removed) row(s) it had deleted removed, \(kept) row(s) changed here since "
                + "the restore kept and sent next, \(droppedBundles) old bundle(s) dropped"
        ]
        if !rekeyed.isEmpty { lines.append("re-keyed (the head office's row keeps the key, this branch's new row moves):") }
        lines += rekeyed.map { "  " + $0 }
        if !conflicts.isEmpty {
            lines.append("changed here since the restore and different at the head office, this branch's version kept:")
        }
        lines += conflicts.map { "  " + $0 }
        return lines.joined(separator: "\n")
    }
}

import SaleSyncCore

/// A quarantine entry as the quarantine table and `/api/quarantine` show it.
struct QuarantineRow: Sendable {
    let id: UInt64
    let branch: String
    let seq: String
    let created: String
    let reason: String
    let file: String
    let header: String
    let status: String
    let open: Bool
    let decidedBy: String?
    let decidedAt: String
    let json: JSONValue

    init(_ e: Quarantine.Entry, config: Config) {
        let header = Self.headerSummary(e, config)
        id = e.id
        branch = e.branch
        seq = e.sequence.map(String.init) ?? "?"
        created = e.created
        reason = e.reason
        file = e.file
        self.header = header
        status = e.status.rawValue
        open = e.status == .open
        decidedBy = e.decidedBy
        decidedAt = e.decidedAt ?? ""
        json = .object([
            ("id", .int(e.id)), ("branch", .string(e.branch)), ("sequence", e.sequence.map { .int($0) } ?? .null),
            ("received", .string(e.created)), ("reason", .string(e.reason)), ("file", .string(e.file)),
            ("header", .string(header)), ("status", .string(e.status.rawValue)),
            ("decided_by", .optional(e.decidedBy)), ("decided_at", .optional(e.decidedAt)),
        ])
    }

    /// The refused file's header in one line (or why it cannot be read), from the quarantine directory.
    static func headerSummary(_ e: Quarantine.Entry, _ config: Config) -> String {
        do {
            let h = try BundleFile(path: config.quarantineDir + "/" + e.file).header
            return "branch \(h.branch), seq \(h.sequence), \(h.kind.rawValue), created \(h.created), \(h.rowCount) rows"
        } catch {
            return "header unreadable: \(error)"
        }
    }
}

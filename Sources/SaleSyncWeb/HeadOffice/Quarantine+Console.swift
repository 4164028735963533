import Foundation
import SaleSyncCore

extension Quarantine.Entry {
    /// The refused file's header in one line (or why it cannot be read), from the quarantine directory.
    func headerSummary(_ config: Config) -> String {
        let path = config.quarantineDir + "/" + file
        do {
            let h = try BundleFile(path: path).header
            return "branch \(h.branch), seq \(h.sequence), \(h.kind.rawValue), created \(h.created), \(h.rowCount) rows"
        } catch {
            return "header unreadable: \(error)"
        }
    }

    func templateData(_ config: Config) -> [String: Any] {
        mustacheData(["id": id, "branch": branch, "seq": sequence.map(String.init) ?? "?", "created": created, "reason": reason,
                      "file": file, "header": headerSummary(config), "status": status.rawValue, "open": status == .open,
                      "decidedBy": decidedBy, "decidedAt": decidedAt ?? ""])
    }

    func json(_ config: Config) -> JSONValue {
        .object([("id", .int(id)), ("branch", .string(branch)), ("sequence", sequence.map { .int($0) } ?? .null),
                 ("received", .string(created)), ("reason", .string(reason)), ("file", .string(file)),
                 ("header", .string(headerSummary(config))), ("status", .string(status.rawValue)),
                 ("decided_by", .optional(decidedBy)), ("decided_at", .optional(decidedAt))])
    }
}

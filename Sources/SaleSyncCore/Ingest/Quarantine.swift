import Foundation
import MariaDB

/// Refused bundles: their bytes in `quarantine_dir`, why in `salesync_quarantine`, until an
/// operator retries or drops them (`salesync quarantine`).
public struct Quarantine {
    /// One quarantined bundle, for `salesync quarantine list`.
    public struct Entry: Sendable, Codable {
        public var id: UInt64
        public var branch: String
        public var sequence: UInt64?
        public var file: String
        public var reason: String
        public var created: String
        public var status: QuarantineStatus
        /// Who retried or dropped it, and when (nil while open).
        public var decidedBy: String?
        public var decidedAt: String?
    }

    let config: Config
    let db: MariaDBConnection

    public init(config: Config, connection: MariaDBConnection) {
        self.config = config
        self.db = connection
    }

    /// Keeps a refused bundle's bytes in the quarantine directory and records why.
    func keep(branch: String, seq: UInt64?, sha: String?, bytes: [UInt8], reason: String) throws {
        try ensureDirectory(config.quarantineDir)
        let stamp = String(Int(Date().timeIntervalSince1970 * 1000))
        let name = "\(branch.lowercased())-\(seq.map { String($0).leftPadded(to: 12) } ?? "unknown")-\(stamp).ssb"
        try writeFileAtomically(path: config.quarantineDir + "/" + name, bytes: bytes)
        try db.execute(
            """
            INSERT INTO salesync_quarantine (branch_id, seq, sha256, file, reason, created_at) VALUES (?, ?, ?, ?, ?, NOW(6))
            """, [.text(branch), seq.map { .uint($0) } ?? .null, sha.map { .text($0) } ?? .null, .text(name), .text(reason)])
    }

    /// The open entries (with `all`, also those retried or dropped), oldest first.
    public func list(all: Bool = false) throws -> [Entry] {
        try db.query(
            """
            SELECT id, branch_id, seq, file, reason, DATE_FORMAT(created_at, '%Y-%m-%d %H:%i:%s'), status,
              decided_by, DATE_FORMAT(decided_at, '%Y-%m-%d %H:%i:%s')
            FROM salesync_quarantine WHERE ? OR status = ? ORDER BY id
            """, [.int(all ? 1 : 0), QuarantineStatus.open.sql]
        ).map {
            Entry(
                id: $0.uint(0) ?? 0, branch: $0[1] ?? "", sequence: $0.uint(2), file: $0[3] ?? "", reason: $0[4] ?? "",
                created: $0[5] ?? "", status: QuarantineStatus($0, 6) ?? .open, decidedBy: $0[7], decidedAt: $0[8])
        }
    }

    /// Puts a quarantined bundle back into the inbox, to be checked again from scratch by the next
    /// ingest (e.g. after the head office's config got the branch's new key).
    public func retry(id: UInt64, by who: String) throws -> Entry {
        let e = try openEntry(id)
        let path = config.quarantineDir + "/" + e.file
        let bytes = try readFile(path)
        let file: BundleFile
        do { file = try BundleFile(bytes: bytes) } catch let err as BundleError {
            throw SyncError.data("\(path): \(err); a damaged bundle cannot be retried (the branch was asked to send it again)")
        }
        try db.transaction {
            try Inbox(db: db).store(whole: file, bytes)
            try decide(id, .retried, by: who)
        }
        return e
    }

    /// Marks a quarantined bundle as dealt with and deletes its bytes.
    public func drop(id: UInt64, by who: String) throws -> Entry {
        let e = try openEntry(id)
        try decide(id, .dropped, by: who)
        try? FileManager.default.removeItem(atPath: config.quarantineDir + "/" + e.file)
        return e
    }

    private func decide(_ id: UInt64, _ status: QuarantineStatus, by who: String) throws {
        try db.execute(
            "UPDATE salesync_quarantine SET status = ?, decided_by = ?, decided_at = NOW(6) WHERE id = ?",
            [status.sql, .text(String(who.prefix(64))), .uint(id)])
    }

    private func openEntry(_ id: UInt64) throws -> Entry {
        guard let e = try list(all: true).first(where: { $0.id == id && $0.status == .open }) else {
            throw SyncError.data("no open quarantine entry \(id) (see salesync quarantine list)")
        }
        return e
    }
}

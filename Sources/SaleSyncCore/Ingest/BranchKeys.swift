import Crypto
import Foundation
import MariaDB

/// The branches' public keys as the head office trusts them: the configuration's, except where
/// an operator approved a new one (`salesync branch rekey`: a new PC whose old key died with its
/// disk), recorded in `salesync_branch_keys` with who and when. From then on only the new key
/// is accepted.
public final class BranchKeys: @unchecked Sendable {
    private let configured: [String: Curve25519.Signing.PublicKey]
    private var current: [String: Curve25519.Signing.PublicKey]
    private let lock = NSLock()

    init(config: Config) throws {
        var keys: [String: Curve25519.Signing.PublicKey] = [:]
        for b in config.branches { keys[b.id] = try Keys.publicKey(base64: b.publicKey) }
        configured = keys
        current = keys
    }

    subscript(branch: String) -> Curve25519.Signing.PublicKey? { lock.withLock { current[branch] } }

    /// Reads the approved keys again (each round of an ingest: a rekey needs no restart).
    func refresh(_ db: MariaDBConnection) throws {
        var keys = configured
        for r in try db.query("SELECT branch_id, public_key FROM salesync_branch_keys") {
            guard let b = r[0], keys[b] != nil, let k = try? Keys.publicKey(base64: r[1] ?? "") else { continue }
            keys[b] = k
        }
        lock.withLock { current = keys }
    }

    /// `salesync branch rekey`: approves `publicKey` for `branch` and puts back in the inbox its bundles refused for their
    /// signature meanwhile. Returns how many.
    public static func approve(_ db: MariaDBConnection, config: Config, branch: String, publicKey: String, by who: String) throws -> Int {
        guard config.branches.contains(where: { $0.id == branch }) else {
            throw SyncError.config("branch \(branch) is not among \(config.path)'s [branches]")
        }
        do { _ = try Keys.publicKey(base64: publicKey) } catch {
            throw SyncError.config(
                "--public-key: expected the base64 Ed25519 public key salesync keygen printed at \(branch), got \"\(publicKey)\"")
        }
        try db.execute(
            """
            INSERT INTO salesync_branch_keys (branch_id, public_key, approved_by, approved_at) VALUES (?, ?, ?, NOW(6))
            ON DUPLICATE KEY UPDATE public_key = VALUES(public_key), approved_by = VALUES(approved_by), approved_at = VALUES(approved_at)
            """, [.text(branch), .text(publicKey), .text(String(who.prefix(64)))])
        let refused = try db.query(
            "SELECT id FROM salesync_quarantine WHERE branch_id = ? AND status = ? AND reason LIKE ? ORDER BY id",
            [.text(branch), QuarantineStatus.open.sql, .text("%" + BundleError.badSignature(branch: branch).description + "%")])
        let quarantine = Quarantine(config: config, connection: db)
        for r in refused { _ = try quarantine.retry(id: r.uint(0) ?? 0, by: who) }
        return refused.count
    }
}

import Crypto
import Foundation
import Logging
import MariaDB

/// Branch: applies the head office's downlink bundles (docs/downlink.md), each in one
/// transaction, exactly once, in order. A bundle is refused, with nothing applied, unless its
/// checksum holds, the head office's key signed it and it is addressed to this branch.
public final class DownlinkApplier {
    let config: Config
    let conn: MariaDBConnection
    let logger: Logger
    let headOffice: Curve25519.Signing.PublicKey

    /// `connection` must allow LOAD DATA LOCAL (`Database.open(config, localInfile: true)`).
    public init(config: Config, connection: MariaDBConnection, logger: Logger) throws {
        guard let key = config.downlink.headOfficeKey else {
            throw SyncError.config(
                "\(config.path): key downlink.head_office_key: required to accept the head office's bundles (the base64 public key salesync keygen printed at the head office)"
            )
        }
        self.config = config
        self.conn = connection
        self.logger = logger
        headOffice = try Keys.publicKey(base64: key)
    }

    /// What became of one bundle.
    public enum Outcome: Equatable, Sendable {
        case applied(Verdict)
        /// Applied before (this very bundle): acknowledged again, nothing changed.
        case duplicate
        /// A later bundle: waits until the ones before it are applied.
        case waiting(missing: UInt64)
    }

    /// Checks and applies one bundle. Throws `BundleError`/`SyncError.data` for a bundle that
    /// must be refused (nothing applied). `decoded`: its rows, when they were decoded already.
    public func apply(_ file: BundleFile, decoded: [TableChanges]? = nil) throws -> Outcome {
        try check(file)
        guard file.header.kind != .rejoin else {
            throw SyncError.data("downlink bundle \(file.header.sequence) is a rejoin copy: salesync rejoin merges it")
        }
        let seq = file.header.sequence
        // This bundle's record if it was applied, and the last one applied, in one round trip.
        let known = try conn.query(
            """
            SELECT (SELECT sha256 FROM salesync_downlink_applied WHERE seq = ?),
                   (SELECT COALESCE(MAX(seq), 0) FROM salesync_downlink_applied)
            """, [.uint(seq)]
        ).first
        if let applied = known?[0] {
            guard applied == file.sha256 else {
                throw SyncError.data(
                    "downlink bundle \(seq) differs from the bundle \(seq) already applied (sha256 \(file.sha256.prefix(12)), applied \(applied.prefix(12)))"
                )
            }
            // A bundle comes again when the head office lacks its ack (it copies every bundle not
            // yet acknowledged onto its next stick): the ack is owed again, by whichever way goes
            // next. A second delivery of any other kind only costs a duplicate ack.
            try conn.execute("UPDATE salesync_downlink_applied SET ack_sent_at = NULL WHERE seq = ?", [.uint(seq)])
            return .duplicate
        }
        let last = known?.uint(1) ?? 0
        guard seq == last + 1 else { return .waiting(missing: last + 1) }
        let tables = try decoded ?? file.decodeBody()
        for t in tables { try ensureTable(t.section) }
        // The transaction's time, logged: the apply's own rate, apart from the command's start-up.
        let t0 = Date()
        try conn.begin()
        do {
            var verdicts: [String: Verdict] = [:]
            let snapshot = file.header.kind == .snapshot
            for t in tables {
                let name = t.section.name
                let v = try DownlinkTable(db: conn, changes: t).apply(check: try isCheckDue(name, snapshot: snapshot))
                // A table split across parts is judged by the part that carries its state.
                if v != .unchecked || verdicts[name] == nil { verdicts[name] = v }
                if v != .unchecked { try recordCheck(name, v) }
            }
            let all = Set(verdicts.values)
            let verdict: Verdict = all.contains(.drift) ? .drift : all.contains(.match) ? .match : .unchecked
            let drifted = verdicts.filter { $0.value == .drift }.keys.sorted()
            let ack = Ack(
                status: .applied, branch: config.site, sequence: seq, sha256: file.sha256, rows: file.header.rowCount,
                verdict: verdict, detail: drifted.isEmpty ? "" : "drift in \(drifted.joined(separator: ", "))", tables: verdicts)
            try recordApplied(file, ack)
            faultPoint("downlink-before-commit")
            try conn.commit()
            logger.info(
                "downlink bundle applied",
                metadata: [
                    "seq": "\(seq)", "rows": "\(file.header.rowCount)", "verdict": "\(verdict.rawValue)",
                    "ms": "\(String(format: "%.1f", Date().timeIntervalSince(t0) * 1000))",
                ])
            return .applied(verdict)
        } catch {
            try? conn.rollback()
            throw error
        }
    }

    /// Records `file` as applied with the acknowledgement the head office is owed (in the
    /// caller's transaction). `orIgnore`: a record already there stays (a rejoin copy).
    func recordApplied(_ file: BundleFile, _ ack: Ack, orIgnore: Bool = false) throws {
        try conn.execute(
            """
            INSERT \(orIgnore ? "IGNORE " : "")INTO salesync_downlink_applied (seq, sha256, kind, row_count, created_at, applied_at, verdict, ack_body)
            VALUES (?, ?, ?, ?, ?, NOW(6), ?, ?)
            """,
            [
                .uint(file.header.sequence), .text(file.sha256), .text(file.header.kind.rawValue), .int(Int64(file.header.rowCount)),
                .text(file.header.created), .text(ack.verdict.rawValue), .bytes(ack.encoded()),
            ])
    }

    /// Whether table `name`'s whole state is compared this time: always for a snapshot, else
    /// when the last comparison is older than `downlink.check_every`.
    func isCheckDue(_ name: String, snapshot: Bool) throws -> Bool {
        if snapshot || config.downlink.checkEvery <= 0 { return true }
        return try conn.query(
            "SELECT 1 FROM salesync_downlink_checks WHERE table_name = ? AND checked_at > NOW(6) - INTERVAL ? SECOND",
            [.text(name), .int(Int64(config.downlink.checkEvery))]
        ).isEmpty
    }

    func recordCheck(_ name: String, _ verdict: Verdict) throws {
        try conn.execute(
            """
            INSERT INTO salesync_downlink_checks (table_name, checked_at, verdict) VALUES (?, NOW(6), ?)
            ON DUPLICATE KEY UPDATE checked_at = VALUES(checked_at), verdict = VALUES(verdict)
            """, [.text(name), .text(verdict.rawValue)])
    }

    /// Checksum (when read), signature, addressee.
    func check(_ file: BundleFile) throws {
        do {
            try file.verifySignature(headOffice)
        } catch {
            throw SyncError.data("downlink bundle \(file.header.sequence): not signed by the head office's key (downlink.head_office_key)")
        }
        guard file.header.branch == config.site else {
            throw SyncError.data(
                "downlink bundle \(file.header.sequence) is addressed to branch \(file.header.branch), this is \(config.site)")
        }
    }

    /// Creates the branch's copy of a head-office table from the bundle's columns, or extends it
    /// for an additive change; anything else stops the bundle with the reason.
    func ensureTable(_ s: TableSection) throws {
        let current = try? Database.schema(conn, database: config.database.name, table: s.name)
        if current?.fingerprint == s.fingerprint { return }
        let plan = SchemaPlan(bundle: s.schema, previous: nil, ho: current, accepted: false) {
            Database.createTableSQL($0)
        }
        guard plan.holds.isEmpty else {
            throw SyncError.data(
                "downlink table \(s.name) changed in a way a branch does not follow by itself: \(plan.holds.joined(separator: "; "))")
        }
        for sql in plan.ddl {
            try conn.execute(sql)
            logger.notice("downlink schema: \(sql)")
        }
    }
}

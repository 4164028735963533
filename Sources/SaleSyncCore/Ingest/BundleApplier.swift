import Crypto
import Foundation
import Logging
import MariaDB

/// One lane of the head office's applying, on a connection of its own: checks one complete
/// bundle from the inbox and settles it: applies it, acknowledges a copy seen before, or
/// refuses it into the quarantine, each in one transaction with its removal from the inbox
/// and the acknowledgement it owes.
final class BundleApplier {
    let config: Config
    let db: MariaDBConnection
    let logger: Logger
    let keys: BranchKeys
    let inbox: Inbox
    let acks: AckOutbox
    let quarantine: Quarantine
    /// Branch, table and fingerprint of shapes found ready (see `ensureTable`).
    var compatibleShapes: Set<String> = []
    /// The head office's tables as last read, by name (see `headOfficeView`).
    var headOfficeViews: [String: TableSchema?] = [:]
    /// Bundles settled as applied or duplicate by this lane, for ack files (USB).
    var touched: [(branch: String, seq: UInt64)] = []

    init(config: Config, connection: MariaDBConnection, logger: Logger, keys: BranchKeys) {
        self.config = config
        self.db = connection
        self.logger = logger
        self.keys = keys
        inbox = Inbox(db: connection)
        acks = AckOutbox(db: connection)
        quarantine = Quarantine(config: config, connection: connection)
    }

    /// Checks one complete bundle and applies, re-acknowledges or refuses it, or leaves it for
    /// later. In a pipelined run, `after` is the gate of the bundle before this one and `gate`
    /// this one's. Returns whether the bundle was applied.
    @discardableResult
    func settle(
        _ branch: String, _ b: InboxBundle, last: UInt64, report: inout IngestReport,
        after: ApplyGate? = nil, gate: ApplyGate? = nil
    ) throws -> Bool {
        let t0 = Date()
        let bytes = try inbox.assemble(branch, b)
        logger.debug(
            "assembled", metadata: ["branch": "\(branch)", "seq": "\(b.seq)", "ms": "\(Int(Date().timeIntervalSince(t0) * 1000))"])
        let file: BundleFile
        do { file = try Self.open(bytes, as: b) } catch let e as BundleError {
            // Damaged in transit: keep the evidence, ask the branch for another copy.
            try refuse(branch, b, bytes, reason: "damaged in transit: \(e)", answer: .resend, detail: "\(e)", report: &report)
            return false
        }
        if let why = refusal(of: file, through: branch, as: b) {
            // A bundle that names another branch gets no ack: its branch never sent it here.
            try refuse(branch, b, bytes, reason: why, answer: file.header.branch == branch ? .rejected : nil, report: &report)
            return false
        }
        if try settleOtherEpoch(branch, b, file, bytes, last: last, report: &report) { return false }
        if b.seq <= last {
            try settleSeen(branch, b, bytes, report: &report)
            return false
        }
        return try applyOrRefuse(file, bytes, branch: branch, b, report: &report, after: after, gate: gate)
    }

    /// Reads the bundle's frame and checks it is the one its chunks announced.
    static func open(_ bytes: [UInt8], as b: InboxBundle) throws -> BundleFile {
        let file = try BundleFile(bytes: bytes)
        guard file.sha256 == b.sha else { throw BundleError.checksumMismatch(expected: b.sha, actual: file.sha256) }
        return file
    }

    /// Why an intact bundle must not be applied (wrong queue, wrong sequence, bad signature), or nil.
    func refusal(of file: BundleFile, through branch: String, as b: InboxBundle) -> String? {
        Self.refusal(of: file, through: branch, as: b, key: keys[branch])
    }

    static func refusal(of file: BundleFile, through branch: String, as b: InboxBundle, key: Curve25519.Signing.PublicKey?) -> String? {
        let h = file.header
        if h.branch != branch { return "bundle of branch \(h.branch) arrived through branch \(branch)'s queue" }
        if h.sequence != b.seq { return "bundle says sequence \(h.sequence), its chunks said \(b.seq)" }
        if h.kind == .rejoin { return "a rejoin copy is the head office's own bundle; a branch never sends one" }
        guard let key else { return "\(BundleError.unknownBranch(branch))" }
        do { try file.verifySignature(key) } catch { return "\(error)" }
        return nil
    }

    /// A bundle whose sequence was applied before: the same bytes are acknowledged again;
    /// different bytes mean the branch went back in time.
    private func settleSeen(_ branch: String, _ b: InboxBundle, _ bytes: [UInt8], report: inout IngestReport) throws {
        let prior = try db.query(
            "SELECT sha256, row_count, verdict FROM salesync_applied WHERE branch_id = ? AND seq = ?",
            [.text(branch), .uint(b.seq)]
        ).first
        guard let prior, prior[0] == b.sha else {
            // Signed by the branch and intact (checked before), yet another bundle under a
            // sequence already used: the branch went back in time.
            try settleWentBack(branch, b, report: &report)
            return
        }
        try db.transaction {
            try acks.owe(
                Ack(
                    status: .duplicate, branch: branch, sequence: b.seq, sha256: b.sha, rows: Int(prior.int(1) ?? 0),
                    verdict: Verdict(prior, 2) ?? .unchecked, detail: "applied earlier"))
            try inbox.remove(branch, b)
        }
        report.duplicates += 1
        touched.append((branch, b.seq))
    }

    /// Refuses a bundle: keeps its bytes in the quarantine, takes it out of the inbox and, with
    /// `answer`, owes the branch an acknowledgement saying so, all in one transaction.
    func refuse(
        _ branch: String, _ b: InboxBundle, _ bytes: [UInt8], reason: String, answer: AckStatus?,
        detail: String? = nil, report: inout IngestReport
    ) throws {
        try db.transaction {
            try quarantine.keep(branch: branch, seq: b.seq, sha: b.sha, bytes: bytes, reason: reason)
            try inbox.remove(branch, b)
            if let answer {
                try acks.owe(
                    Ack(
                        status: answer, branch: branch, sequence: b.seq, sha256: b.sha, rows: 0, verdict: .unchecked,
                        detail: detail ?? reason))
            }
        }
        report.quarantined += 1
        if answer == .resend { report.resendRequested += 1 }
        let what = answer == .resend ? "bundle quarantined, resend requested" : "bundle refused"
        logger.error("\(what): \(reason)", metadata: ["branch": "\(branch)", "seq": "\(b.seq)"])
    }
}

import Crypto
import Foundation
import MariaDB

extension BundleApplier {
    /// A branch's next bundle, checked and decoded, waiting for its group's transaction.
    struct GroupMember: Sendable {
        var branch: String
        var inbox: InboxBundle
        var header: BundleHeader
        var tables: [TableChanges]
        var hashes: [UInt64]
        var rows: Int { header.rowCount }
    }

    /// Checks and decodes a candidate (on any thread). Nil when it is not for a group: refused,
    /// hashed by the server or with a table in several parts; the one-at-a-time path settles
    /// those, with reasons.
    static func groupMember(_ c: GroupDecoding.Candidate, key: Curve25519.Signing.PublicKey?) -> GroupMember? {
        guard refusal(of: c.file, through: c.branch, as: c.inbox, key: key) == nil, let tables = try? c.file.decodeBody(),
            Set(tables.map(\.section.name)).count == tables.count
        else { return nil }
        let hashes = tables.compactMap { t in RowHasher(t.section.schema).map { $0.sum(t.upserts) } }
        guard hashes.count == tables.count else { return nil }
        return GroupMember(branch: c.branch, inbox: c.inbox, header: c.file.header, tables: tables, hashes: hashes)
    }

    /// Makes the head office's tables ready for the member; false when one of them waits for
    /// an operator or is not synced here (the one-at-a-time path says so).
    func readyTables(_ m: GroupMember) throws -> Bool {
        do {
            for t in m.tables { try ensureTable(t.section, branch: m.branch, seq: m.inbox.seq) }
            return true
        } catch is SchemaHold {
            return false
        } catch let e as SyncError where e.failure == .data {
            return false
        }
    }

    /// Applies the members' bundles (each the next of another branch) in one transaction: one
    /// load per table for all of them, then each one's state, record, removal from the inbox and
    /// ack. All commit or none. Returns false, having changed nothing, when a member's content
    /// is refused or its sequence is no longer next: the caller then settles the members one at
    /// a time, which quarantines the culprit with its reason.
    func applyGroup(_ members: [GroupMember], report: inout IngestReport) throws -> Bool {
        guard !members.isEmpty else { return true }
        let t0 = Date()
        let results: [(rows: Int, verdict: Verdict)]
        do {
            results = try retryingConflicts(["bundles": "\(members.count)"], nil) { try applyGroupInTransaction(members) }
        } catch let e as SyncError where e.failure == .data || e.failure == .temporary {
            logger.notice("a group of \(members.count) bundles was not applied (\(e.message)); applying them one at a time")
            return false
        }
        if members.count > 1 { report.grouped += members.count }
        for (m, r) in zip(members, results) {
            report.applied.append(.init(branch: m.branch, seq: m.inbox.seq, rows: r.rows, verdict: r.verdict))
            touched.append((m.branch, m.inbox.seq))
            logger.info(
                "bundle applied",
                metadata: ["branch": "\(m.branch)", "seq": "\(m.inbox.seq)", "rows": "\(r.rows)", "verdict": "\(r.verdict)"])
        }
        logger.debug("group applied", metadata: ["bundles": "\(members.count)", "ms": "\(Int(Date().timeIntervalSince(t0) * 1000))"])
        return true
    }

    private func applyGroupInTransaction(_ members: [GroupMember]) throws -> [(rows: Int, verdict: Verdict)] {
        // Any branch's id marks the writes as salesync's own for the head office's drift triggers.
        try db.execute("SET @salesync_branch = ?", [.text(members[0].branch)])
        let results = try db.transaction {
            try checkStillNext(members)
            var verdicts = members.map { _ in [Verdict]() }
            for shape in Self.shapes(members) {
                let owners = members.indices.flatMap { m in
                    members[m].tables.indices.filter { shape == Self.shape(members[m].tables[$0]) }.map { (m, $0) }
                }
                let applier = TableApplier(
                    db: db,
                    parts: owners.map { m, t in
                        .init(
                            branch: members[m].branch, changes: members[m].tables[t], isSnapshot: members[m].header.kind == .snapshot,
                            upsertHash: members[m].hashes[t])
                    })
                for (i, d) in try applier.loadChanges().enumerated() {
                    if let v = try applier.recordState(i, d) { verdicts[owners[i].0].append(v) }
                }
            }
            let results = zip(members, verdicts).map { (rows: $0.rows, verdict: Verdict.combined($1)) }
            for (m, r) in zip(members, results) {
                try recordApplied(m.branch, m.inbox, created: m.header.created, rows: r.rows, verdict: r.verdict)
            }
            faultPoint("ingest-before-commit")
            return results
        }
        faultPoint("ingest-after-commit")
        return results
    }

    /// Re-reads every member's branch under a row lock: the database, not this process, has the
    /// last word on order.
    private func checkStillNext(_ members: [GroupMember]) throws {
        let rows = try db.query(
            "SELECT branch_id, last_seq FROM salesync_branches WHERE branch_id IN (\(TableApplier.marks(members.count))) FOR UPDATE",
            members.map { .text($0.branch) })
        var last: [String: UInt64] = [:]
        for r in rows { last[r[0] ?? ""] = r.uint(1) ?? 0 }
        for m in members where (last[m.branch] ?? 0) + 1 != m.inbox.seq {
            throw SyncError.temporary("bundle \(m.branch)/\(m.inbox.seq) is no longer next (last applied \(last[m.branch] ?? 0))")
        }
    }

    /// A table section's shape: its name and its columns' fingerprint.
    private static func shape(_ t: TableChanges) -> String { t.section.name + "\u{0}" + t.section.fingerprint }

    /// The members' table shapes, in the order they first appear.
    private static func shapes(_ members: [GroupMember]) -> [String] {
        var seen = Set<String>()
        return members.flatMap { $0.tables.map(shape) }.filter { seen.insert($0).inserted }
    }
}

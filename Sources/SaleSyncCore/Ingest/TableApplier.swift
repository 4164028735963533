import Foundation
import MariaDB

/// Applies one table's part of one bundle, or of several branches' bundles at once, at the
/// head office, set-based: rows stream into one `LOAD DATA LOCAL INFILE ... REPLACE` (the
/// connector reads them from memory, no temp file); deletes and the state of the keys before
/// go by index ranges of the branch's keys where its key is one integer column, else by a join
/// against a temporary key table (KeyMatch.swift). It also keeps the head office's own row count and content hash per branch and
/// compares them with the branch's.
///
/// Two steps, so that a bundle's data can go in while the bundle before it is still being
/// applied on another connection: `loadChanges` touches only the parts' own keys and returns
/// what they changed in each branch's count and hash; `recordState` then adds that to the
/// running state. Several branches' parts share one load (see BundleApplier+Group.swift), so
/// that two hundred small bundles cost about what one large one does.
struct TableApplier {
    /// One branch's changes to the table.
    struct Part {
        var branch: String
        var changes: TableChanges
        var isSnapshot: Bool
        /// Hash sum of the upserted rows computed from the bundle (nil: the server hashes them).
        var upsertHash: UInt64?
    }

    let db: MariaDBConnection
    /// The parts, each of another branch, all of one table shape.
    let parts: [Part]

    var schema: TableSchema { parts[0].changes.section.schema }
    var table: String { quoteIdentifier(schema.name) }

    /// What one part's changes did to the head office's count and hash for its branch.
    struct Delta {
        var rows: Int64 = 0
        var hash: UInt64 = 0
        /// The bundle reset the table: the delta is the whole state.
        var absolute = false
        /// The delta is unknown: recount the branch's rows when recording.
        var recount = false
    }

    /// MariaDB errors that mean "the head office's table will not take these rows" (a CHECK
    /// or foreign-key constraint, NULL into NOT NULL, a value out of range...): the bundle is
    /// refused whole and quarantined rather than retried forever.
    static let refusalCodes: Set<UInt32> = [
        MariaDBError.Code.nullNotAllowed, MariaDBError.Code.duplicateEntry, MariaDBError.Code.outOfRange,
        MariaDBError.Code.dataTruncated, MariaDBError.Code.wrongValue, MariaDBError.Code.dataTooLong,
        MariaDBError.Code.rowIsReferenced, MariaDBError.Code.noReferencedRow, MariaDBError.Code.constraintFailed,
    ]

    /// Applies every part's changes, returning each part's delta; touches no row outside the
    /// parts' keys (except in the tables of branches whose bundle resets them).
    func loadChanges() throws -> [Delta] {
        do {
            return try loadChangesUnchecked()
        } catch let e as MariaDBError where Self.refusalCodes.contains(e.code) {
            throw SyncError.data("table \(schema.name): the head office refused the rows: \(e.message)")
        }
    }

    private func loadChangesUnchecked() throws -> [Delta] {
        var deltas = parts.map { Delta(absolute: $0.changes.section.reset) }
        let resets = parts.filter(\.changes.section.reset).map(\.branch)
        if !resets.isEmpty {
            try db.execute("DELETE FROM \(table) WHERE branch_id IN (\(Self.marks(resets.count)))", resets.map { .text($0) })
        }
        // Parts of a snapshot that delete nothing hold keys no earlier part had, after a reset:
        // they are loaded without a look at what their keys held.
        let fresh = parts.indices.filter { parts[$0].isSnapshot && parts[$0].changes.deletes.count == 0 }
        let changed = parts.indices.filter { i in
            !fresh.contains(i) && parts[i].changes.upserts.count + parts[i].changes.deletes.count > 0
        }
        if !changed.isEmpty { try loadChanged(changed, into: &deltas) }
        let replaced = try loadRows(fresh)
        for i in fresh {
            if let hash = parts[i].upsertHash, replaced == 0 {
                deltas[i].rows = Int64(parts[i].changes.upserts.count)
                deltas[i].hash = hash
            } else {
                // Keys repeated across parts: only the table knows what was replaced. The server
                // hashes: once, at the part that carries the branch's state.
                deltas[i].recount = parts[i].upsertHash != nil || parts[i].changes.section.state != nil
            }
        }
        return deltas
    }

    /// Parts with deletes or updates: what their keys held before, the deletes, then the rows.
    private func loadChanged(_ changed: [Int], into deltas: inout [Delta]) throws {
        let keys = try matchKeys(changed)
        let before = try stateByBranch(keys.rows(nil))
        if changed.contains(where: { parts[$0].changes.deletes.count > 0 }) {
            let (join, condition, params) = keys.rows("d")
            try db.execute("DELETE t FROM \(table) t \(join) WHERE \(condition)", params)
        }
        try loadRows(changed)
        let serverHashed = changed.contains { parts[$0].upsertHash == nil }
        let after = serverHashed ? try stateByBranch(keys.rows("u")) : [:]
        for i in changed {
            let p = parts[i]
            let (beforeRows, beforeHash) = before[p.branch] ?? (0, 0)
            let (afterRows, afterHash) = p.upsertHash.map { (Int64(p.changes.upserts.count), $0) } ?? after[p.branch] ?? (0, 0)
            deltas[i].rows = afterRows - beforeRows
            deltas[i].hash = afterHash &- beforeHash
        }
    }

    /// Count and hash sum per branch of the rows `match` selects.
    private func stateByBranch(_ match: (join: String, condition: String, params: [SQLValue])) throws -> [String: (Int64, UInt64)] {
        let hashSQL = Database.rowHashSQL(schema) { "t.\($0)" }
        var out: [String: (Int64, UInt64)] = [:]
        for r in try db.query(
            """
            SELECT t.branch_id, COUNT(*), SUM(\(hashSQL)) FROM \(table) t \(match.join) WHERE \(match.condition) GROUP BY t.branch_id
            """, match.params)
        {
            out[r[0] ?? ""] = (r.int(1) ?? 0, wrappingUInt64(decimal: r[2]))
        }
        return out
    }

    /// Adds `d` to the head office's running state for part `i`'s branch and the table; returns
    /// the verdict when the part carries the branch's state, else nil.
    func recordState(_ i: Int, _ d: Delta) throws -> Verdict? {
        let branch = parts[i].branch
        try db.execute(
            "INSERT IGNORE INTO salesync_table_state (branch_id, table_name) VALUES (?, ?)", [.text(branch), .text(schema.name)])
        let st = try db.query(
            "SELECT state_rows, state_hash, fingerprint FROM salesync_table_state WHERE branch_id = ? AND table_name = ? FOR UPDATE",
            [.text(branch), .text(schema.name)]
        ).first
        var rows = st?.int(0) ?? 0
        var hash = st?.uint(1) ?? 0
        // A new shape hashes rows differently (the branch recounted too): recount from the table.
        let reshaped = st?[2].map { $0 != schema.fingerprint } ?? false
        if d.recount || reshaped {
            (rows, hash) = try HeadOfficeStore.fullState(db, schema, branch: branch)
        } else if d.absolute {
            (rows, hash) = (d.rows, d.hash)
        } else {
            rows += d.rows
            hash = hash &+ d.hash
        }
        let columns = String(decoding: try JSONEncoder().encode(schema.columns), as: UTF8.self)
        try db.execute(
            """
            UPDATE salesync_table_state SET state_rows = ?, state_hash = ?, fingerprint = ?, columns_json = ?
            WHERE branch_id = ? AND table_name = ?
            """, [.int(rows), .uint(hash), .text(schema.fingerprint), .text(columns), .text(branch), .text(schema.name)])
        guard let expected = parts[i].changes.section.state else { return nil }
        try db.execute(
            "UPDATE salesync_table_state SET branch_rows = ?, branch_hash = ? WHERE branch_id = ? AND table_name = ?",
            [.int(expected.rows), .uint(expected.hashValue64), .text(branch), .text(schema.name)])
        return expected.rows == rows && expected.hashValue64 == hash ? .match : .drift
    }

    /// `n` placeholders for an IN list.
    static func marks(_ n: Int) -> String { Array(repeating: "?", count: n).joined(separator: ", ") }
}

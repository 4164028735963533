import Crypto
import Foundation

/// One master downlink bundle as each branch receives it: the same body for every branch when
/// no row in it is meant for one branch only, else the rows filtered per branch.
struct BranchRows {
    let file: BundleFile
    /// Per table with a branch column: the column's index.
    let branchColumn: [String: Int]
    /// The master's rows, decoded only when some must be filtered.
    private let decoded: [TableChanges]?
    /// Otherwise the master's body, sealed under each branch's header (`Distributor.frame`).
    let resealer: Resealer?

    init(file: BundleFile, columns: [String: String]) throws {
        self.file = file
        var found: [String: Int] = [:]
        for s in file.header.tables {
            guard let name = columns[s.name] else { continue }
            guard let i = s.columns.firstIndex(where: { $0.name == name }) else {
                throw SyncError.config("downlink.branch_columns.\(s.name): table \(s.name) has no column \(name)")
            }
            found[s.name] = i
        }
        branchColumn = found
        let filtered = file.header.tables.contains { found[$0.name] != nil && $0.upserts > 0 }
        decoded = filtered ? try file.decodeBody() : nil
        resealer = filtered ? nil : try Resealer(file)
    }

    /// Branch `branch`'s bundle number `sequence`, its rows filtered (when there is no `resealer`).
    func bundle(for branch: String, sequence: UInt64, key: Curve25519.Signing.PrivateKey, level: Int32) throws -> [UInt8] {
        let tables = (decoded ?? []).map { t in branchColumn[t.section.name].map { Self.only(branch, column: $0, of: t) } ?? t }
        let h = file.header
        let bytes = try BundleFormat.encode(
            branch: branch, sequence: sequence, kind: h.kind, created: h.created, tables: tables, key: key, level: level,
            version: file.version)
        return bytes
    }

    /// The rows of `t` that go to every branch (NULL in the branch column) or to `branch`; the
    /// others' keys become deletes, since such a row may have been this branch's before. The
    /// table's state is the head office's whole table, not this branch's part: it is left out.
    static func only(_ branch: String, column: Int, of t: TableChanges) -> TableChanges {
        let mine = Array(branch.utf8)
        var out = TableChanges(
            section: t.section, upserts: RowBatch(columnCount: t.upserts.columns.count), deletes: t.deletes)
        let keys = t.section.schema.keyIndexes
        for i in 0..<t.upserts.count {
            let owner = t.upserts.columns[column].value(i)
            if owner == nil || owner.map(Array.init) == mine {
                for c in out.upserts.columns.indices { out.upserts.columns[c].append(t.upserts.columns[c].value(i).map(Array.init)) }
            } else {
                for (j, k) in keys.enumerated() { out.deletes.columns[j].append(t.upserts.columns[k].value(i).map(Array.init)) }
            }
        }
        out.section.state = nil
        return out
    }
}

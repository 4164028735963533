import Foundation
import MariaDB

extension BundleApplier {
    /// Makes the head office's table ready for a bundle's table section: created from the
    /// bundle's columns if missing, widened or extended when the branch's table grew (additive
    /// changes, docs/schema-changes.md), or — for any other change — `SchemaHold` is thrown and
    /// nothing of the bundle is applied.
    func ensureTable(_ s: TableSection, branch: String, seq: UInt64) throws {
        guard config.database.tables.contains(s.name) else {
            throw SyncError.data("bundle has changes for table \(s.name), which this head office does not sync (database.tables)")
        }
        // A shape found compatible for a branch stays so: the head office's table only grows.
        let cacheKey = "\(branch)\u{0}\(s.name)\u{0}\(s.fingerprint)"
        if compatibleShapes.contains(cacheKey) { return }
        var plan = try schemaPlan(s, branch: branch)
        // Anything but "ready as it is" is decided again on a fresh look at the table.
        if !plan.isClean { plan = try schemaPlan(s, branch: branch, fresh: true) }
        if !plan.ddl.isEmpty && plan.holds.isEmpty {
            try withDDLLock {
                plan = try schemaPlan(s, branch: branch, fresh: true)  // another process may have done it meanwhile
                guard plan.holds.isEmpty else { return }
                defer { headOfficeViews[s.name] = nil }
                for sql in plan.ddl {
                    try db.execute(sql)
                    logger.notice("schema: \(sql)", metadata: ["branch": "\(branch)", "seq": "\(seq)"])
                }
                try syncDriftTriggers(s.name)
            }
        }
        guard plan.holds.isEmpty else { throw SchemaHold(table: s.name, schema: s.schema, reasons: plan.holds) }
        // Once per process and table: the drift triggers follow [ingest] watch_external_changes.
        if !compatibleShapes.contains("\u{1}" + s.name) { try syncDriftTriggers(s.name) }
        compatibleShapes.insert(cacheKey)
    }

    /// The head office's drift triggers for its table's current columns (docs/schema-changes.md: limits).
    private func syncDriftTriggers(_ table: String) throws {
        if let ho = try HeadOfficeStore.branchView(db, database: config.database.name, table: table) {
            try HeadOfficeStore.syncDriftTriggers(db, ho, watch: config.watchExternalChanges)
        }
        compatibleShapes.insert("\u{1}" + table)
    }

    /// What the head office must do for this section's shape from this branch.
    private func schemaPlan(_ s: TableSection, branch: String, fresh: Bool = false) throws -> SchemaPlan {
        let ho = try headOfficeView(s.name, fresh: fresh)
        let accepted = try SchemaHolds(connection: db).accepted(branch: branch, table: s.name, fingerprint: s.fingerprint)
        return SchemaPlan(
            bundle: s.schema, previous: try HeadOfficeStore.lastSchema(db, branch: branch, table: s.name),
            ho: ho, accepted: accepted)
    }

    /// The head office's table as this lane last read it. Reading information_schema takes
    /// about 30 ms on a server with hundreds of databases, once per branch without this. The
    /// table only grows, so a shape the remembered view takes, the current table takes too;
    /// a plan that would change or hold anything is made again from a fresh read.
    private func headOfficeView(_ table: String, fresh: Bool) throws -> TableSchema? {
        if !fresh, let known = headOfficeViews[table] { return known }
        let view = try HeadOfficeStore.branchView(db, database: config.database.name, table: table)
        headOfficeViews[table] = view
        return view
    }

    /// Several ingest processes may meet the same change at once: one of them alters the table.
    private func withDDLLock(_ body: () throws -> Void) throws {
        let lock = "salesync-ddl-\(config.database.name)"
        guard try db.query("SELECT GET_LOCK(?, 60)", [.text(lock)]).first?[0] == "1" else {
            throw SyncError.temporary("another ingest holds the table-change lock for more than 60 s")
        }
        defer { _ = try? db.query("SELECT RELEASE_LOCK(?)", [.text(lock)]) }
        try body()
    }
}

import MariaDB

extension BundleApplier {
    /// Creates the head office's table from the bundle's column list if missing, and refuses a
    /// bundle whose columns differ from the existing table's.
    func ensureTable(_ s: TableSection) throws {
        guard config.database.tables.contains(s.name) else {
            throw SyncError.data("bundle has changes for table \(s.name), which this head office does not sync (database.tables)")
        }
        if checkedTables[s.name] == nil {
            // Several ingest processes may meet a new table at once: one of them creates it.
            let lock = "salesync-ddl-\(config.database.name)"
            guard try db.query("SELECT GET_LOCK(?, 60)", [.text(lock)]).first?[0] == "1" else {
                throw SyncError.temporary("another ingest holds the table-creation lock for more than 60 s")
            }
            defer { _ = try? db.query("SELECT RELEASE_LOCK(?)", [.text(lock)]) }
            try checkTable(s)
        }
        try checkTable(s)
    }

    private func checkTable(_ s: TableSection) throws {
        if let known = checkedTables[s.name] {
            guard known.fingerprint == s.fingerprint else {
                throw BundleError.schemaMismatch(table: s.name, detail: "bundle fingerprint \(s.fingerprint), head office \(known.fingerprint)")
            }
            return
        }
        if try HeadOfficeStore.branchView(db, database: config.database.name, table: s.name) == nil {
            try db.execute(HeadOfficeStore.createTableSQL(s.schema))
            logger.notice("created table \(s.name) from the bundle's column list")
        }
        guard let ho = try HeadOfficeStore.branchView(db, database: config.database.name, table: s.name) else {
            throw SyncError.other("table \(s.name) could not be created")
        }
        if ho.fingerprint != s.fingerprint {
            let diff = zip(ho.columns, s.columns).first { $0 != $1 }.map { "head office has \($0.0.name) \($0.0.type), bundle \($0.1.name) \($0.1.type)" }
                ?? "column count \(ho.columns.count) vs \(s.columns.count)"
            throw BundleError.schemaMismatch(table: s.name, detail: diff)
        }
        try HeadOfficeStore.syncDriftTriggers(db, database: config.database.name, s.schema, watch: config.watchExternalChanges)
        checkedTables[s.name] = ho
    }
}

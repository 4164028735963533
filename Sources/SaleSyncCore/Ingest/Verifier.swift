import MariaDB

/// `salesync verify`: compares the head office's copy of a branch with the branch's last
/// reported state checksum.
public struct Verifier {
    /// One table's comparison.
    public struct Verification: Sendable {
        public var table: String
        public var headOfficeRows: Int64
        public var headOfficeHash: UInt64
        public var branchRows: Int64?
        public var branchHash: UInt64?
        public var verdict: Verdict
        /// Set when the branch went back in time: its last reported state is not its state any
        /// more, so the verdict is drift whatever the checksums say.
        public var wentBack: String?
    }

    let config: Config
    let db: MariaDBConnection

    public init(config: Config, connection: MariaDBConnection) {
        self.config = config
        self.db = connection
    }

    /// Compares every synced table of `branch`. `full` recomputes the head office's side from the
    /// table (and corrects the running checksum to it); otherwise the running checksum is used.
    public func verify(branch: String, full: Bool) throws -> [Verification] {
        guard config.branches.contains(where: { $0.id == branch }) else {
            throw SyncError.config("\(config.path): no branch \(branch) in [branches]")
        }
        let wentBack = try db.query(
            "SELECT went_back_detail FROM salesync_branches WHERE branch_id = ? AND went_back_seq IS NOT NULL", [.text(branch)]
        ).first?[0]
        let out = try config.database.tables.map { table -> Verification in
            var v = try verify(branch: branch, table: table, full: full)
            if let wentBack { (v.verdict, v.wentBack) = (.drift, wentBack) }
            return v
        }
        let overall = Verdict.combined(out.map(\.verdict))
        try db.execute("UPDATE salesync_branches SET verdict = ? WHERE branch_id = ?", [overall.sql, .text(branch)])
        return out
    }

    private func verify(branch: String, table: String, full: Bool) throws -> Verification {
        let st = try db.query(
            "SELECT state_rows, state_hash, branch_rows, branch_hash FROM salesync_table_state WHERE branch_id = ? AND table_name = ?",
            [.text(branch), .text(table)]
        ).first
        var rows = st?.int(0) ?? 0
        var hash = st?.uint(1) ?? 0
        if full, let schema = try branchShape(branch: branch, table: table) {
            (rows, hash) = try HeadOfficeStore.fullState(db, schema, branch: branch)
            try db.execute(
                """
                INSERT INTO salesync_table_state (branch_id, table_name, state_rows, state_hash) VALUES (?, ?, ?, ?)
                ON DUPLICATE KEY UPDATE state_rows = VALUES(state_rows), state_hash = VALUES(state_hash)
                """, [.text(branch), .text(table), .int(rows), .uint(hash)])
        }
        let bRows = st?.int(2)
        let bHash = st?.uint(3)
        let verdict: Verdict = bRows == nil ? .unchecked : (bRows == rows && bHash == hash ? .match : .drift)
        return Verification(
            table: table, headOfficeRows: rows, headOfficeHash: hash, branchRows: bRows, branchHash: bHash, verdict: verdict)
    }

    /// The columns the branch's state checksum is over: its table as its last applied bundle
    /// carried it. The head office's table may be wider (another branch's new column, filled
    /// with a default for this one), and hashing this branch's rows with those columns would
    /// report drift where there is none. Before any shape was recorded: the head office's view.
    private func branchShape(branch: String, table: String) throws -> TableSchema? {
        if let shape = try HeadOfficeStore.lastSchema(db, branch: branch, table: table) { return shape }
        return try HeadOfficeStore.branchView(db, database: config.database.name, table: table)
    }
}

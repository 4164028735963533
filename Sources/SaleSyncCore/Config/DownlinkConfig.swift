import Foundation

/// `[downlink]`: the head office's tables that flow down to the branches (docs/downlink.md).
public struct DownlinkConfig: Sendable {
    /// Head office: the tables it sends, in the order they are exported.
    public var tables: [String] = []
    /// Head office: per table, the column whose value is the one branch a row goes to (NULL: every branch).
    public var branchColumns: [String: String] = [:]
    /// Branch: the head office's Ed25519 public key (base64, what `salesync keygen` printed at the
    /// head office); downlink bundles signed by any other key are refused.
    public var headOfficeKey: String?
    /// Head office: how often the ingest service exports the downlink tables' changes (0: only
    /// `salesync export` does, e.g. from cron).
    public var exportEvery: TimeInterval = 60
    /// Head office: the largest downlink message. Smaller than the uplink's default because it
    /// must cross the slowest branch's link: 64 KiB take 2 s at 256 kbit/s, so a transfer cut by
    /// the window's end loses at most that and resumes at the next chunk.
    public var chunkSize = 64 << 10
    /// Branch: how often a table's whole state is compared with the head office's (0: with every
    /// bundle). The comparison hashes the whole table (0.2 s per 100,000 rows), against a few
    /// milliseconds for a bundle of price changes; a local edit is still found within this
    /// time, and a snapshot (a new or repaired copy) is always checked.
    public var checkEvery: TimeInterval = 3600
    /// Whether the config said `check_every` (a head office's would be ignored: refused).
    var checkEveryDeclared = false

    public var isEnabled: Bool { !tables.isEmpty }
}

extension Config {
    /// Where the head office keeps its downlink work: master bundles in `outbox/`, each branch's
    /// bundles in `branches/<id>/`.
    public var downlinkDir: String { stateDir + "/downlink" }

    /// The head office's downlink seen as a branch's capture: the same change logs, exporter and
    /// bundle records, over the downlink tables, with its outbox under `downlinkDir`.
    public var downlinkCapture: Config {
        var c = self
        c.database.tables = downlink.tables
        c.stateDir = downlinkDir
        return c
    }

    mutating func readDownlink(_ d: TableReader) throws {
        downlink.tables = try d.stringArray("tables", required: false) ?? []
        if let bc = try d.table("branch_columns") {
            for table in bc.table.keys.sorted() {
                guard let column = try bc.string(table) else { continue }
                guard downlink.tables.contains(table) else {
                    throw SyncError.config("\(path): key downlink.branch_columns.\(table): \(table) is not in downlink.tables")
                }
                downlink.branchColumns[table] = column
            }
            try bc.finish()
        }
        downlink.headOfficeKey = try d.string("head_office_key")
        downlink.exportEvery = try d.duration("export_every") ?? downlink.exportEvery
        downlink.chunkSize = try d.size("chunk_size") ?? downlink.chunkSize
        if let every = try d.duration("check_every") { (downlink.checkEvery, downlink.checkEveryDeclared) = (every, true) }
        if downlink.chunkSize < 1024 || downlink.chunkSize > 64 << 20 {
            throw SyncError.config("\(path): key downlink.chunk_size: expected 1k to 64m")
        }
        try d.finish()
    }

    /// What each role may say in `[downlink]`.
    func checkDownlink() throws {
        switch role {
        case .branch:
            if downlink.isEnabled || !downlink.branchColumns.isEmpty {
                throw SyncError.config(
                    "\(path): key downlink.tables: declared at the head office only (a branch learns the tables from its bundles)")
            }
            if let k = downlink.headOfficeKey, (Data(base64Encoded: k)?.count ?? 0) != 32 {
                throw SyncError.config(
                    "\(path): key downlink.head_office_key: expected the base64 Ed25519 public key that salesync keygen printed at the head office"
                )
            }
        case .headOffice:
            if downlink.headOfficeKey != nil {
                throw SyncError.config("\(path): key downlink.head_office_key: belongs in a branch's config")
            }
            if downlink.checkEveryDeclared {
                throw SyncError.config("\(path): key downlink.check_every: belongs in a branch's config (each branch checks its own copy)")
            }
            if downlink.isEnabled && keyFile == nil {
                throw SyncError.config("\(path): key key_file: required with downlink.tables (the head office signs what it sends)")
            }
            if let overlap = downlink.tables.first(where: database.tables.contains) {
                throw SyncError.config("\(path): key downlink.tables: \(overlap) is also in database.tables (a table flows one way)")
            }
        }
    }
}

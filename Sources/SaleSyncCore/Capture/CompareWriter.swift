import MariaDB

/// Writes what one table's comparison found (`CompareFeed`): change-log entries and the seen
/// table's new hashes. Where the connection allows LOAD DATA LOCAL, the rows go that way, a batch
/// at a time: row by row through multi-row INSERTs they cost several times the comparison itself
/// on a busy day. Otherwise (a connection opened without it) through `ChangeLogWriter` and
/// `SeenWriter`. Deletions from the seen table always go by key: a day has few.
struct CompareWriter {
    let conn: MariaDBConnection
    let id: Int
    let schema: TableSchema
    /// Whether to write change-log entries (not when the table goes whole, or at `init`).
    let entries: Bool
    /// Whether the entries carry the old row's hash (else they say it is unknown).
    let oldKnown: Bool
    /// Whether to bring the seen table up to date (not when it is in blocks: the merge does).
    let seenToo: Bool
    private var log: RowBatch
    private var puts: RowBatch
    private var seen: SeenWriter
    private var entryWriter: ChangeLogWriter
    private let loads: Bool
    /// Rows per LOAD DATA: a few MB of text, the spool's rows need not fit in memory.
    static let batch = 50_000

    init(conn: MariaDBConnection, id: Int, schema: TableSchema, entries: Bool, oldKnown: Bool, seen: Bool) {
        self.conn = conn
        self.id = id
        self.schema = schema
        self.entries = entries
        self.oldKnown = oldKnown
        self.seenToo = seen
        let n = schema.keyColumns.count
        log = RowBatch(columnCount: n + 3)
        puts = RowBatch(columnCount: n + 1)
        self.seen = SeenWriter(conn: conn, table: CompareFeed.seenTable(id), keys: (1...n).map { "k\($0)" }, value: "h")
        entryWriter = ChangeLogWriter(conn: conn)
        loads = conn.options.localInfile
    }

    /// Whether there is anything to write at all.
    var writes: Bool { entries || seenToo }

    private static let zero = Array("0".utf8)
    private static let one = Array("1".utf8)

    /// One spooled difference: dc ("1" inserted, "0" updated, "-1" deleted), the old hash (NULL for
    /// an insert), the new hash (NULL for a delete), then values among which the key's, at `keyAt`.
    mutating func add(_ f: Spool.Row, keyAt: [Int]) throws {
        let n = keyAt.count
        if entries {
            if loads {
                for (i, k) in keyAt.enumerated() { log.columns[i].append(f[k]) }
                log.columns[n].append(f[0])
                if oldKnown, let old = f[1] { log.columns[n + 1].append(old) } else { log.columns[n + 1].append(Self.zero) }
                log.columns[n + 2].append(oldKnown ? Self.zero : Self.one)
            } else {
                let dc = Int8(String(decoding: f.bytes(0) ?? [], as: UTF8.self)) ?? 0
                let old = oldKnown ? CompareFeed.unsigned(f[1]) : nil
                try entryWriter.add(ChangeLogEntry(table: id, key: params(f, keyAt), dc: dc, oldHash: old))
            }
        }
        if seenToo { try addSeen(f, keyAt: keyAt) }
        if log.count >= Self.batch || puts.count >= Self.batch { try flushLoads() }
    }

    /// The seen table's side of a difference: the key's new hash, or the key gone.
    private mutating func addSeen(_ f: Spool.Row, keyAt: [Int]) throws {
        if f.equals(0, CompareFeed.deleted) {
            try seen.remove(params(f, keyAt))
        } else if loads {
            for (i, k) in keyAt.enumerated() { puts.columns[i].append(f[k]) }
            puts.columns[keyAt.count].append(f[2])
        } else {
            try seen.put(params(f, keyAt), value: .uint(CompareFeed.unsigned(f[2])))
        }
    }

    mutating func finish() throws {
        try flushLoads()
        try entryWriter.flush()
        try seen.flush()
    }

    /// A key's values as bound parameters: the bytes as read where the column stores them as
    /// they are (UTF-8, ASCII, binary), else text, which the server converts to the column's
    /// character set (latin1 bytes are not the UTF-8 the connection read).
    private func params(_ f: Spool.Row, _ keyAt: [Int]) -> [SQLValue] {
        zip(keyAt, schema.keyColumns).map { k, c in
            guard let b = f.bytes(k) else { return .null }
            return c.storesBundleBytes ? .bytes(b) : .text(String(decoding: b, as: UTF8.self))
        }
    }

    private mutating func flushLoads() throws {
        let n = schema.keyColumns.count
        let (keys, sets) = TableApplier.targets(schema.keyColumns, names: (1...n).map { "k\($0)" })
        if log.count > 0 {
            try load(log, into: CapturedTable.logTable(id), columns: "\(keys), dc, oh, nh", sets: sets, replace: false)
            log.removeAll()
        }
        if puts.count > 0 {
            try load(puts, into: CompareFeed.seenTable(id), columns: "\(keys), h", sets: sets, replace: true)
            puts.removeAll()
        }
    }

    private func load(_ rows: RowBatch, into table: String, columns: String, sets: [String], replace: Bool) throws {
        try TableApplier.load(
            conn, table: table, [([], rows)], extra: nil,
            sql: TSV.loadStatement("salesync-compare", into: quoteIdentifier(table), replace: replace, columns: columns, sets: sets),
            what: "rows")
    }
}

import Crypto
import Foundation
import Logging
import MariaDB

/// Collects rows into bundles, cutting a new one every `max_rows` rows or `max_bytes` bytes.
struct BundleBuilder {
    let exporter: Exporter
    let created: String
    let kind: BundleKind
    /// The branch's epoch (nil before its first rejoin).
    let epoch: UInt64?
    var sequence: UInt64
    /// Encode and write the bundles while the rows of the next are read.
    let workers: BundleWorkers
    var tables: [TableChanges] = []
    var current: (schema: TableSchema, upserts: RowBatch, deletes: RowBatch, logFrom: UInt64, logTo: UInt64, reset: Bool)?
    var rowsInBundle = 0
    var bytesInBundle = 0
    /// The open table's row hasher (nil when the server hashes) and the sum of its rows' hashes.
    var hasher: RowHasher?
    var tableHash: UInt64 = 0

    init(exporter: Exporter, created: String, kind: BundleKind, firstSequence: UInt64, epoch: UInt64? = nil) {
        self.exporter = exporter
        self.epoch = epoch
        self.created = created
        self.kind = kind
        self.sequence = firstSequence
        let config = exporter.config
        workers = BundleWorkers(
            .init(
                site: config.site, kind: kind, created: created, key: exporter.key, level: config.export.compressionLevel, epoch: epoch,
                outbox: config.outboxDir))
    }

    mutating func beginTable(_ schema: TableSchema, logFrom: UInt64, logTo: UInt64, reset: Bool) {
        current = (
            schema, RowBatch(columnCount: schema.columns.count), RowBatch(columnCount: schema.keyIndexes.count),
            logFrom, logTo, reset
        )
        hasher = RowHasher(schema)
        tableHash = 0
    }

    mutating func upsert(_ row: RowView) throws {
        for i in 0..<current!.upserts.columns.count { current!.upserts.columns[i].append(row.bytes(i)) }
        try counted()
    }

    /// Row `r` of a batch's column views.
    mutating func upsert(_ cols: [ColumnView], _ r: Int) throws {
        for i in 0..<cols.count { current!.upserts.columns[i].append(cols[i].isNull(r) ? nil : UnsafeRawBufferPointer(cols[i].value(r))) }
        try counted()
    }

    mutating func delete(_ row: RowView, keyOffset: Int) throws {
        for i in 0..<current!.deletes.columns.count { current!.deletes.columns[i].append(row.bytes(keyOffset + i)) }
        try counted()
    }

    /// A delete of a table whose key is one integer column, by its key.
    mutating func delete(key: some BinaryInteger) throws {
        current!.deletes.columns[0].append(Array(String(key).utf8))
        try counted()
    }

    private mutating func counted() throws {
        rowsInBundle += 1
        if rowsInBundle % 1024 == 0 {
            bytesInBundle =
                tables.reduce(0) { $0 + $1.upserts.byteSize + $1.deletes.byteSize }
                + current!.upserts.byteSize + current!.deletes.byteSize
        }
        if rowsInBundle >= exporter.config.export.maxRows || bytesInBundle >= exporter.config.export.maxBytes {
            closeSection(keepOpen: true)
            try flush(states: nil)
        }
    }

    /// Moves the open table's rows into the bundle being built; a table split across bundles
    /// continues in the next one (without `reset`, which only the first part carries).
    private mutating func closeSection(keepOpen: Bool) {
        guard let c = current else { return }
        if let hasher { tableHash = tableHash &+ hasher.sum(c.upserts) }
        let section = TableSection(
            name: c.schema.name, fingerprint: c.schema.fingerprint, columns: c.schema.columns,
            logFrom: c.logFrom, logTo: c.logTo, upserts: 0, deletes: 0, state: nil, reset: c.reset)
        tables.append(TableChanges(section: section, upserts: c.upserts, deletes: c.deletes))
        current =
            keepOpen
            ? (
                c.schema, RowBatch(columnCount: c.upserts.columns.count),
                RowBatch(columnCount: c.deletes.columns.count), c.logFrom, c.logTo, false
            ) : nil
    }

    /// Closes the open table; returns the sum of its upserted rows' hashes (0 without a hasher).
    mutating func endTable() -> UInt64 {
        closeSection(keepOpen: false)
        return tableHash
    }

    private mutating func flush(states: [(TableSchema, StateChecksum)]?) throws {
        if let states {
            // The last bundle of an export carries every exported table's state, even with no rows.
            for (schema, state) in states {
                if let i = tables.lastIndex(where: { $0.section.name == schema.name }) {
                    tables[i].section.state = state
                } else {
                    let s = TableSection(
                        name: schema.name, fingerprint: schema.fingerprint, columns: schema.columns,
                        logFrom: 0, logTo: 0, upserts: 0, deletes: 0, state: state)
                    tables.append(
                        TableChanges(
                            section: s, upserts: RowBatch(columnCount: schema.columns.count),
                            deletes: RowBatch(columnCount: schema.keyIndexes.count)))
                }
            }
        }
        let rows = tables.reduce(0) { $0 + $1.upserts.count + $1.deletes.count }
        guard rows > 0 || states != nil else { return }
        try workers.submit(sequence: sequence, tables: tables, rows: rows)
        sequence += 1
        tables = []
        rowsInBundle = 0
        bytesInBundle = 0
    }

    mutating func finish(states: [(TableSchema, StateChecksum)]) throws -> [ExportedBundle] {
        try flush(states: states)
        return try workers.wait()
    }
}

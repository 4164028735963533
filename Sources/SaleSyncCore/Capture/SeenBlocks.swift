import MariaDB

/// The seen table of a table the merge compares (`CompareFeed.compareByMerge`), kept in blocks:
/// one row per 64 consecutive key values, `b` (the key divided by 64, rounded down) and `d`,
/// an entry for each key the table had, in order: its offset in the block (1 byte), its row's
/// state hash (8 bytes) and fingerprint (`RowFingerprint`, 8 bytes; 0 when not yet known).
///
/// Why blocks: a busy day changes most of a table's keys, and writing a row per key into the
/// seen table cost as much as all the rest of the export; a block holds 64 of them, so a day's
/// seen writes are 64 times fewer rows, and reading what was seen 64 times fewer too.
enum SeenBlocks {
    static let width = 64
    static let entrySize = 17

    static func ddl(table: String) -> String {
        """
        CREATE TABLE IF NOT EXISTS \(quoteIdentifier(table)) (
          b BIGINT NOT NULL PRIMARY KEY,
          d BLOB NOT NULL
        ) ENGINE=InnoDB
        """
    }

    /// One key's entry.
    struct Entry: Equatable {
        var key: Int128
        var hash: UInt64
        var fingerprint: UInt64
    }

    /// An integer key from its decimal text as the server sends it (ZEROFILL's zeros and all).
    static func key(_ text: UnsafeBufferPointer<UInt8>) -> Int128? {
        var digits = text[...]
        let negative = digits.first == UInt8(ascii: "-")
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 20 else { return nil }
        var value: Int128 = 0
        for d in digits {
            guard d >= 48 && d <= 57 else { return nil }
            value = value * 10 + Int128(d - 48)
        }
        return negative ? -value : value
    }

    static func block(_ key: Int128) -> Int64 { Int64(key >> 6) }

    /// Entries in key order from a spool of the table's (b, d) rows, read in b's order.
    final class Reader {
        private let rows: Spool.Reader
        private var entries: [Entry] = []
        private var at = 0

        init(_ spool: Spool) throws { rows = try spool.reader(columns: 2) }

        func next() throws -> Entry? {
            while at == entries.count {
                guard let row = try rows.next() else { return nil }
                guard let b = row[0], let d = row[1], let block = Int128(String(decoding: b, as: UTF8.self)) else {
                    throw SyncError.other("a seen block is malformed")
                }
                entries = try SeenBlocks.entries(block: block, d)
                at = 0
            }
            defer { at += 1 }
            return entries[at]
        }
    }

    static func entries(block: Int128, _ d: UnsafeRawBufferPointer) throws -> [Entry] {
        guard d.count % entrySize == 0 else { throw SyncError.other("seen block \(block) is \(d.count) bytes, not whole entries") }
        return stride(from: 0, to: d.count, by: entrySize).map { at in
            Entry(
                key: block * Int128(width) + Int128(d[at]),
                hash: d.loadUnaligned(fromByteOffset: at + 1, as: UInt64.self).littleEndian,
                fingerprint: d.loadUnaligned(fromByteOffset: at + 9, as: UInt64.self).littleEndian)
        }
    }

    /// The new state of the blocks, from every key the table has now, in key order: the blocks
    /// where anything changed go to a spool (b, d), those left with no key to `emptied`.
    struct Writer {
        let changed: Spool
        private(set) var emptied: [Int64] = []
        private var block: Int64?
        private var data: [UInt8] = []
        private var dirty = false
        private var existed = false

        init(directory: String) throws { changed = try Spool(directory: directory) }

        /// A key the table has: `changed` when its entry differs from what the block held,
        /// `existed` when the block held one for it.
        mutating func add(_ e: Entry, changed: Bool, existed: Bool) throws {
            try move(to: SeenBlocks.block(e.key))
            data.append(UInt8(truncatingIfNeeded: e.key & 63))
            withUnsafeBytes(of: e.hash.littleEndian) { data.append(contentsOf: $0) }
            withUnsafeBytes(of: e.fingerprint.littleEndian) { data.append(contentsOf: $0) }
            dirty = dirty || changed
            self.existed = self.existed || existed
        }

        /// A key the block held and the table no longer has.
        mutating func remove(_ key: Int128) throws {
            try move(to: SeenBlocks.block(key))
            dirty = true
            existed = true
        }

        mutating func finish() throws { try move(to: nil) }

        private mutating func move(to next: Int64?) throws {
            guard next != block else { return }
            if let b = block {
                if data.isEmpty {
                    if existed { emptied.append(b) }
                } else if dirty {
                    Array(String(b).utf8).withUnsafeBytes { changed.field($0) }
                    data.withUnsafeBytes { changed.field($0) }
                    try changed.endRow()
                }
            }
            (block, dirty, existed) = (next, false, false)
            data.removeAll(keepingCapacity: true)
        }

        /// Writes the changed blocks and deletes the emptied ones, in the caller's transaction.
        func write(_ conn: MariaDBConnection, table: String) throws {
            var seen = SeenWriter(conn: conn, table: table, keys: ["b"], value: "d")
            try changed.forEach(columns: 2) { row in
                try seen.put([.text(String(decoding: row[0]!, as: UTF8.self))], value: .bytes(row.bytes(1) ?? []))
            }
            for b in emptied { try seen.remove([.int(b)]) }
            try seen.flush()
        }
    }
}

extension CompareFeed {
    /// The merge's state between batches of the table's rows (`compareByMerge`): the next seen
    /// entry, the blocks' new state, the differences found.
    struct Merge {
        let seen: SeenBlocks.Reader
        var blocks: SeenBlocks.Writer
        let out: Spool
        let hasher: RowHasher
        let keyIndex: Int
        /// The columns a difference carries (every one, or the key's).
        let columns: Range<Int>
        private var next: SeenBlocks.Entry?
        private var scratch: [UInt8] = []

        init(seen: SeenBlocks.Reader, blocks: SeenBlocks.Writer, out: Spool, hasher: RowHasher, keyIndex: Int, columns: Range<Int>) throws {
            (self.seen, self.blocks, self.out, self.hasher, self.keyIndex, self.columns) = (seen, blocks, out, hasher, keyIndex, columns)
            next = try seen.next()
        }

        /// The next rows of the table, in key order.
        mutating func take(_ batch: RowBatch) throws {
            let failure: Error? = batch.withColumnViews { cols in
                do {
                    for r in 0..<batch.count { try take(cols, r) }
                    return nil
                } catch { return error }
            }
            if let failure { throw failure }
        }

        /// The seen entries past the table's last key: deleted rows.
        mutating func finish() throws {
            try deleted(before: nil)
            try blocks.finish()
        }

        /// One row: keys the seen blocks hold before its key are gone from the table; then its key
        /// is either in both (changed or not) or new. The fingerprint tells an unchanged row at
        /// once; any other is hashed, and the hash decides (a fingerprint may change with the
        /// server's text of a value alone, a timestamp's time zone say).
        private mutating func take(_ cols: [ColumnView], _ r: Int) throws {
            guard let key = SeenBlocks.key(cols[keyIndex].value(r)) else {
                throw SyncError.other("comparing: key \\(String(decoding: cols[keyIndex].value(r), as: UTF8.self)) is not an integer")
            }
            let fingerprint = RowFingerprint.of(cols, r)
            try deleted(before: key)
            if let s = next, s.key == key {
                next = try seen.next()
                if s.fingerprint == fingerprint {
                    try blocks.add(s, changed: false, existed: true)
                    return
                }
                let hash = hasher.hash(cols, r, scratch: &scratch)
                try blocks.add(.init(key: key, hash: hash, fingerprint: fingerprint), changed: true, existed: true)
                if hash != s.hash { try emit(CompareFeed.updated, old: s.hash, new: hash, cols, r) }
            } else {
                let hash = hasher.hash(cols, r, scratch: &scratch)
                try blocks.add(.init(key: key, hash: hash, fingerprint: fingerprint), changed: true, existed: false)
                try emit(CompareFeed.inserted, old: nil, new: hash, cols, r)
            }
        }

        /// The seen entries before `key` (all that are left, for nil).
        private mutating func deleted(before key: Int128?) throws {
            while let s = next, key.map({ s.key < $0 }) ?? true {
                try blocks.remove(s.key)
                try emit(CompareFeed.deleted, old: s.hash, new: nil, deletedKey: s.key)
                next = try seen.next()
            }
        }

        /// One difference, of row `r` (or, deleted, of the key alone).
        private func emit(
            _ dc: [UInt8], old: UInt64?, new: UInt64?, _ cols: [ColumnView] = [], _ r: Int = 0, deletedKey: Int128? = nil
        ) throws {
            dc.withUnsafeBytes { out.field($0) }
            for h in [old, new] {
                if let h { Array(String(h).utf8).withUnsafeBytes { out.field($0) } } else { out.field(nil) }
            }
            for c in columns {
                if let deletedKey {
                    if c == keyIndex { Array(String(deletedKey).utf8).withUnsafeBytes { out.field($0) } } else { out.field(nil) }
                } else if cols[c].isNull(r) {
                    out.field(nil)
                } else {
                    out.field(UnsafeRawBufferPointer(cols[c].value(r)))
                }
            }
            try out.endRow()
        }
    }
}

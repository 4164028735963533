extension CompareFeed {
    /// One difference the merge found: the row's hash, and the one it replaced (from the seen blocks).
    enum Difference {
        case inserted(hash: UInt64)
        case updated(old: UInt64, new: UInt64)
        case deleted(key: Int128, old: UInt64)
    }

    /// What the merge does with a difference: with an inserted or updated row, the batch's column
    /// views and the row's index in them.
    typealias DifferenceSink = (Difference, [ColumnView], Int) throws -> Void

    /// The merge's state between batches of the table's rows (`compareByMerge`): the next seen
    /// entry and the blocks' new state.
    struct Merge {
        let seen: SeenBlocks.Reader
        var blocks: SeenBlocks.Writer
        let hasher: RowHasher
        let keyIndex: Int
        private var next: SeenBlocks.Entry?
        private var scratch: [UInt8] = []

        init(seen: SeenBlocks.Reader, blocks: SeenBlocks.Writer, hasher: RowHasher, keyIndex: Int) throws {
            (self.seen, self.blocks, self.hasher, self.keyIndex) = (seen, blocks, hasher, keyIndex)
            next = try seen.next()
        }

        /// The next rows of the table, in key order.
        mutating func take(_ batch: RowBatch, _ sink: DifferenceSink) throws {
            let failure: Error? = batch.withColumnViews { cols in
                do {
                    for r in 0..<batch.count { try take(cols, r, sink) }
                    return nil
                } catch { return error }
            }
            if let failure { throw failure }
        }

        /// The seen entries past the table's last key: deleted rows.
        mutating func finish(_ sink: DifferenceSink) throws {
            try deleted(before: nil, sink)
            try blocks.finish()
        }

        /// One row: keys the seen blocks hold before its key are gone from the table; then its key
        /// is either in both (changed or not) or new. The fingerprint tells an unchanged row at
        /// once; any other is hashed, and the hash decides (a fingerprint may change with the
        /// server's text of a value alone, a timestamp's time zone say).
        private mutating func take(_ cols: [ColumnView], _ r: Int, _ sink: DifferenceSink) throws {
            guard let key = SeenBlocks.key(cols[keyIndex].value(r)) else {
                throw SyncError.other("comparing: key \(String(decoding: cols[keyIndex].value(r), as: UTF8.self)) is not an integer")
            }
            let fingerprint = RowFingerprint.of(cols, r)
            try deleted(before: key, sink)
            if let s = next, s.key == key {
                next = try seen.next()
                if s.fingerprint == fingerprint {
                    try blocks.add(s, changed: false, existed: true)
                    return
                }
                let hash = hasher.hash(cols, r, scratch: &scratch)
                try blocks.add(.init(key: key, hash: hash, fingerprint: fingerprint), changed: true, existed: true)
                if hash != s.hash { try sink(.updated(old: s.hash, new: hash), cols, r) }
            } else {
                let hash = hasher.hash(cols, r, scratch: &scratch)
                try blocks.add(.init(key: key, hash: hash, fingerprint: fingerprint), changed: true, existed: false)
                try sink(.inserted(hash: hash), cols, r)
            }
        }

        /// The seen entries before `key` (all that are left, for nil).
        private mutating func deleted(before key: Int128?, _ sink: DifferenceSink) throws {
            while let s = next, key.map({ s.key < $0 }) ?? true {
                try blocks.remove(s.key)
                try sink(.deleted(key: s.key, old: s.hash), [], 0)
                next = try seen.next()
            }
        }
    }
}

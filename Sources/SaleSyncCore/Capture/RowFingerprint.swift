/// A fast 64-bit fingerprint of a row's values as the server sent them, which the comparing
/// capture keeps beside each row's state hash (`SeenBlocks`): a row whose fingerprint is
/// unchanged is taken as unchanged without its MD5 (`RowHasher`), which costs ten times more and
/// is needed only for the rows that changed. Not a checksum anyone else sees: it may change from
/// one release to the next (a fingerprint that differs only costs an MD5, which then decides).
enum RowFingerprint {
    private static let p0: UInt64 = 0xa076_1d64_78bd_642f
    private static let p1: UInt64 = 0xe703_7ed1_a0b4_28db
    private static let p2: UInt64 = 0x8ebc_6af0_9c88_c6e3
    private static let p3: UInt64 = 0x5899_65cc_7537_4cc3

    /// The fingerprint of row `r`, never 0 (a seen entry with fingerprint 0 has none yet).
    static func of(_ cols: [ColumnView], _ r: Int) -> UInt64 {
        var h = p0
        for col in cols {
            // Each value's length (or NULL, which no length equals) goes first, so that values
            // cannot shift across a column boundary unseen. (Not ~0 for NULL: x·(2⁶⁴−1) folds
            // to all ones for every x.)
            guard !col.isNull(r) else {
                h = mix(h ^ p1, p0)
                continue
            }
            let v = col.value(r)
            h = mix(h ^ p1, UInt64(v.count) ^ p2)
            guard let base = v.baseAddress, v.count > 0 else { continue }
            let (raw, n) = (UnsafeRawPointer(base), v.count)
            var i = 0
            while i + 16 < n {
                h = mix(
                    raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) ^ p2 ^ h,
                    raw.loadUnaligned(fromByteOffset: i + 8, as: UInt64.self) ^ p3)
                i += 16
            }
            // The last 1–16 bytes in two words, read whole even where they overlap what came
            // before (the length, mixed in first, tells such values apart).
            var a: UInt64
            var b: UInt64
            if n >= 16 {
                (a, b) = (
                    raw.loadUnaligned(fromByteOffset: n - 16, as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self)
                )
            } else if n >= 8 {
                (a, b) = (raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self), raw.loadUnaligned(fromByteOffset: n - 8, as: UInt64.self))
            } else if n >= 4 {
                a = UInt64(raw.loadUnaligned(fromByteOffset: 0, as: UInt32.self))
                b = UInt64(raw.loadUnaligned(fromByteOffset: n - 4, as: UInt32.self))
            } else {
                a = UInt64(base[0]) << 16 | UInt64(base[n >> 1]) << 8 | UInt64(base[n - 1])
                b = 0
            }
            h = mix(a ^ p2 ^ h, b ^ p3)
        }
        h = mix(h ^ p0, h ^ p1)
        return h == 0 ? 1 : h
    }

    /// Both halves of the 128-bit product, folded: every input bit reaches most output bits.
    @inline(__always) private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }
}

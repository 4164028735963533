import Crypto

/// The state checksum's row hash computed in Swift from a bundle's values, byte for byte the
/// SQL of `Database.rowHashSQL`: the first 8 bytes of
/// `MD5(CONCAT_WS(',', QUOTE(c1), QUOTE(c2), …))` as a big-endian integer.
///
/// The head office uses it for rows it loads, so that the server does not have to hash every
/// row it has just written (that costs as much CPU as the load itself). It is exact only when
/// the server's text for each column is what the bundle carries; `init?` refuses the column
/// types where that is not so, and the head office then hashes in SQL as before.
struct RowHasher {
    private enum Rendering { case text, unixTimestamp(scale: Int) }
    private let renderings: [Rendering]

    /// Nil when some column's hash text cannot be rebuilt from its value alone.
    init?(_ schema: TableSchema) {
        var r: [Rendering] = []
        for c in schema.columns {
            let type = c.type.lowercased()
            // BIT travels as raw bits and spatial types as WKB, which QUOTE() renders otherwise.
            let unsupported = ["bit", "geometry", "point", "linestring", "polygon", "multi"]
            if unsupported.contains(where: { type.hasPrefix($0) }) { return nil }
            // Text in another character set is hashed by the server in that set (CONCAT_WS with a
            // binary argument takes every argument's own bytes), not as the UTF-8 the bundle holds.
            if !c.storesBundleBytes { return nil }
            if type.hasPrefix("timestamp") {
                r.append(.unixTimestamp(scale: c.scale))
            } else {
                r.append(.text)
            }
        }
        renderings = r
    }

    /// Sum modulo 2^64 of the hashes of every row of `batch`.
    func sum(_ batch: RowBatch) -> UInt64 { hashes(batch).reduce(0, &+) }

    /// The hash of each row of `batch`, in order.
    func hashes(_ batch: RowBatch) -> [UInt64] {
        batch.withColumnViews { cols in
            var text: [UInt8] = []
            text.reserveCapacity(256)
            return (0..<batch.count).map { r in hash(cols, r, scratch: &text) }
        }
    }

    /// The hash of row `r` of a batch's column views; `scratch` is reused for the text hashed.
    func hash(_ cols: [ColumnView], _ r: Int, scratch text: inout [UInt8]) -> UInt64 {
        text.removeAll(keepingCapacity: true)
        append(cols, r, into: &text)
        return Self.md5Prefix(text)
    }

    /// The hash of row `r` alone.
    func hash(_ batch: RowBatch, _ r: Int) -> UInt64 {
        batch.withColumnViews { cols in
            var text: [UInt8] = []
            return hash(cols, r, scratch: &text)
        }
    }

    /// The first 8 bytes of the text's MD5 as a big-endian number (CONV(LEFT(MD5(…), 16), 16, 10)).
    private static func md5Prefix(_ text: [UInt8]) -> UInt64 {
        var md5 = Insecure.MD5()
        text.withUnsafeBytes { md5.update(bufferPointer: $0) }
        return md5.finalize().withUnsafeBytes { $0.loadUnaligned(as: UInt64.self).bigEndian }
    }

    /// The text CONCAT_WS(',', QUOTE(…), …) yields for row `r`.
    private func append(_ cols: [ColumnView], _ r: Int, into out: inout [UInt8]) {
        for c in 0..<cols.count {
            if c > 0 { out.append(44) }
            let col = cols[c]
            if col.isNull(r) {
                out.append(contentsOf: [78, 85, 76, 76])  // NULL, unquoted
                continue
            }
            switch renderings[c] {
            case .text: Self.quote(col.value(r), into: &out)
            case .unixTimestamp(let scale): Self.unixTimestamp(col.value(r), scale: scale, into: &out)
            }
        }
    }

    /// QUOTE(): single quotes around the value, backslash before `\` and `'`, `\0` for NUL and
    /// `\Z` for Ctrl-Z; every other byte as it is.
    private static let quoteEscapes = ByteEscapes([92: 92, 39: 39, 0: 48, 26: 90])

    private static func quote(_ v: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        out.append(39)
        quoteEscapes.append(v, into: &out)
        out.append(39)
    }

    /// QUOTE(UNIX_TIMESTAMP(ts)) from the UTC text `YYYY-MM-DD hh:mm:ss[.f…]`: seconds since
    /// the epoch with the column's fractional digits ('0' or '0.000' for the zero timestamp).
    private static func unixTimestamp(_ v: UnsafeBufferPointer<UInt8>, scale: Int, into out: inout [UInt8]) {
        func num(_ at: Int, _ n: Int) -> Int {
            var x = 0
            for i in at..<min(at + n, v.count) { x = x * 10 + Int(v[i] &- 48) }
            return x
        }
        var seconds = 0
        if v.count >= 19 && num(0, 4) != 0 {
            seconds = daysFromCivil(num(0, 4), num(5, 2), num(8, 2)) * 86400 + num(11, 2) * 3600 + num(14, 2) * 60 + num(17, 2)
        }
        out.append(39)
        out.append(contentsOf: String(seconds).utf8)
        if scale > 0 {
            out.append(46)
            for i in 0..<scale { out.append(20 + i < v.count && num(0, 4) != 0 ? v[20 + i] : 48) }
        }
        out.append(39)
    }
}

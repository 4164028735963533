import Foundation

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
            if let cs = c.charset?.lowercased(), !["utf8mb4", "utf8mb3", "utf8", "ascii", "binary"].contains(cs) { return nil }
            if type.hasPrefix("timestamp") {
                r.append(.unixTimestamp(scale: c.scale))
            } else {
                r.append(.text)
            }
        }
        renderings = r
    }

    /// Sum modulo 2^64 of the hashes of every row of `batch`.
    func sum(_ batch: RowBatch) -> UInt64 {
        batch.withColumnViews { cols in
            var total: UInt64 = 0
            var text: [UInt8] = []
            text.reserveCapacity(256)
            for r in 0..<batch.count {
                text.removeAll(keepingCapacity: true)
                append(cols, r, into: &text)
                total = total &+ text.withUnsafeBytes { MD5.prefix64($0) }
            }
            return total
        }
    }

    /// The hash of row `r` alone.
    func hash(_ batch: RowBatch, _ r: Int) -> UInt64 {
        batch.withColumnViews { cols in
            var text: [UInt8] = []
            append(cols, r, into: &text)
            return text.withUnsafeBytes { MD5.prefix64($0) }
        }
    }

    /// The text CONCAT_WS(',', QUOTE(…), …) yields for row `r`.
    private func append(_ cols: [ColumnView], _ r: Int, into out: inout [UInt8]) {
        for c in 0..<cols.count {
            if c > 0 { out.append(44) }
            let col = cols[c]
            if col.isNull(r) {
                out.append(contentsOf: [78, 85, 76, 76]) // NULL, unquoted
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

/// MD5 (RFC 1321) of a short message, its first 8 bytes as a big-endian integer. The head
/// office hashes every row it loads, and swift-crypto's per-call cost (about 0.6 µs, more than
/// the hashing itself) made that as expensive as the load; tests check it against swift-crypto.
enum MD5 {
    private static let k: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4294967296.0)) }

    static func prefix64(_ message: UnsafeRawBufferPointer) -> UInt64 {
        var state: (UInt32, UInt32, UInt32, UInt32) = (0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476)
        let n = message.count
        k.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 16) { m in
                let raw = UnsafeMutableRawBufferPointer(m)
                var offset = 0
                // Whole blocks straight from the message, then one or two padded ones.
                while n - offset >= 64 {
                    raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[offset..<(offset + 64)]))
                    compress(&state, m, k)
                    offset += 64
                }
                let rest = n - offset
                raw.initializeMemory(as: UInt8.self, repeating: 0)
                if rest > 0 { raw.copyMemory(from: UnsafeRawBufferPointer(rebasing: message[offset..<n])) }
                raw[rest] = 0x80
                if rest >= 56 {
                    compress(&state, m, k)
                    raw.initializeMemory(as: UInt8.self, repeating: 0)
                }
                let bits = UInt64(n) &* 8
                m[14] = UInt32(truncatingIfNeeded: bits).littleEndian
                m[15] = UInt32(truncatingIfNeeded: bits >> 32).littleEndian
                compress(&state, m, k)
            }
        }
        // The digest is a, b, c, d little-endian; its first 8 bytes as a big-endian number.
        return UInt64(state.0.byteSwapped) << 32 | UInt64(state.1.byteSwapped)
    }

    @inline(__always)
    private static func compress(_ s: inout (UInt32, UInt32, UInt32, UInt32), _ m: UnsafeMutableBufferPointer<UInt32>,
                                 _ k: UnsafeBufferPointer<UInt32>) {
        var a = s.0, b = s.1, c = s.2, d = s.3
        @inline(__always) func step(_ f: UInt32, _ i: Int, _ g: Int, _ r: UInt32) {
            let x = f &+ a &+ k[i] &+ UInt32(littleEndian: m[g])
            a = d
            d = c
            c = b
            b = b &+ (x << r | x >> (32 &- r))
        }
        for i in stride(from: 0, to: 16, by: 4) {
            step((b & c) | (~b & d), i, i, 7)
            step((b & c) | (~b & d), i + 1, i + 1, 12)
            step((b & c) | (~b & d), i + 2, i + 2, 17)
            step((b & c) | (~b & d), i + 3, i + 3, 22)
        }
        for i in stride(from: 16, to: 32, by: 4) {
            step((d & b) | (~d & c), i, (5 &* i &+ 1) & 15, 5)
            step((d & b) | (~d & c), i + 1, (5 &* i &+ 6) & 15, 9)
            step((d & b) | (~d & c), i + 2, (5 &* i &+ 11) & 15, 14)
            step((d & b) | (~d & c), i + 3, (5 &* i &+ 16) & 15, 20)
        }
        for i in stride(from: 32, to: 48, by: 4) {
            step(b ^ c ^ d, i, (3 &* i &+ 5) & 15, 4)
            step(b ^ c ^ d, i + 1, (3 &* i &+ 8) & 15, 11)
            step(b ^ c ^ d, i + 2, (3 &* i &+ 11) & 15, 16)
            step(b ^ c ^ d, i + 3, (3 &* i &+ 14) & 15, 23)
        }
        for i in stride(from: 48, to: 64, by: 4) {
            step(c ^ (b | ~d), i, (7 &* i) & 15, 6)
            step(c ^ (b | ~d), i + 1, (7 &* i &+ 7) & 15, 10)
            step(c ^ (b | ~d), i + 2, (7 &* i &+ 14) & 15, 15)
            step(c ^ (b | ~d), i + 3, (7 &* i &+ 21) & 15, 21)
        }
        s = (s.0 &+ a, s.1 &+ b, s.2 &+ c, s.3 &+ d)
    }
}

/// Backslash escaping by a byte table: a byte with an entry is written as `\` and the entry.
struct ByteEscapes: Sendable {
    private let table: [UInt8]

    init(_ escapes: [UInt8: UInt8]) {
        var t = [UInt8](repeating: 0, count: 256)
        for (byte, letter) in escapes { t[Int(byte)] = letter }
        table = t
    }

    @inline(__always)
    func append(_ v: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) {
        table.withUnsafeBufferPointer { t in
            // Most values need no escaping: copy them whole.
            guard v.contains(where: { t[Int($0)] != 0 }) else {
                out.append(contentsOf: v)
                return
            }
            for b in v {
                let e = t[Int(b)]
                if e == 0 { out.append(b) } else { out.append(92); out.append(e) }
            }
        }
    }
}

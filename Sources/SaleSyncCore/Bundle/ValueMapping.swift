/// Exact, reversible mappings between the server's text for a value and a 64-bit integer,
/// so integer-like columns can be stored in a few fixed-width bytes instead of as text.
///
/// `parse` accepts only the canonical text the server prints; the encoder also checks that
/// `format(parse(x)) == x` byte for byte, and falls back to storing the text when it is not, so
/// a round trip can never change a value.
struct ValueMapping {
    let kind: ColumnKind
    let scale: Int
    let unsigned: Bool

    init(_ column: ColumnInfo) {
        kind = column.kind
        scale = column.scale
        unsigned = column.unsigned
    }

    /// True when values of this column may be mapped to integers at all.
    var isNumeric: Bool { kind != .bytes }

    func parse(_ b: UnsafeRawBufferPointer) -> Int64? {
        switch kind {
        case .integer: return unsigned ? parseUnsigned(b) : parseSigned(b, fraction: 0)
        case .decimal: return parseSigned(b, fraction: scale)
        case .date: return parseDate(b)
        case .datetime: return parseDateTime(b)
        case .bytes: return nil
        }
    }

    func format(_ v: Int64, into out: inout [UInt8]) {
        switch kind {
        case .integer:
            if unsigned { appendDigits(UInt64(bitPattern: v), into: &out) } else { formatSigned(v, fraction: 0, into: &out) }
        case .decimal: formatSigned(v, fraction: scale, into: &out)
        case .date: formatDate(v, into: &out)
        case .datetime: formatDateTime(v, into: &out)
        case .bytes: break
        }
    }

    // MARK: integers and decimals

    private func parseUnsigned(_ b: UnsafeRawBufferPointer) -> Int64? {
        guard !b.isEmpty, b.count <= 20 else { return nil }
        if b.count > 1 && b[0] == 48 { return nil }
        var v: UInt64 = 0
        for c in b {
            guard c >= 48 && c <= 57 else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(c - 48))
            if o1 || o2 { return nil }
            v = a
        }
        return Int64(bitPattern: v)
    }

    /// "[-]digits[.fraction]" with exactly `fraction` digits after the point.
    private func parseSigned(_ b: UnsafeRawBufferPointer, fraction: Int) -> Int64? {
        var i = 0
        let n = b.count
        var negative = false
        if i < n && b[i] == 45 { negative = true; i += 1 }
        let intStart = i
        while i < n && b[i] >= 48 && b[i] <= 57 { i += 1 }
        let intLen = i - intStart
        guard intLen >= 1, intLen == 1 || b[intStart] != 48 else { return nil }
        var fracStart = i
        if fraction > 0 {
            guard i < n && b[i] == 46 else { return nil }
            i += 1
            fracStart = i
            while i < n && b[i] >= 48 && b[i] <= 57 { i += 1 }
            guard i - fracStart == fraction else { return nil }
        }
        guard i == n, intLen + fraction <= 18 else { return nil }
        var v: Int64 = 0
        for j in intStart..<(intStart + intLen) { v = v * 10 + Int64(b[j] - 48) }
        if fraction > 0 { for j in fracStart..<n { v = v * 10 + Int64(b[j] - 48) } }
        if negative {
            guard v != 0 else { return nil }  // "-0.00" is not canonical
            v = -v
        }
        return v
    }

    private func appendDigits(_ v: UInt64, into out: inout [UInt8]) {
        if v == 0 { out.append(48); return }
        var tmp:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) =
                (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var x = v
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while x > 0 { buf[n] = UInt8(x % 10) + 48; x /= 10; n += 1 }
            for k in stride(from: n - 1, through: 0, by: -1) { out.append(buf[k]) }
        }
    }

    private func formatSigned(_ v: Int64, fraction: Int, into out: inout [UInt8]) {
        var mag = v.magnitude
        if v < 0 { out.append(45) }
        if fraction == 0 { appendDigits(mag, into: &out); return }
        var p: UInt64 = 1
        for _ in 0..<fraction { p *= 10 }
        appendDigits(mag / p, into: &out)
        out.append(46)
        mag %= p
        // The fraction's digits, most significant first, zero-padded to `fraction`.
        var q = p / 10
        while q > 0 { out.append(UInt8(mag / q % 10) + 48); mag %= q; q /= 10 }
    }

    // MARK: dates

    @inline(__always) private func digits(_ b: UnsafeRawBufferPointer, _ at: Int, _ count: Int) -> Int? {
        var v = 0
        for j in at..<(at + count) {
            let c = b[j]
            guard c >= 48 && c <= 57 else { return nil }
            v = v * 10 + Int(c - 48)
        }
        return v
    }

    private func parseDate(_ b: UnsafeRawBufferPointer) -> Int64? {
        guard b.count == 10, b[4] == 45, b[7] == 45,
            let y = digits(b, 0, 4), let m = digits(b, 5, 2), let d = digits(b, 8, 2),
            y >= 1, m >= 1, m <= 12, d >= 1, d <= 31
        else { return nil }
        return Int64(daysFromCivil(y, m, d))
    }

    private func formatDate(_ days: Int64, into out: inout [UInt8]) {
        let (y, m, d) = civilFromDays(Int(days))
        pad(y, 4, &out); out.append(45); pad(m, 2, &out); out.append(45); pad(d, 2, &out)
    }

    private func parseDateTime(_ b: UnsafeRawBufferPointer) -> Int64? {
        let base = 19
        let expected = scale > 0 ? base + 1 + scale : base
        guard b.count == expected, b[10] == 32, b[13] == 58, b[16] == 58,
            let days = parseDate(UnsafeRawBufferPointer(rebasing: b[0..<10])),
            let hh = digits(b, 11, 2), let mm = digits(b, 14, 2), let ss = digits(b, 17, 2),
            hh < 24, mm < 60, ss < 60
        else { return nil }
        var micros = 0
        if scale > 0 {
            guard b[19] == 46, let f = digits(b, 20, scale) else { return nil }
            micros = f
            for _ in scale..<6 { micros *= 10 }
        }
        let secs = Int64(days) * 86400 + Int64(hh * 3600 + mm * 60 + ss)
        return secs * 1_000_000 + Int64(micros)
    }

    private func formatDateTime(_ v: Int64, into out: inout [UInt8]) {
        let micros = v.modulo(1_000_000)
        let secs = (v - micros) / 1_000_000
        let sod = secs.modulo(86400)
        let days = (secs - sod) / 86400
        formatDate(days, into: &out)
        out.append(32)
        pad(Int(sod / 3600), 2, &out); out.append(58)
        pad(Int(sod % 3600 / 60), 2, &out); out.append(58)
        pad(Int(sod % 60), 2, &out)
        if scale > 0 {
            out.append(46)
            var f = Int(micros)
            for _ in scale..<6 { f /= 10 }
            pad(f, scale, &out)
        }
    }

    /// Appends `v` as exactly `width` digits, without allocating.
    @inline(__always)
    private func pad(_ v: Int, _ width: Int, _ out: inout [UInt8]) {
        var p = 1
        for _ in 1..<max(width, 1) { p *= 10 }
        var x = v
        while p > 0 { out.append(UInt8(x / p % 10) + 48); x %= p; p /= 10 }
    }
}

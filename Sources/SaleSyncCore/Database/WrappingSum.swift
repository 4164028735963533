/// The value of decimal digits modulo 2^64 (a SUM() of hashes, a hash column), without allocating.
@inline(__always)
func wrappingUInt64<S: Sequence>(digits: S) -> UInt64 where S.Element == UInt8 {
    var v: UInt64 = 0
    for c in digits where c >= 48 && c <= 57 { v = v &* 10 &+ UInt64(c - 48) }
    return v
}

/// Adds up a decimal string (what SUM() returns) modulo 2^64.
func wrappingUInt64(decimal s: String?) -> UInt64 {
    s.map { wrappingUInt64(digits: $0.utf8) } ?? 0
}

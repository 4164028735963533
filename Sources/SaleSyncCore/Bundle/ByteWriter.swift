/// Appends little-endian integers, varints and byte strings to a growing buffer.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(capacity: Int = 0) { bytes.reserveCapacity(capacity) }

    @inline(__always) mutating func u8(_ v: UInt8) { bytes.append(v) }

    @inline(__always) mutating func uint(_ v: UInt64, width: Int) {
        var x = v
        for _ in 0..<width { bytes.append(UInt8(truncatingIfNeeded: x)); x >>= 8 }
    }

    mutating func u16(_ v: UInt16) { uint(UInt64(v), width: 2) }
    mutating func u32(_ v: UInt32) { uint(UInt64(v), width: 4) }
    mutating func u64(_ v: UInt64) { uint(v, width: 8) }

    @inline(__always) mutating func varint(_ v: UInt64) {
        var x = v
        while x >= 0x80 { bytes.append(UInt8(truncatingIfNeeded: x) | 0x80); x >>= 7 }
        bytes.append(UInt8(x))
    }

    mutating func zigzag(_ v: Int64) { varint(UInt64(bitPattern: (v << 1) ^ (v >> 63))) }

    mutating func blob(_ b: some Collection<UInt8>) {
        varint(UInt64(b.count))
        bytes.append(contentsOf: b)
    }

    mutating func string(_ s: String) { blob(Array(s.utf8)) }
}

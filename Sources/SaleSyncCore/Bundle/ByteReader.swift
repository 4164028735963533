/// Reads what `ByteWriter` wrote, refusing to read past the end: every length is checked
/// against what remains, so hostile input cannot make it allocate or read out of bounds.
struct ByteReader {
    let bytes: [UInt8]
    var offset: Int
    let end: Int

    init(_ bytes: [UInt8], offset: Int = 0, end: Int? = nil) {
        self.bytes = bytes
        self.offset = offset
        self.end = end ?? bytes.count
    }

    var remaining: Int { end - offset }

    mutating func need(_ n: Int, _ what: @autoclosure () -> String) throws {
        guard n >= 0, n <= remaining else { throw BundleError.truncated("\(what()): need \(n) bytes, \(remaining) left") }
    }

    @inline(__always) mutating func u8(_ what: @autoclosure () -> String = "byte") throws -> UInt8 {
        guard offset < end else { throw BundleError.truncated("\(what()): end of data") }
        defer { offset += 1 }
        return bytes[offset]
    }

    @inline(__always) mutating func uint(width: Int, _ what: @autoclosure () -> String = "integer") throws -> UInt64 {
        try need(width, what())
        var v: UInt64 = 0
        for i in 0..<width { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += width
        return v
    }

    mutating func u16(_ what: String) throws -> UInt16 { UInt16(try uint(width: 2, what)) }
    mutating func u32(_ what: String) throws -> UInt32 { UInt32(try uint(width: 4, what)) }
    mutating func u64(_ what: String) throws -> UInt64 { try uint(width: 8, what) }

    @inline(__always) mutating func varint(_ what: @autoclosure () -> String = "varint") throws -> UInt64 {
        var v: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = try u8(what())
            if shift == 63 && b > 1 { throw BundleError.malformed("\(what()): varint overflows 64 bits") }
            v |= UInt64(b & 0x7f) << shift
            if b < 0x80 { return v }
            shift += 7
            if shift > 63 { throw BundleError.malformed("\(what()): varint too long") }
        }
    }

    mutating func zigzag(_ what: String) throws -> Int64 {
        let u = try varint(what)
        return Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1)))
    }

    /// A length that must fit in what remains (each element taking at least `minElementSize` bytes).
    mutating func count(_ what: @autoclosure () -> String, minElementSize: Int = 1) throws -> Int {
        let n = try varint(what())
        guard n <= UInt64(Int32.max), Int(n) * max(minElementSize, 0) <= remaining else {
            throw BundleError.malformed("\(what()): count \(n) exceeds the \(remaining) bytes left")
        }
        return Int(n)
    }

    mutating func blob(_ what: @autoclosure () -> String) throws -> ArraySlice<UInt8> {
        let n = try count(what())
        defer { offset += n }
        return bytes[offset..<offset + n]
    }

    mutating func string(_ what: String) throws -> String {
        let b = try blob(what)
        guard let s = String(validating: b, as: UTF8.self) else { throw BundleError.malformed("\(what): not UTF-8") }
        return s
    }
}

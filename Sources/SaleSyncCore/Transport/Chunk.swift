import Foundation

/// One piece of a bundle on the wire. Bundles of any size cross in chunks of at most
/// `transfer.chunk_size`, each self-describing so the head office can reassemble them in any
/// order and ignore duplicates:
///
///     "SSCH" | u8 version=1 | u16 branch length | branch | u64 sequence | u32 index | u32 count
///     | u64 bundle size | 32-byte bundle SHA-256 | payload
public struct Chunk: Sendable, Equatable {
    public var branch: String
    public var sequence: UInt64
    public var index: Int
    public var count: Int
    public var bundleSize: Int
    public var bundleSHA256: [UInt8]
    public var payload: [UInt8]

    static let magic = Array("SSCH".utf8)

    public init(branch: String, sequence: UInt64, index: Int, count: Int, bundleSize: Int, bundleSHA256: [UInt8], payload: [UInt8]) {
        self.branch = branch
        self.sequence = sequence
        self.index = index
        self.count = count
        self.bundleSize = bundleSize
        self.bundleSHA256 = bundleSHA256
        self.payload = payload
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: payload.count + 80)
        w.bytes += Self.magic
        w.u8(1)
        let b = Array(branch.utf8)
        w.u16(UInt16(b.count))
        w.bytes += b
        w.u64(sequence)
        w.u32(UInt32(index))
        w.u32(UInt32(count))
        w.u64(UInt64(bundleSize))
        w.bytes += bundleSHA256
        w.bytes += payload
        return w.bytes
    }

    public init(decoding bytes: [UInt8], maxBundleBytes: Int = 4 << 30) throws {
        var r = ByteReader(bytes)
        try r.need(5, "chunk header")
        guard Array(bytes[0..<4]) == Self.magic, bytes[4] == 1 else { throw BundleError.malformed("not a salesync chunk message") }
        r.offset = 5
        let n = Int(try r.u16("branch length"))
        try r.need(n, "branch")
        guard let branch = String(validating: bytes[r.offset..<r.offset + n], as: UTF8.self) else {
            throw BundleError.malformed("chunk branch is not UTF-8")
        }
        r.offset += n
        sequence = try r.u64("sequence")
        index = Int(try r.u32("chunk index"))
        count = Int(try r.u32("chunk count"))
        bundleSize = Int(try r.u64("bundle size"))
        try r.need(32, "bundle sha256")
        bundleSHA256 = Array(bytes[r.offset..<r.offset + 32])
        r.offset += 32
        payload = Array(bytes[r.offset...])
        self.branch = branch
        guard count >= 1, index < count, bundleSize <= maxBundleBytes, payload.count <= bundleSize else {
            throw BundleError.malformed("chunk \(index)/\(count) of a \(bundleSize)-byte bundle is inconsistent")
        }
    }
}

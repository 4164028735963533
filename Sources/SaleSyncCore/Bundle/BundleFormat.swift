import Crypto
import Foundation
import Zlib

/// Bundle file format v2 (docs/bundle-format.md):
///
///     "SALESYNC" | u16 version | u32 header length | header (JSON, sorted keys)
///     | u64 body length | body (zlib) | SHA-256 of all before | Ed25519 signature
///
/// All integers little-endian. The signature covers `"salesync-bundle-vN" || sha256`. Versions
/// differ only in how a body's blocks lay out rows: v1 row by row (`BlockCodec`), v2 column by
/// column (`ColumnarCodec`). Both are read, so bundles in flight during an upgrade still apply.
public enum BundleFormat {
    public static let magic = Array("SALESYNC".utf8)
    /// The version written.
    public static let version: UInt16 = 2
    /// The versions read.
    public static let readableVersions: ClosedRange<UInt16> = 1...2

    static func signatureContext(_ version: UInt16) -> [UInt8] { Array("salesync-bundle-v\(version)".utf8) }
    public static let maxHeaderBytes = 1 << 20
    /// Deflate cannot expand more than about 1032:1; a header claiming more is lying.
    static let maxDeflateRatio = 1032
    /// Default ceiling for a body's inflated size.
    public static let defaultMaxBodyBytes = 1 << 30

    /// The SHA-256 field of an encoded bundle (the 32 bytes before the signature), unchecked.
    public static func checksumField(of bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes[(bytes.count - 96)..<(bytes.count - 64)]
    }

    /// The header of a bundle this process has just written, without checking the file again
    /// (`BundleFile` does that, hashing every byte, for anything read from outside).
    static func writtenHeader(of bytes: [UInt8]) throws -> BundleHeader {
        var r = ByteReader(bytes)
        r.offset = magic.count + 2
        let length = Int(try r.u32("header length"))
        try r.need(length, "header")
        return try JSONDecoder().decode(BundleHeader.self, from: Data(bytes[r.offset..<r.offset + length]))
    }

    /// Encodes and signs a bundle. Same inputs give the same bytes.
    public static func encode(
        branch: String, sequence: UInt64, kind: BundleKind, created: String,
        tables: [TableChanges], key: Curve25519.Signing.PrivateKey, level: Int32 = 6,
        version: UInt16 = version, epoch: UInt64? = nil, base: UInt64? = nil
    ) throws -> [UInt8] {
        precondition(readableVersions.contains(version))
        var body = ByteWriter(capacity: 1 << 16)
        var sections: [TableSection] = []
        for t in tables {
            let keys = TableSchema(name: t.section.name, columns: t.section.columns).keyColumns
            if version == 1 {
                BlockCodec.encode(t.upserts, columns: t.section.columns, into: &body)
                BlockCodec.encode(t.deletes, columns: keys, into: &body)
            } else {
                ColumnarCodec.encode(t.upserts, columns: t.section.columns, into: &body)
                ColumnarCodec.encode(t.deletes, columns: keys, into: &body)
            }
            var s = t.section
            s.upserts = t.upserts.count
            s.deletes = t.deletes.count
            s.fingerprint = s.schema.fingerprint
            sections.append(s)
        }
        let header = BundleHeader(
            branch: branch, sequence: sequence, kind: kind, created: created,
            bodyBytes: body.bytes.count, tables: sections, epoch: epoch, base: base)
        let headerBytes = try encodeHeader(header)

        var compressed: [UInt8] = []
        compressed.reserveCapacity(body.bytes.count / 4)
        let deflater = try Deflater(level: level)
        defer { deflater.close() }
        try body.bytes.withUnsafeBytes { try deflater.finish($0, into: &compressed) }

        return try seal(header: headerBytes, body: compressed, key: key, version: version)
    }

    /// The header's JSON as the encoder writes it (sorted keys: same inputs, same bytes).
    static func encodeHeader(_ header: BundleHeader) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(header))
    }

    /// `file`'s compressed body under a new header saying `branch` and `sequence`, signed by
    /// `key`: how one downlink change goes to many branches without being encoded again.
    public static func reseal(
        _ file: BundleFile, branch: String, sequence: UInt64, key: Curve25519.Signing.PrivateKey
    ) throws -> [UInt8] {
        var header = file.header
        header.branch = branch
        header.sequence = sequence
        return try seal(header: try encodeHeader(header), body: Array(file.data[file.bodyRange]), key: key, version: file.version)
    }

    /// The container around a header (JSON) and a compressed body: lengths, SHA-256, signature.
    /// Checks nothing about either part: the encoder's inputs are consistent, the fuzzer's not.
    public static func seal(
        header: [UInt8], body: [UInt8], key: Curve25519.Signing.PrivateKey,
        version: UInt16 = version
    ) throws -> [UInt8] {
        let (prefix, suffix) = try sealParts(header: header, body: body[...], key: key, version: version)
        return prefix + body + suffix
    }

    /// What goes before the body (magic, version, header, lengths) and after it (SHA-256 of
    /// both, signature), without copying the body: a body many bundles share is kept once.
    static func sealParts(
        header: [UInt8], body: ArraySlice<UInt8>, key: Curve25519.Signing.PrivateKey, version: UInt16 = version
    ) throws -> (prefix: [UInt8], suffix: [UInt8]) {
        var out = ByteWriter(capacity: header.count + 32)
        out.bytes.append(contentsOf: magic)
        out.u16(version)
        out.u32(UInt32(header.count))
        out.bytes.append(contentsOf: header)
        out.u64(UInt64(body.count))
        var hash = SHA256()
        hash.update(data: out.bytes)
        body.withUnsafeBytes { hash.update(bufferPointer: $0) }
        let digest = Array(hash.finalize())
        return (out.bytes, digest + (try key.signature(for: signatureContext(version) + digest)))
    }
}

import Crypto
import Foundation
import Zlib

/// A bundle file read and checked: header parsed, SHA-256 verified. Call `verifySignature`
/// before trusting it, then `decodeBody` for the rows.
public struct BundleFile: Sendable {
    public let header: BundleHeader
    /// The format version the file was written in.
    public let version: UInt16
    public let sha256: String
    let bytes: [UInt8]
    public let bodyRange: Range<Int>
    let digest: [UInt8]
    let signature: [UInt8]

    /// Size of the whole file.
    public var size: Int { bytes.count }

    /// Parses the container and verifies the checksum. Throws `BundleError` for anything wrong.
    public init(bytes: [UInt8], maxBodyBytes: Int = BundleFormat.defaultMaxBodyBytes) throws {
        var r = ByteReader(bytes)
        try r.need(BundleFormat.magic.count, "magic")
        guard Array(bytes[0..<8]) == BundleFormat.magic else { throw BundleError.badMagic }
        r.offset = 8
        let version = try r.u16("format version")
        guard BundleFormat.readableVersions.contains(version) else { throw BundleError.unsupportedVersion(version) }
        let headerLength = Int(try r.u32("header length"))
        guard headerLength <= BundleFormat.maxHeaderBytes else {
            throw BundleError.tooLarge("header of \(headerLength) bytes (limit \(BundleFormat.maxHeaderBytes))")
        }
        try r.need(headerLength, "header")
        let headerStart = r.offset
        r.offset += headerLength
        let bodyLength = try r.u64("body length")
        guard bodyLength <= UInt64(r.remaining) else {
            throw BundleError.truncated("body: header says \(bodyLength) bytes, \(r.remaining) left")
        }
        let bodyStart = r.offset
        r.offset += Int(bodyLength)
        try r.need(32 + 64, "checksum and signature")
        let digestStart = r.offset
        guard r.remaining == 96 else {
            throw BundleError.malformed("\(r.remaining - 96) unexpected bytes after the signature")
        }
        let actual = Array(SHA256.hash(data: bytes[0..<digestStart]))
        let stored = Array(bytes[digestStart..<digestStart + 32])
        guard actual == stored else { throw BundleError.checksumMismatch(expected: stored.hex, actual: actual.hex) }

        let header: BundleHeader
        do {
            header = try JSONDecoder().decode(BundleHeader.self, from: Data(bytes[headerStart..<headerStart + headerLength]))
        } catch {
            throw BundleError.malformed("header is not valid JSON for format v\(version): \(error)")
        }
        guard header.bodyBytes >= 0, header.bodyBytes <= maxBodyBytes else {
            throw BundleError.tooLarge("body of \(header.bodyBytes) bytes (limit \(maxBodyBytes))")
        }
        guard header.bodyBytes <= max(Int(bodyLength), 1) * BundleFormat.maxDeflateRatio else {
            throw BundleError.malformed("body claims \(header.bodyBytes) bytes from \(bodyLength) compressed: impossible for deflate")
        }
        for t in header.tables {
            guard t.upserts >= 0, t.deletes >= 0, t.columns.contains(where: { $0.key > 0 }) else {
                throw BundleError.malformed("table \(t.name): negative counts or no primary key")
            }
            guard t.fingerprint == t.schema.fingerprint else {
                throw BundleError.malformed("table \(t.name): fingerprint does not match its columns")
            }
        }
        self.header = header
        self.version = version
        self.bytes = bytes
        self.bodyRange = bodyStart..<bodyStart + Int(bodyLength)
        self.digest = stored
        self.sha256 = stored.hex
        self.signature = Array(bytes[digestStart + 32..<digestStart + 96])
    }

    /// Reads and checks a bundle file from disk.
    public init(path: String, maxBodyBytes: Int = BundleFormat.defaultMaxBodyBytes) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SyncError.other("cannot read \(path)")
        }
        try self.init(bytes: Array(data), maxBodyBytes: maxBodyBytes)
    }

    /// Throws unless the signature was made by `publicKey`.
    public func verifySignature(_ publicKey: Curve25519.Signing.PublicKey) throws {
        guard publicKey.isValidSignature(signature, for: BundleFormat.signatureContext(version) + digest) else {
            throw BundleError.badSignature(branch: header.branch)
        }
    }

    /// Inflates and decodes the rows; checks every declared count against the body.
    public func decodeBody() throws -> [TableChanges] {
        let body: [UInt8]
        do {
            body = try Inflater.inflate(bytes[bodyRange], expectedSize: header.bodyBytes)
        } catch let e as ZlibError {
            throw BundleError.malformed("body: \(e.message)")
        }
        var r = ByteReader(body)
        var out: [TableChanges] = []
        for t in header.tables {
            let keys = t.schema.keyColumns
            let upserts =
                version == 1
                ? try BlockCodec.decode(&r, columns: t.columns, rows: t.upserts)
                : try ColumnarCodec.decode(&r, columns: t.columns, rows: t.upserts)
            let deletes =
                version == 1
                ? try BlockCodec.decode(&r, columns: keys, rows: t.deletes)
                : try ColumnarCodec.decode(&r, columns: keys, rows: t.deletes)
            out.append(TableChanges(section: t, upserts: upserts, deletes: deletes))
        }
        guard r.remaining == 0 else {
            throw BundleError.malformed("\(r.remaining) bytes left in the body after the declared rows")
        }
        return out
    }

    /// The file's bytes, e.g. to copy or send.
    public var data: [UInt8] { bytes }
}

import Crypto
import Foundation
import Zlib

/// The branch's row count and content hash for one table, as of a bundle's last change.
public struct TableState: Codable, Sendable, Equatable {
    /// Rows in the branch's table.
    public var rows: Int64
    /// Sum, modulo 2^64, of every row's 64-bit hash (see `RowHash`), as 16 hex digits.
    public var hash: String

    public init(rows: Int64, hash: UInt64) {
        self.rows = rows
        self.hash = String(hash, radix: 16).leftPadded(to: 16)
    }

    public var hashValue64: UInt64 { UInt64(hash, radix: 16) ?? 0 }
}

extension String {
    func leftPadded(to n: Int, with c: Character = "0") -> String {
        count >= n ? self : String(repeating: c, count: n - count) + self
    }
}

/// What a bundle holds for one table.
public struct TableSection: Codable, Sendable, Equatable {
    public var name: String
    /// `TableSchema.fingerprint` of `columns`.
    public var fingerprint: String
    public var columns: [ColumnInfo]
    /// Change-log positions this bundle covers for the table (both 0 for a snapshot of an empty log).
    public var logFrom: UInt64
    public var logTo: UInt64
    /// Rows to insert or replace (full images) and keys to delete.
    public var upserts: Int
    public var deletes: Int
    /// The branch's state of the table after this bundle; nil on all but the last bundle of an export.
    public var state: TableState?
    /// True on the first bundle of a snapshot: the head office first deletes every row it holds
    /// for this branch in this table, then applies the rows.
    public var reset: Bool = false

    public init(name: String, fingerprint: String, columns: [ColumnInfo], logFrom: UInt64, logTo: UInt64,
                upserts: Int, deletes: Int, state: TableState?, reset: Bool = false) {
        self.name = name
        self.fingerprint = fingerprint
        self.columns = columns
        self.logFrom = logFrom
        self.logTo = logTo
        self.upserts = upserts
        self.deletes = deletes
        self.state = state
        self.reset = reset
    }

    enum CodingKeys: String, CodingKey {
        case name, fingerprint, columns, upserts, deletes, state, reset
        case logFrom = "log_from"
        case logTo = "log_to"
    }

    public var schema: TableSchema { TableSchema(name: name, columns: columns) }
}

/// The header of a bundle file: who, which, what, and how big.
public struct BundleHeader: Codable, Sendable, Equatable {
    public var branch: String
    public var sequence: UInt64
    /// "changes" or "snapshot".
    public var kind: String
    /// When the branch read the data (UTC, ISO 8601 with microseconds).
    public var created: String
    /// Size of the body once inflated: the decoder refuses to inflate more.
    public var bodyBytes: Int
    public var tables: [TableSection]

    enum CodingKeys: String, CodingKey {
        case branch, sequence, kind, created, tables
        case bodyBytes = "body_bytes"
    }

    public var rowCount: Int { tables.reduce(0) { $0 + $1.upserts + $1.deletes } }
}

/// One table's rows inside a bundle.
public struct TableChanges: Sendable, Equatable {
    public var section: TableSection
    /// Full rows, columns in `section.columns` order.
    public var upserts: RowBatch
    /// Primary-key values of deleted rows, key columns in key order.
    public var deletes: RowBatch

    public init(section: TableSection, upserts: RowBatch, deletes: RowBatch) {
        self.section = section
        self.upserts = upserts
        self.deletes = deletes
    }
}

/// Bundle file format v1 (docs/bundle-format.md):
///
///     "SALESYNC" | u16 version | u32 header length | header (JSON, sorted keys)
///     | u64 body length | body (zlib) | SHA-256 of all before | Ed25519 signature
///
/// All integers little-endian. The signature covers `"salesync-bundle-v1" || sha256`.
public enum BundleFormat {
    public static let magic = Array("SALESYNC".utf8)
    public static let version: UInt16 = 1
    static let signatureContext = Array("salesync-bundle-v1".utf8)
    public static let maxHeaderBytes = 1 << 20
    /// Deflate cannot expand more than about 1032:1; a header claiming more is lying.
    static let maxDeflateRatio = 1032
    /// Default ceiling for a body's inflated size.
    public static let defaultMaxBodyBytes = 1 << 30

    /// The SHA-256 field of an encoded bundle (the 32 bytes before the signature), unchecked.
    public static func checksumField(of bytes: [UInt8]) -> ArraySlice<UInt8> {
        bytes[(bytes.count - 96)..<(bytes.count - 64)]
    }

    /// Encodes and signs a bundle. Same inputs give the same bytes.
    public static func encode(branch: String, sequence: UInt64, kind: String, created: String,
                              tables: [TableChanges], key: Curve25519.Signing.PrivateKey, level: Int32 = 6) throws -> [UInt8] {
        var body = ByteWriter(capacity: 1 << 16)
        var sections: [TableSection] = []
        for t in tables {
            BlockCodec.encode(t.upserts, columns: t.section.columns, into: &body)
            let keys = TableSchema(name: t.section.name, columns: t.section.columns).keyColumns
            BlockCodec.encode(t.deletes, columns: keys, into: &body)
            var s = t.section
            s.upserts = t.upserts.count
            s.deletes = t.deletes.count
            s.fingerprint = s.schema.fingerprint
            sections.append(s)
        }
        let header = BundleHeader(branch: branch, sequence: sequence, kind: kind, created: created,
                                  bodyBytes: body.bytes.count, tables: sections)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let headerBytes = Array(try encoder.encode(header))

        var compressed: [UInt8] = []
        compressed.reserveCapacity(body.bytes.count / 4)
        let deflater = try Deflater(level: level)
        defer { deflater.close() }
        try body.bytes.withUnsafeBytes { try deflater.finish($0, into: &compressed) }

        return try seal(header: headerBytes, body: compressed, key: key)
    }

    /// The container around a header (JSON) and a compressed body: lengths, SHA-256, signature.
    /// Checks nothing about either part: the encoder's inputs are consistent, the fuzzer's not.
    static func seal(header: [UInt8], body: [UInt8], key: Curve25519.Signing.PrivateKey) throws -> [UInt8] {
        var out = ByteWriter(capacity: body.count + header.count + 128)
        out.bytes.append(contentsOf: magic)
        out.u16(version)
        out.u32(UInt32(header.count))
        out.bytes.append(contentsOf: header)
        out.u64(UInt64(body.count))
        out.bytes.append(contentsOf: body)
        let digest = Array(SHA256.hash(data: out.bytes))
        out.bytes.append(contentsOf: digest)
        out.bytes.append(contentsOf: try key.signature(for: signatureContext + digest))
        return out.bytes
    }
}

/// A bundle file read and checked: header parsed, SHA-256 verified. Call `verifySignature`
/// before trusting it, then `decodeBody` for the rows.
public struct BundleFile: Sendable {
    public let header: BundleHeader
    public let sha256: String
    let bytes: [UInt8]
    let bodyRange: Range<Int>
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
        guard version == BundleFormat.version else { throw BundleError.unsupportedVersion(version) }
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
            throw BundleError.malformed("header is not valid JSON for format v1: \(error)")
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
        guard publicKey.isValidSignature(signature, for: BundleFormat.signatureContext + digest) else {
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
            let upserts = try BlockCodec.decode(&r, columns: t.columns, rows: t.upserts)
            let deletes = try BlockCodec.decode(&r, columns: t.schema.keyColumns, rows: t.deletes)
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

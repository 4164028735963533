import Crypto
import Foundation

/// How a column's values are represented inside a bundle.
public enum ColumnKind: String, Codable, Sendable {
    /// TINYINT…BIGINT, signed or unsigned, and YEAR: a 64-bit integer.
    case integer
    /// DECIMAL(p,s): an exact scaled integer while it fits in 64 bits, its text otherwise.
    case decimal
    /// DATE: days since 1970-01-01.
    case date
    /// DATETIME(fsp) / TIMESTAMP(fsp): microseconds since 1970-01-01 00:00:00 (no time zone applied).
    case datetime
    /// Anything else (CHAR, VARCHAR, TEXT, BLOB, FLOAT, DOUBLE, TIME, JSON…): the server's bytes, verbatim.
    case bytes

    /// The kind for an `information_schema.COLUMNS.DATA_TYPE`.
    public init(dataType: String) {
        switch dataType.lowercased() {
        case "tinyint", "smallint", "mediumint", "int", "integer", "bigint", "year": self = .integer
        case "decimal", "numeric": self = .decimal
        case "date": self = .date
        case "datetime", "timestamp": self = .datetime
        default: self = .bytes
        }
    }
}

/// One column of a synced table, as read from `information_schema` on the branch.
public struct ColumnInfo: Codable, Sendable, Equatable {
    public var name: String
    /// `COLUMN_TYPE`, e.g. `decimal(12,2)` or `int(10) unsigned`: used to create the head office's table.
    public var type: String
    public var kind: ColumnKind
    public var nullable: Bool
    /// DECIMAL scale or DATETIME fractional-second precision; 0 otherwise.
    public var scale: Int
    public var unsigned: Bool
    /// 1-based position in the primary key; 0 when not part of it.
    public var key: Int
    /// Character set and collation of text columns (nil for others).
    public var charset: String?
    public var collation: String?

    public init(name: String, type: String, kind: ColumnKind, nullable: Bool, scale: Int = 0, unsigned: Bool = false,
                key: Int = 0, charset: String? = nil, collation: String? = nil) {
        self.name = name
        self.type = type
        self.kind = kind
        self.nullable = nullable
        self.scale = scale
        self.unsigned = unsigned
        self.key = key
        self.charset = charset
        self.collation = collation
    }
}

extension ColumnInfo {
    /// True when the server holds and renders this column's values as the very bytes a bundle
    /// carries (the branch reads over a utf8mb4 connection): numbers, dates, binary strings, and
    /// text in UTF-8 or ASCII. Text in another character set (latin1…) is converted on the way.
    var storesBundleBytes: Bool {
        guard let cs = charset?.lowercased() else { return true }
        return ["binary", "utf8mb4", "utf8mb3", "utf8", "ascii"].contains(cs)
    }
}

/// A synced table's shape: columns in table order and its primary key.
public struct TableSchema: Codable, Sendable, Equatable {
    public var name: String
    public var columns: [ColumnInfo]

    public init(name: String, columns: [ColumnInfo]) {
        self.name = name
        self.columns = columns
    }

    /// Indexes (into `columns`) of the primary key columns, in key order.
    public var keyIndexes: [Int] {
        columns.indices.filter { columns[$0].key > 0 }.sorted { columns[$0].key < columns[$1].key }
    }

    public var keyColumns: [ColumnInfo] { keyIndexes.map { columns[$0] } }

    /// SHA-256 (hex) of the canonical JSON of the columns: equal fingerprints mean the same shape.
    public var fingerprint: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = (try? enc.encode(columns)) ?? Data()
        return SHA256.hash(data: data).hex
    }
}

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal.
    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for b in self { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}

extension Digest {
    var hex: String { Array(self).hex }
}

/// Parses lower- or upper-case hexadecimal; nil when malformed.
func bytes(fromHex s: String) -> [UInt8]? {
    let u = Array(s.utf8)
    guard u.count % 2 == 0 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(u.count / 2)
    func nib(_ c: UInt8) -> UInt8? {
        switch c {
        case 48...57: return c - 48
        case 97...102: return c - 87
        case 65...70: return c - 55
        default: return nil
        }
    }
    var i = 0
    while i < u.count {
        guard let h = nib(u[i]), let l = nib(u[i + 1]) else { return nil }
        out.append(h << 4 | l)
        i += 2
    }
    return out
}

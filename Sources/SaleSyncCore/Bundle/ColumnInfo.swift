import Crypto
import Foundation

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
    /// `COLUMN_DEFAULT` as the server prints it (`'abc'`, `0`, `NULL`, `current_timestamp()`); nil
    /// when there is none. What the head office gives existing rows when it adds the column; not
    /// part of the fingerprint (changing a default changes no row).
    public var defaultValue: String?

    enum CodingKeys: String, CodingKey {
        case name, type, kind, nullable, scale, unsigned, key, charset, collation
        case defaultValue = "default"
    }

    public init(
        name: String, type: String, kind: ColumnKind, nullable: Bool, scale: Int = 0, unsigned: Bool = false,
        key: Int = 0, charset: String? = nil, collation: String? = nil, defaultValue: String? = nil
    ) {
        self.name = name
        self.type = type
        self.kind = kind
        self.nullable = nullable
        self.scale = scale
        self.unsigned = unsigned
        self.key = key
        self.charset = charset
        self.collation = collation
        self.defaultValue = defaultValue
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

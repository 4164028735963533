import Foundation

/// One column of a synced table as the console sees it: how to filter, total, show and validate it.
public struct SalesColumn: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case integer, decimal, float, text, date, datetime, other
    }
    public var name: String
    public var kind: Kind
    /// `COLUMN_TYPE`, e.g. `decimal(12,2)`, `int(11) unsigned`, `varchar(32)`.
    public var type: String
    public var nullable: Bool
    public var hasDefault: Bool
    public var autoIncrement: Bool
    /// Part of the primary key (at the head office `branch_id` is too).
    public var key: Bool
    /// Characters for text, total digits for DECIMAL.
    public var length: Int?
    /// DECIMAL digits after the point.
    public var scale: Int?
    public var unsigned: Bool

    public init(
        name: String, kind: Kind, type: String, nullable: Bool = false, hasDefault: Bool = false,
        autoIncrement: Bool = false, key: Bool = false, length: Int? = nil, scale: Int? = nil, unsigned: Bool = false
    ) {
        self.name = name
        self.kind = kind
        self.type = type
        self.nullable = nullable
        self.hasDefault = hasDefault
        self.autoIncrement = autoIncrement
        self.key = key
        self.length = length
        self.scale = scale
        self.unsigned = unsigned
    }

    /// Summed in the totals row (a key is a number but not a quantity).
    public var isMeasure: Bool { [.integer, .decimal, .float].contains(kind) && !key && !autoIncrement }
    public var isNumeric: Bool { [.integer, .decimal, .float].contains(kind) }
    /// A clerk must give a value when adding a row.
    public var required: Bool { !nullable && !hasDefault && !autoIncrement }

    static func kind(dataType: String) -> Kind {
        switch dataType.lowercased() {
        case "tinyint", "smallint", "mediumint", "int", "integer", "bigint": .integer
        case "decimal", "numeric": .decimal
        case "float", "double", "real": .float
        case "char", "varchar", "tinytext", "text", "mediumtext", "longtext", "enum", "set": .text
        case "date": .date
        case "datetime", "timestamp": .datetime
        default: .other
        }
    }
}

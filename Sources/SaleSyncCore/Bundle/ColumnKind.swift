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

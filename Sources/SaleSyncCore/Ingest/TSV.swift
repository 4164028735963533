import Crypto
import Foundation
import MariaDB

/// The text LOAD DATA reads: tab-separated, `\N` for NULL, backslash escapes for the bytes
/// that would otherwise end a field or a line.
enum TSV {
    private static let escapes = ByteEscapes([9: 116, 10: 110, 92: 92, 0: 48])

    /// One field's value, escaped.
    static func appendField(_ v: [UInt8], into out: inout [UInt8]) {
        v.withUnsafeBufferPointer { escapes.append($0, into: &out) }
    }

    /// The LOAD DATA LOCAL statement that reads this text into `table` (quoted): `stream` names
    /// what `MariaDBConnection.loadDataLocal` feeds (no file is opened), `columns` the column
    /// list, `sets` its SET clauses; with `replace`, a row replaces the one with its key.
    static func loadStatement(_ stream: String, into table: String, replace: Bool, columns: String, sets: [String]) -> String {
        """
        LOAD DATA LOCAL INFILE '\(stream)' \(replace ? "REPLACE " : "")INTO TABLE \(table) CHARACTER SET binary
        FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (\(columns))
        """ + (sets.isEmpty ? "" : " SET " + sets.joined(separator: ", "))
    }

    static func appendRow(_ cols: [ColumnView], _ r: Int, extra: UInt8?, into out: inout [UInt8]) {
        for c in 0..<cols.count {
            if c > 0 { out.append(9) }
            let col = cols[c]
            if col.isNull(r) {
                out.append(92); out.append(78)
                continue
            }
            escapes.append(col.value(r), into: &out)
        }
        if let extra { out.append(9); out.append(extra) }
        out.append(10)
    }
}

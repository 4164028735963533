import Crypto
import Foundation

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

    /// SHA-256 (hex) of the canonical JSON of the columns (defaults left out): equal fingerprints
    /// mean the same shape.
    public var fingerprint: String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let shape = columns.map { c -> ColumnInfo in
            var c = c
            c.defaultValue = nil
            return c
        }
        let data = (try? enc.encode(shape)) ?? Data()
        return SHA256.hash(data: data).hex
    }
}

/// One row of a small result: each column's bytes as the server sent them (nil for SQL NULL).
public struct Row: Sendable {
    public let values: [[UInt8]?]
    public let columns: [String]

    /// Column `index` as text.
    public subscript(_ index: Int) -> String? { values[index].map { String(decoding: $0, as: UTF8.self) } }
    public subscript(_ name: String) -> String? {
        guard let i = columns.firstIndex(of: name) else { return nil }
        return self[i]
    }
    /// Column `index` as raw bytes (BLOBs).
    public func bytes(_ index: Int) -> [UInt8]? { values[index] }
    public func int(_ index: Int) -> Int64? { self[index].flatMap { Int64($0) } }
    public func uint(_ index: Int) -> UInt64? { self[index].flatMap { UInt64($0) } }
}

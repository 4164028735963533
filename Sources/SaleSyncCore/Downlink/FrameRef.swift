import MariaDB

/// Where one branch's frame lies in a frame pack (`Distributor+Frames`), as its record says.
public struct FrameRef: Sendable, Equatable {
    /// The pack's file name, in `downlink/packs/`.
    public let pack: String
    public let offset: Int
    public let length: Int

    /// The record's columns that hold it, in the order `init(_:at:)` and `sql` take them.
    static let columns = "pack, pack_offset, pack_length"

    /// The reference in columns `at`, `at + 1`, `at + 2` of a row (`pack, pack_offset,
    /// pack_length`); nil for a bundle kept as a file of its own.
    init?(_ row: Row, at i: Int) {
        guard let pack = row[i], let offset = row.int(i + 1), let length = row.int(i + 2) else { return nil }
        self.init(pack: pack, offset: Int(offset), length: Int(length))
    }

    init(pack: String, offset: Int, length: Int) {
        self.pack = pack
        self.offset = offset
        self.length = length
    }

    /// The three columns' values, NULL for a bundle kept as a file of its own.
    static func sql(_ ref: FrameRef?) -> [SQLValue] {
        guard let ref else { return [.null, .null, .null] }
        return [.text(ref.pack), .int(Int64(ref.offset)), .int(Int64(ref.length))]
    }
}

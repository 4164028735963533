/// A place in a server's binary log: a file and a byte offset in it.
public struct BinlogPosition: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var file: String
    public var offset: UInt64

    public init(file: String, offset: UInt64) {
        self.file = file
        self.offset = offset
    }

    public var description: String { "\(file):\(offset)" }

    /// Binary log files are named `base.NNNNNN`, numbered in the order the server wrote them (a
    /// number past 999999 just grows a digit, which is why the number is compared, not the name).
    public static func < (a: BinlogPosition, b: BinlogPosition) -> Bool {
        let (na, nb) = (a.fileNumber, b.fileNumber)
        return na != nb ? na < nb : a.offset < b.offset
    }

    var fileNumber: UInt64 {
        guard let dot = file.lastIndex(of: ".") else { return 0 }
        return UInt64(file[file.index(after: dot)...]) ?? 0
    }
}

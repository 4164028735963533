import Foundation
import MariaDB

/// Rows kept in a file between reading a result and acting on it. One connection cannot write
/// while it streams a result, and the writes must be in the same transaction as the read (so on
/// the same connection); a day's changes need not fit in memory either.
final class Spool {
    private let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var count = 0
    private static let null = UInt32.max
    private static let flushAt = 1 << 20

    /// A new, empty spool file in `directory`, removed when the spool goes.
    init(directory: String) throws {
        try ensureDirectory(directory)
        path = directory + "/spool-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
        guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
            throw SyncError.other("cannot create the spool file \(path)")
        }
        handle = h
    }

    deinit {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Appends a streamed row's columns.
    func append(_ row: RowView) throws {
        for i in 0..<row.count {
            guard let b = row.bytes(i) else {
                put(Self.null)
                continue
            }
            put(UInt32(b.count))
            buffer.append(contentsOf: b)
        }
        count += 1
        if buffer.count >= Self.flushAt { try flush() }
    }

    private func put(_ v: UInt32) {
        withUnsafeBytes(of: v.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func flush() throws {
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Hands over each row, `columns` values long, in the order appended (the file is mapped,
    /// not read into memory).
    func forEach(columns: Int, _ body: ([[UInt8]?]) throws -> Void) throws {
        guard count > 0 else { return }
        try flush()
        let data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var at = 0
            func field() -> [UInt8]? {
                let n = raw.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian
                at += 4
                guard n != Self.null else { return nil }
                defer { at += Int(n) }
                return Array(raw[at..<at + Int(n)])
            }
            while at < raw.count {
                try body((0..<columns).map { _ in field() })
            }
        }
    }
}

import Foundation
import MariaDB

/// Rows kept in a file between reading a result and acting on it. One connection cannot write
/// while it streams a result, and the writes must be in the same transaction as the read (so on
/// the same connection); a day's changes need not fit in memory either.
final class Spool {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var count = 0
    private static let null = UInt32.max
    private static let flushAt = 1 << 20

    /// A new, empty spool file in `directory`. Its name is removed at once: the file lives as long
    /// as the spool, and nothing is left behind whatever ends the process.
    init(directory: String) throws {
        try ensureDirectory(directory)
        let path = directory + "/spool-\(getpid())-\(UInt64.random(in: 0...UInt64.max)).tmp"
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw SyncError.other("cannot create a spool file in \(directory): \(String(cString: strerror(errno)))") }
        unlink(path)
        handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
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
        let size = Int(lseek(handle.fileDescriptor, 0, SEEK_END))
        guard let map = mmap(nil, size, PROT_READ, MAP_PRIVATE, handle.fileDescriptor, 0), map != MAP_FAILED else {
            throw SyncError.other("cannot map the spool file: \(String(cString: strerror(errno)))")
        }
        defer { munmap(map, size) }
        let raw = UnsafeRawBufferPointer(start: map, count: size)
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

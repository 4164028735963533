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
        for i in 0..<row.count { field(row.bytes(i)) }
        try endRow()
    }

    /// Appends a row's values.
    func append(_ fields: [[UInt8]?]) throws {
        for f in fields {
            if let f { f.withUnsafeBytes { field($0) } } else { field(nil) }
        }
        try endRow()
    }

    /// Appends one value of the row being written (nil for NULL); `endRow` ends the row.
    func field(_ b: UnsafeRawBufferPointer?) {
        guard let b else { return put(Self.null) }
        put(UInt32(b.count))
        buffer.append(contentsOf: b)
    }

    func endRow() throws {
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

    /// Hands over each row, `columns` values long, in the order appended. The values are views
    /// into the reader's buffer, valid during the call only: no copy per value.
    func forEach(columns: Int, _ body: (Row) throws -> Void) throws {
        let reader = try self.reader(columns: columns)
        while let row = try reader.next() { try body(row) }
    }

    /// A reader of the rows appended so far, `columns` values each.
    func reader(columns: Int) throws -> Reader {
        try flush()
        return Reader(fd: handle.fileDescriptor, columns: columns)
    }

    /// One row read back: its values as views into the reader's buffer.
    struct Row {
        fileprivate let base: UnsafeRawPointer
        fileprivate let spans: [(at: Int, count: Int)]

        var count: Int { spans.count }

        /// Value `i`, nil for NULL; valid until the reader reads on.
        subscript(i: Int) -> UnsafeRawBufferPointer? {
            let s = spans[i]
            return s.count < 0 ? nil : UnsafeRawBufferPointer(start: base + s.at, count: s.count)
        }

        /// Value `i` copied out (for what outlives the row).
        func bytes(_ i: Int) -> [UInt8]? { self[i].map { Array($0) } }

        /// Whether value `i` is these bytes.
        func equals(_ i: Int, _ bytes: [UInt8]) -> Bool { self[i].map { $0.elementsEqual(bytes) } ?? false }
    }

    /// Reads a spool's rows back in order, a chunk of the file at a time: memory stays flat
    /// however many rows the spool holds.
    final class Reader {
        private let fd: Int32
        private let columns: Int
        // Owned memory, not an Array: a row's views point into it and stay put until `next()`.
        private var storage: UnsafeMutableRawPointer
        private var capacity = Reader.chunk
        private var length = 0
        private var at = 0
        private var offset: off_t = 0
        private static let chunk = 1 << 20

        fileprivate init(fd: Int32, columns: Int) {
            self.fd = fd
            self.columns = columns
            storage = .allocate(byteCount: Self.chunk, alignment: 8)
        }

        deinit { storage.deallocate() }

        /// The next row, or nil after the last; it stays valid until the next call.
        func next() throws -> Row? {
            guard try available(1) else { return nil }
            var spans: [(at: Int, count: Int)] = []
            spans.reserveCapacity(columns)
            var end = 0  // past the fields read so far, from `at`
            for _ in 0..<columns {
                guard try available(end + 4) else { throw Self.truncated }
                let n = storage.loadUnaligned(fromByteOffset: at + end, as: UInt32.self).littleEndian
                end += 4
                guard n != Spool.null else {
                    spans.append((end, -1))
                    continue
                }
                guard try available(end + Int(n)) else { throw Self.truncated }
                spans.append((end, Int(n)))
                end += Int(n)
            }
            // `available` may have moved the bytes, never within a row: offsets from `at` hold.
            let row = Row(base: UnsafeRawPointer(storage + at), spans: spans)
            at += end
            return row
        }

        private static let truncated = SyncError.other("a spool file ended inside a row")

        /// Whether `n` bytes are there from `at`, reading on in the file if need be (what is left
        /// moves to the front; the memory grows for a value larger than it).
        private func available(_ n: Int) throws -> Bool {
            if length - at >= n { return true }
            length -= at
            if at > 0 && length > 0 { memmove(storage, storage + at, length) }
            at = 0
            if n > capacity {
                let bigger = UnsafeMutableRawPointer.allocate(byteCount: n, alignment: 8)
                bigger.copyMemory(from: storage, byteCount: length)
                storage.deallocate()
                (storage, capacity) = (bigger, n)
            }
            while length < n {
                let got = pread(fd, storage + length, capacity - length, offset)
                guard got >= 0 else { throw SyncError.other("cannot read a spool file: \(String(cString: strerror(errno)))") }
                if got == 0 { return false }
                offset += off_t(got)
                length += got
            }
            return true
        }
    }
}

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
        try rowDone()
    }

    private func field(_ b: UnsafeRawBufferPointer?) {
        guard let b else { return put(Self.null) }
        put(UInt32(b.count))
        buffer.append(contentsOf: b)
    }

    private func rowDone() throws {
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

    /// Appends a row's values.
    func append(_ fields: [[UInt8]?]) throws {
        for f in fields {
            if let f { f.withUnsafeBytes { field($0) } } else { field(nil) }
        }
        try rowDone()
    }

    /// Hands over each row, `columns` values long, in the order appended.
    func forEach(columns: Int, _ body: ([[UInt8]?]) throws -> Void) throws {
        let reader = try self.reader(columns: columns)
        while let row = try reader.next() { try body(row) }
    }

    /// A reader of the rows appended so far, `columns` values each.
    func reader(columns: Int) throws -> Reader {
        try flush()
        return Reader(fd: handle.fileDescriptor, columns: columns)
    }

    /// Reads a spool's rows back in order, a chunk of the file at a time: memory stays flat
    /// however many rows the spool holds.
    final class Reader {
        private let fd: Int32
        private let columns: Int
        private var buffer: [UInt8] = []
        private var at = 0
        private var offset: off_t = 0
        private static let chunk = 1 << 20

        fileprivate init(fd: Int32, columns: Int) {
            self.fd = fd
            self.columns = columns
        }

        /// The next row, or nil after the last.
        func next() throws -> [[UInt8]?]? {
            guard try available(1) else { return nil }
            return try (0..<columns).map { _ in try field() }
        }

        private func field() throws -> [UInt8]? {
            guard try available(4) else { throw Self.truncated }
            let n = buffer.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: at, as: UInt32.self).littleEndian }
            at += 4
            guard n != Spool.null else { return nil }
            guard try available(Int(n)) else { throw Self.truncated }
            defer { at += Int(n) }
            return Array(buffer[at..<at + Int(n)])
        }

        private static let truncated = SyncError.other("a spool file ended inside a row")

        /// Whether `n` bytes are there from `at`, reading on in the file if need be.
        private func available(_ n: Int) throws -> Bool {
            if buffer.count - at >= n { return true }
            buffer.removeFirst(at)
            at = 0
            while buffer.count < n {
                var chunk = [UInt8](repeating: 0, count: max(Self.chunk, n - buffer.count))
                let got = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
                guard got >= 0 else { throw SyncError.other("cannot read a spool file: \(String(cString: strerror(errno)))") }
                if got == 0 { return false }
                offset += off_t(got)
                buffer += chunk[0..<got]
            }
            return true
        }
    }
}

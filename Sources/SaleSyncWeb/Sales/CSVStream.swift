import Foundation
import Hummingbird
import MariaDB
import Synchronization

/// The CSV download: rows streamed from the database on a pool thread into the response, at most
/// a few 64 KiB pieces ahead of the client, so memory stays flat for millions of rows.
struct CSVStream: Sendable {
    let query: SalesQuery
    let pool: DatabasePool

    func write(to writer: inout some ResponseBodyWriter) async throws {
        let (stream, continuation) = AsyncThrowingStream<ByteBuffer, Error>.makeStream(bufferingPolicy: .unbounded)
        let window = PieceWindow()
        let q = query
        let task = Task {
            do {
                try await pool.with { db in
                    var piece = CSVStream.line(q.shown.map(\.name))
                    try q.each(db) { row in
                        piece += CSVStream.line(row)
                        if piece.utf8.count >= 64 << 10 {
                            try window.take()  // back-pressure: the client has not taken the earlier pieces yet
                            continuation.yield(ByteBuffer(string: piece))
                            piece = ""
                        }
                    }
                    continuation.yield(ByteBuffer(string: piece))
                }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        defer { window.close(); task.cancel() }
        for try await buffer in stream {
            try await writer.write(buffer)
            window.give()
        }
    }

    /// One CSV record: fields quoted when they hold a comma, quote or line break; NULL as empty.
    static func line(_ fields: [String?]) -> String {
        fields.map { f -> String in
            guard let f else { return "" }
            if f.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
                return "\"" + f.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            }
            return f
        }.joined(separator: ",") + "\r\n"
    }
}

/// At most four pieces in flight; closed when the client has gone, which ends the producer.
private final class PieceWindow: Sendable {
    private let slots = DispatchSemaphore(value: 4)
    private let closed = Atomic<Bool>(false)

    struct Gone: Error {}

    func take() throws {
        slots.wait()
        if closed.load(ordering: .acquiring) { throw Gone() }
    }

    func give() { slots.signal() }

    func close() {
        closed.store(true, ordering: .releasing)
        for _ in 0..<8 { slots.signal() }
    }
}

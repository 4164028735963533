import Dispatch
import Foundation
import MariaDB
import SaleSyncCore
import Synchronization

/// A few database connections for the console. Connector/C blocks, so each use runs on a
/// dispatch queue, never on the server's event loop; a connection that failed is closed, not reused.
final class DatabasePool: Sendable {
    private let config: Config
    /// Connections not in use. A connection is used by one thread at a time: taken out of here,
    /// used by one block on the queue, then put back (or closed).
    private let idle = Mutex(Idle())
    private let limit = DispatchSemaphore(value: 4)
    private let queue = DispatchQueue(label: "salesync.console.db", attributes: .concurrent)

    init(config: Config) { self.config = config }

    /// Runs `body` with a connection, off the event loop.
    func with<T: Sendable>(_ body: @escaping @Sendable (MariaDBConnection) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (cont: CheckedContinuation<T, Error>) in
            queue.async {
                self.limit.wait()
                defer { self.limit.signal() }
                do {
                    let db = try self.take()
                    do {
                        let v = try body(db)
                        self.give(db)
                        cont.resume(returning: v)
                    } catch {
                        // Statement errors leave the connection usable; lost connections do not.
                        if let e = error as? MariaDBError, e.isConnectionFailure { db.close() } else { self.give(db) }
                        cont.resume(throwing: error)
                    }
                } catch {
                    cont.resume(throwing: error)
                }
            }
        }
    }

    private func take() throws -> MariaDBConnection {
        if let db = idle.withLock({ $0.connections.popLast() }) { return db.value }
        return try Database.connect(config)
    }

    private func give(_ db: MariaDBConnection) {
        idle.withLock { $0.connections.append(HandedOver(db)) }
    }

    private struct Idle {
        var connections: [HandedOver<MariaDBConnection>] = []
    }
}

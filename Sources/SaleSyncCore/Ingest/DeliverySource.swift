import AMQP
import Foundation

/// Where the ingest loop's deliveries come from: pushed by the broker to a consumer (the
/// service), or pulled queue by queue with basic.get (`ingest --once`, which must be able to tell
/// that every queue is empty).
final class DeliverySource {
    let connection: AMQPConnection
    /// The queues pulled in turn; nil when the connection consumes.
    private let polled: [String]?
    /// The next queue to pull, so that one busy branch does not starve the others.
    private var cursor = 0

    init(_ connection: AMQPConnection, polling queues: [String]?) {
        self.connection = connection
        polled = queues
    }

    /// The next delivery: a consumer waits up to `timeout` for one; pulling returns nil at once
    /// when every queue is empty.
    func next(timeout: TimeInterval) throws -> Delivery? {
        guard let queues = polled else { return try connection.nextDelivery(timeout: timeout) }
        for _ in queues.indices {
            let q = queues[cursor]
            if let d = try connection.get(q) { return d }
            cursor = (cursor + 1) % queues.count
        }
        return nil
    }
}

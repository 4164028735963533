internal import CRabbitMQ
import Foundation

/// A message taken from a queue.
public struct Delivery: Sendable {
    public let deliveryTag: UInt64
    public let body: [UInt8]
    public let messageId: String?
    public let type: String?
    public let redelivered: Bool
    /// The queue it came from (for a consumed message: its consumer tag, which is the queue's name).
    public let queue: String
}

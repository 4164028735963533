import Foundation
import TOMLKit

/// `[rabbitmq]`: the broker, and TLS material for `amqps://`.
public struct RabbitConfig: Sendable {
    /// The broker's nodes, tried in order (`urls`, or the single `url`).
    public var urls = ["amqp://guest@127.0.0.1:5672/%2F"]
    /// The first node's URL (what older configs call `url`).
    public var url: String { urls[0] }
    /// What kind of queue `init` declares for new queues; existing queues keep theirs.
    public var queueType = QueueType.quorum
    public var passwordFile: String?
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var verifyHostname = true
    /// Heartbeat interval negotiated with the broker; a link silent for twice this is dead.
    public var heartbeat: TimeInterval = 30
}

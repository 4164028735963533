import Foundation
import TOMLKit

/// `[rabbitmq]`: the broker, and TLS material for `amqps://`.
public struct RabbitConfig: Sendable {
    public var url = "amqp://guest@127.0.0.1:5672/%2F"
    public var passwordFile: String?
    public var caFile: String?
    public var certFile: String?
    public var keyFile: String?
    public var verifyHostname = true
    /// Heartbeat interval negotiated with the broker; a link silent for twice this is dead.
    public var heartbeat: TimeInterval = 30
}

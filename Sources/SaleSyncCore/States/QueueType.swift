/// The kind of RabbitMQ queue salesync declares (`[rabbitmq] queue_type`).
public enum QueueType: String, Codable, Sendable {
    /// Replicated over the cluster's nodes (Raft): survives the loss of a minority of nodes.
    case quorum
    /// A queue on one node (the broker's default before salesync 0.3).
    case classic
}

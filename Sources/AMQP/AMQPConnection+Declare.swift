internal import CRabbitMQ
import Foundation

/// Declaring exchanges and queues, and the channel they are declared on.
extension AMQPConnection {
    /// Declares a durable exchange (idempotent).
    public func declareExchange(_ name: String, type: String = "direct") throws {
        let st = try st
        withBytes(name, type) { n, t in _ = amqp_exchange_declare(st, channel, n, t, 0, 1, 0, 0, amqp_empty_table) }
        try rpc("declare exchange \(name)")
    }

    /// Declares a durable queue (idempotent) and returns its current message count.
    @discardableResult
    public func declareQueue(
        _ name: String, passive: Bool = false, type: String? = nil,
        deadLetter: (exchange: String, routingKey: String)? = nil
    ) throws -> UInt32 {
        let st = try st
        let count: UInt32? = withBytes(name) { n in
            Self.withOptionalCString(type) { t in
                Self.withOptionalCString(deadLetter?.exchange) { dlx in
                    Self.withOptionalCString(deadLetter?.routingKey) { dlrk in
                        salesync_queue_declare(st, channel, n, passive ? 1 : 0, t, dlx, dlrk)?.pointee.message_count
                    }
                }
            }
        }
        try rpc("declare queue \(name)")
        return count ?? 0
    }

    static func withOptionalCString<T>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
        guard let s else { return body(nil) }
        return s.withCString { body($0) }
    }

    /// Opens a fresh channel after the broker closed the current one (a channel-level error), in
    /// publisher-confirm mode if the old one was; consumers and prefetch must be set up again.
    public func reopenChannel() throws {
        let st = try st
        let confirming = confirms
        channel += 1
        confirms = false
        inFlight = [:]
        _ = amqp_channel_open(st, channel)
        try rpc("open channel")
        if confirming { try enableConfirms() }
    }

    /// Deletes a queue and the messages in it; returns how many there were.
    @discardableResult
    public func deleteQueue(_ name: String) throws -> UInt32 {
        let st = try st
        let count = withBytes(name) { n in amqp_queue_delete(st, channel, n, 0, 0)?.pointee.message_count }
        try rpc("delete queue \(name)")
        return count ?? 0
    }

    /// Deletes an exchange.
    public func deleteExchange(_ name: String) throws {
        let st = try st
        withBytes(name) { n in _ = amqp_exchange_delete(st, channel, n, 0) }
        try rpc("delete exchange \(name)")
    }

    /// Binds `queue` to `exchange` with `routingKey`.
    public func bindQueue(_ queue: String, exchange: String, routingKey: String) throws {
        let st = try st
        withBytes(queue, exchange, routingKey) { q, e, k in _ = amqp_queue_bind(st, channel, q, e, k, amqp_empty_table) }
        try rpc("bind queue \(queue) to \(exchange)")
    }

    /// Limits unacknowledged deliveries to `count` messages.
    public func setPrefetch(_ count: UInt16) throws {
        let st = try st
        _ = amqp_basic_qos(st, channel, 0, count, 0)
        try rpc("set prefetch")
    }
}

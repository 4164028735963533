internal import CRabbitMQ
import Foundation

/// Taking messages: one at a time (basic.get) or as a consumer, and acknowledging them.
extension AMQPConnection {
    /// Takes one message from `queue` without auto-ack (basic.get); nil when the queue is empty.
    public func get(_ queue: String) throws -> Delivery? {
        let st = try st
        let reply = withBytes(queue) { q in amqp_basic_get(st, channel, q, 0) }
        try Self.check(reply, st, "get from \(queue)")
        guard reply.reply.id == salesync_basic_get_ok_method, let d = reply.reply.decoded else { return nil }
        let ok = d.assumingMemoryBound(to: amqp_basic_get_ok_t.self).pointee
        var message = amqp_message_t()
        try Self.check(amqp_read_message(st, channel, &message, 0), st, "read message from \(queue)")
        defer { amqp_destroy_message(&message); amqp_maybe_release_buffers(st) }
        return Self.delivery(message, tag: ok.delivery_tag, redelivered: ok.redelivered != 0, queue: queue)
    }

    /// Subscribes to `queue` (manual acks): its messages arrive through `nextDelivery`.
    public func consume(_ queue: String) throws {
        let st = try st
        withBytes(queue) { q in _ = amqp_basic_consume(st, channel, q, q, 0, 0, 0, amqp_empty_table) }
        try rpc("consume from \(queue)")
    }

    /// The next message for any of this channel's consumers, or nil if none came within
    /// `timeout` seconds. Heartbeats are serviced meanwhile.
    public func nextDelivery(timeout: TimeInterval) throws -> Delivery? {
        let st = try st
        if !held.isEmpty { return held.removeFirst() }
        amqp_maybe_release_buffers(st)
        var envelope = amqp_envelope_t()
        var tv = Self.timeout(timeout)
        let reply = amqp_consume_message(st, &envelope, &tv, 0)
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        if reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && reply.library_error == AMQP_STATUS_UNEXPECTED_STATE.rawValue {
            try readUnexpectedFrame(st)
            return nil
        }
        try Self.check(reply, st, "receive")
        defer { amqp_destroy_envelope(&envelope) }
        return Self.delivery(
            envelope.message, tag: envelope.delivery_tag, redelivered: envelope.redelivered != 0,
            queue: Self.string(envelope.consumer_tag))
    }

    /// Reads the message of a delivery that arrived while waiting for something else, and keeps it.
    func hold(_ deliver: amqp_basic_deliver_t, _ st: amqp_connection_state_t) throws {
        var message = amqp_message_t()
        try Self.check(amqp_read_message(st, channel, &message, 0), st, "read delivered message")
        defer { amqp_destroy_message(&message) }
        held.append(
            Self.delivery(
                message, tag: deliver.delivery_tag, redelivered: deliver.redelivered != 0, queue: Self.string(deliver.consumer_tag)))
    }

    /// A frame other than a delivery arrived while consuming: a close is an error; anything
    /// else (a late confirm, a heartbeat) is dropped.
    func readUnexpectedFrame(_ st: amqp_connection_state_t) throws {
        var frame = amqp_frame_t()
        try Self.check(amqp_simple_wait_frame(st, &frame), "receive")
        guard salesync_frame_is_method(&frame) != 0, let decoded = salesync_frame_method_decoded(&frame) else { return }
        if let e = Self.closeError(salesync_frame_method_id(&frame), decoded, "receive") { throw e }
    }

    /// The broker's reason when a method is a channel or connection close, else nil.
    static func closeError(_ id: amqp_method_number_t, _ decoded: UnsafeMutableRawPointer, _ context: String) -> AMQPError? {
        switch id {
        case salesync_channel_close_method:
            let m = decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
            return AMQPError(kind: .broker, code: Int(m.reply_code), message: string(m.reply_text), context: context)
        case salesync_connection_close_method:
            let m = decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
            return AMQPError(kind: .broker, code: Int(m.reply_code), message: string(m.reply_text), context: context)
        default:
            return nil
        }
    }

    /// Acknowledges a delivery: the broker may forget the message.
    public func ack(_ deliveryTag: UInt64) throws {
        let st = try st
        try Self.check(amqp_basic_ack(st, channel, deliveryTag, 0), "ack")
    }

    /// Rejects a delivery; with `requeue` it goes back to the queue for another consumer.
    public func reject(_ deliveryTag: UInt64, requeue: Bool) throws {
        let st = try st
        try Self.check(amqp_basic_reject(st, channel, deliveryTag, requeue ? 1 : 0), "reject")
    }

    /// A message copied out of rabbitmq-c's buffers, which the caller then frees.
    static func delivery(_ message: amqp_message_t, tag: UInt64, redelivered: Bool, queue: String) -> Delivery {
        let props = message.properties
        return Delivery(
            deliveryTag: tag, body: bytes(message.body),
            messageId: props._flags & salesync_message_id_flag != 0 ? string(props.message_id) : nil,
            type: props._flags & salesync_type_flag != 0 ? string(props.type) : nil,
            redelivered: redelivered, queue: queue)
    }
}

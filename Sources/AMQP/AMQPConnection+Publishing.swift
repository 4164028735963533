internal import CRabbitMQ
import Foundation

/// Publishing with publisher confirms, and keeping a quiet connection serviced.
extension AMQPConnection {
    /// Puts the channel in publisher-confirm mode.
    public func enableConfirms() throws {
        let st = try st
        _ = amqp_confirm_select(st, channel)
        try rpc("enable publisher confirms")
        confirms = true
    }

    /// Publishes a persistent message with the mandatory flag. With confirms enabled, the result
    /// arrives through `awaitConfirms`; `messageId` identifies it there.
    public func publish(exchange: String, routingKey: String, body: UnsafeRawBufferPointer, messageId: String, type: String) throws {
        let st = try st
        var props = amqp_basic_properties_t()
        props._flags = salesync_publish_flags
        props.delivery_mode = 2
        let status: Int32 = "application/octet-stream".withCString { ct in
            messageId.withCString { mid in
                type.withCString { ty in
                    // withCString keeps these alive for the whole publish.
                    props.content_type = amqp_cstring_bytes(ct)
                    props.message_id = amqp_cstring_bytes(mid)
                    props.type = amqp_cstring_bytes(ty)
                    return withBytes(exchange, routingKey) { e, k in
                        amqp_basic_publish(st, channel, e, k, 1, 0, &props, salesync_amqp_bytes(body.baseAddress, body.count))
                    }
                }
            }
        }
        try Self.check(status, "publish \(messageId) to \(exchange)")
        if confirms {
            inFlight[nextTag] = messageId
            nextTag += 1
        }
    }

    /// Number of publishes not yet confirmed or refused.
    public var unconfirmedCount: Int { inFlight.count }

    /// Waits until at most `maxOutstanding` publishes remain unconfirmed, or `timeout` passes,
    /// and returns (and forgets) what the broker has said since the last call.
    public func awaitConfirms(maxOutstanding: Int = 0, timeout: TimeInterval) throws -> ConfirmResult {
        let st = try st
        let deadline = Date().addingTimeInterval(timeout)
        var returned: Set<String> = []
        while inFlight.count > maxOutstanding {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            var tv = Self.timeout(remaining)
            var frame = amqp_frame_t()
            let rc = amqp_simple_wait_frame_noblock(st, &frame, &tv)
            if rc == AMQP_STATUS_TIMEOUT.rawValue { break }
            try Self.check(rc, "wait for publisher confirms")
            guard salesync_frame_is_method(&frame) != 0, let decoded = salesync_frame_method_decoded(&frame) else { continue }
            switch salesync_frame_method_id(&frame) {
            case salesync_basic_ack_method:
                let m = decoded.assumingMemoryBound(to: amqp_basic_ack_t.self).pointee
                settle(m.delivery_tag, multiple: m.multiple != 0) { tag, id in
                    if returned.remove(id) == nil { result.confirmed.insert(id) } else { result.failed[id] = "unroutable" }
                    _ = tag
                }
            case salesync_basic_nack_method:
                let m = decoded.assumingMemoryBound(to: amqp_basic_nack_t.self).pointee
                settle(m.delivery_tag, multiple: m.multiple != 0) { _, id in result.failed[id] = "nacked by broker" }
            case salesync_basic_return_method:
                let m = decoded.assumingMemoryBound(to: amqp_basic_return_t.self).pointee
                let replyText = Self.string(m.reply_text)
                var message = amqp_message_t()
                let r = amqp_read_message(st, channel, &message, 0)
                try Self.check(r, st, "read returned message")
                if message.properties._flags & salesync_message_id_flag != 0 {
                    let id = Self.string(message.properties.message_id)
                    returned.insert(id)
                    result.failed[id] = "returned: \(replyText)"
                }
                amqp_destroy_message(&message)
            case salesync_basic_deliver_method:
                // A consumer's message between two confirms: kept, not dropped (the broker
                // would hold it unacknowledged until the connection closes).
                try hold(decoded.assumingMemoryBound(to: amqp_basic_deliver_t.self).pointee, st)
            case let id:
                if let e = Self.closeError(id, decoded, "publish") { throw e }
            }
        }
        // An ack for a returned message means "handled", not "stored": keep it failed.
        for id in returned { result.confirmed.remove(id) }
        let out = result
        result = ConfirmResult()
        return out
    }

    /// Keeps the connection serviced (heartbeats, confirms) for `seconds` without sending:
    /// how a rate-limited sender waits without the broker thinking it died.
    public func idle(for seconds: TimeInterval) throws -> ConfirmResult {
        let st = try st
        let deadline = Date().addingTimeInterval(seconds)
        var out = ConfirmResult()
        while true {
            let remaining = deadline.timeIntervalSinceNow
            if remaining <= 0 { break }
            if !inFlight.isEmpty {
                let r = try awaitConfirms(maxOutstanding: 0, timeout: remaining)
                out.confirmed.formUnion(r.confirmed)
                out.failed.merge(r.failed) { a, _ in a }
                continue
            }
            var tv = Self.timeout(remaining)
            var frame = amqp_frame_t()
            let rc = amqp_simple_wait_frame_noblock(st, &frame, &tv)
            if rc == AMQP_STATUS_TIMEOUT.rawValue { break }
            try Self.check(rc, "wait")
        }
        return out
    }

    func settle(_ tag: UInt64, multiple: Bool, _ body: (UInt64, String) -> Void) {
        if multiple {
            for t in inFlight.keys.filter({ $0 <= tag }).sorted() {
                if let id = inFlight.removeValue(forKey: t) { body(t, id) }
            }
        } else if let id = inFlight.removeValue(forKey: tag) {
            body(tag, id)
        }
    }
}

internal import CRabbitMQ
import Foundation

/// One AMQP 0-9-1 connection with a single channel. Owns the rabbitmq-c connection state;
/// call `close()` when done (deinit is a safety net).
public final class AMQPConnection {
    private var state: amqp_connection_state_t?
    /// The one channel in use; a channel-level error (e.g. a declare that does not match the
    /// queue's existing arguments) closes it, and `reopenChannel` moves to the next number.
    private var channel: amqp_channel_t = 1
    public let options: AMQPOptions
    /// Another thread may call `interrupter.interrupt()` to end a blocked call (a deadline, a signal).
    public let interrupter: LinkInterrupter
    private var confirms = false
    private var nextTag: UInt64 = 1
    private var inFlight: [UInt64: String] = [:]
    private var result = ConfirmResult()

    public init(_ options: AMQPOptions, interrupter: LinkInterrupter = LinkInterrupter()) throws {
        self.options = options
        self.interrupter = interrupter
        guard let st = amqp_new_connection() else {
            throw AMQPError(kind: .library, code: -1, message: "out of memory", context: "connect")
        }
        state = st
        let target = "\(options.host):\(options.port)"
        do {
            let socket: OpaquePointer?
            if let tls = options.tls {
                socket = amqp_ssl_socket_new(st)
                guard let socket else { throw AMQPError(kind: .library, code: -1, message: "cannot create TLS socket", context: "connect") }
                try Self.check(amqp_ssl_socket_set_cacert(socket, tls.caFile), "TLS CA file \(tls.caFile)")
                if let cert = tls.certFile, let key = tls.keyFile {
                    try Self.check(amqp_ssl_socket_set_key(socket, cert, key), "TLS client certificate \(cert)")
                }
                amqp_ssl_socket_set_verify_peer(socket, 1)
                amqp_ssl_socket_set_verify_hostname(socket, tls.verifyHostname ? 1 : 0)
            } else {
                socket = amqp_tcp_socket_new(st)
            }
            guard let socket else { throw AMQPError(kind: .library, code: -1, message: "cannot create socket", context: "connect") }
            var tv = Self.timeout(options.timeoutSeconds)
            try Self.check(amqp_socket_open_noblock(socket, options.host, Int32(options.port), &tv), "connect to \(target)")
            _ = amqp_set_rpc_timeout(st, &tv)
            let fd = amqp_get_sockfd(st)
            Self.detectDeadLinks(fd, after: options.deadLinkSeconds)
            interrupter.attach(fd)
            let login = salesync_amqp_login_plain(st, options.vhost, 0, 131072, Int32(options.heartbeatSeconds),
                                                  options.user, options.password)
            try Self.check(login, st, "log in to \(target) as \(options.user)")
            _ = amqp_channel_open(st, channel)
            try Self.check(amqp_get_rpc_reply(st), st, "open channel")
        } catch {
            interrupter.detach()
            amqp_destroy_connection(st)
            state = nil
            throw error
        }
    }

    static func timeout(_ seconds: Double) -> timeval {
        let s = max(seconds, 0.001)
        return timeval(tv_sec: Int(s), tv_usec: Int((s - floor(s)) * 1_000_000))
    }

    /// Linux's TCP_USER_TIMEOUT (netinet/tcp.h), which Glibc's module does not export.
    static let tcpUserTimeout: Int32 = 18

    /// Makes the kernel give up on a link that has gone dark: data unacknowledged for `seconds`
    /// (TCP_USER_TIMEOUT) or an idle link whose keepalive probes go unanswered ends the
    /// connection, so a `send()` blocked on a full buffer fails instead of waiting forever.
    static func detectDeadLinks(_ fd: Int32, after seconds: Double) {
        guard fd >= 0, seconds > 0 else { return }
        func set(_ level: Int32, _ name: Int32, _ value: Int32) {
            var v = value
            _ = setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size))
        }
        set(SOL_SOCKET, SO_KEEPALIVE, 1)
        let probe = Int32(max(1, seconds / 4))
        set(Int32(IPPROTO_TCP), TCP_KEEPIDLE, probe)
        set(Int32(IPPROTO_TCP), TCP_KEEPINTVL, probe)
        set(Int32(IPPROTO_TCP), TCP_KEEPCNT, 3)
        set(Int32(IPPROTO_TCP), tcpUserTimeout, Int32(seconds * 1000))
    }

    deinit { close() }

    /// Closes the channel and connection politely if possible, then frees the state.
    public func close() {
        guard let st = state else { return }
        if interrupter.wasInterrupted {
            // The socket is shut: a polite close would only wait for its own timeout.
            interrupter.detach()
            amqp_destroy_connection(st)
            state = nil
            return
        }
        interrupter.detach()
        _ = amqp_channel_close(st, channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(st, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(st)
        state = nil
    }

    private var st: amqp_connection_state_t {
        get throws {
            guard let s = state else { throw AMQPError(kind: .library, code: -1, message: "connection is closed", context: "use") }
            return s
        }
    }

    static func check(_ status: Int32, _ context: String) throws {
        if status < 0 {
            throw AMQPError(kind: .library, code: Int(status), message: String(cString: amqp_error_string2(status)), context: context)
        }
    }

    static func check(_ reply: amqp_rpc_reply_t, _ st: amqp_connection_state_t, _ context: String) throws {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            let code = reply.library_error
            var message = String(cString: amqp_error_string2(code))
            // A refused login shows up as the socket being closed during the handshake.
            if context.hasPrefix("log in") && code == AMQP_STATUS_CONNECTION_CLOSED.rawValue {
                message += " (the broker closed the connection during login: ACCESS_REFUSED, wrong user or password?)"
                throw AMQPError(kind: .broker, code: 403, message: message, context: context)
            }
            throw AMQPError(kind: .library, code: Int(code), message: message, context: context)
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            if reply.reply.id == salesync_connection_close_method, let d = reply.reply.decoded {
                let m = d.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                throw AMQPError(kind: .broker, code: Int(m.reply_code), message: Self.string(m.reply_text), context: context)
            }
            if reply.reply.id == salesync_channel_close_method, let d = reply.reply.decoded {
                let m = d.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                throw AMQPError(kind: .broker, code: Int(m.reply_code), message: Self.string(m.reply_text), context: context)
            }
            throw AMQPError(kind: .broker, code: 0, message: "unexpected server method \(reply.reply.id)", context: context)
        default:
            throw AMQPError(kind: .library, code: -1, message: "no reply", context: context)
        }
    }

    // amqp_bytes_t only points at memory: the strings must outlive the call, hence these helpers.
    private func withBytes<T>(_ a: String, _ body: (amqp_bytes_t) -> T) -> T {
        var a = a
        return a.withUTF8 { body(salesync_amqp_bytes($0.baseAddress, $0.count)) }
    }

    private func withBytes<T>(_ a: String, _ b: String, _ body: (amqp_bytes_t, amqp_bytes_t) -> T) -> T {
        withBytes(a) { x in withBytes(b) { y in body(x, y) } }
    }

    private func withBytes<T>(_ a: String, _ b: String, _ c: String, _ body: (amqp_bytes_t, amqp_bytes_t, amqp_bytes_t) -> T) -> T {
        withBytes(a) { x in withBytes(b) { y in withBytes(c) { z in body(x, y, z) } } }
    }

    static func string(_ b: amqp_bytes_t) -> String {
        guard let p = b.bytes, b.len > 0 else { return "" }
        return String(decoding: UnsafeRawBufferPointer(start: p, count: b.len), as: UTF8.self)
    }

    static func bytes(_ b: amqp_bytes_t) -> [UInt8] {
        guard let p = b.bytes, b.len > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: p, count: b.len))
    }

    private func rpc(_ context: String) throws {
        let st = try st
        try Self.check(amqp_get_rpc_reply(st), st, context)
    }

    /// Declares a durable exchange (idempotent).
    public func declareExchange(_ name: String, type: String = "direct") throws {
        let st = try st
        withBytes(name, type) { n, t in _ = amqp_exchange_declare(st, channel, n, t, 0, 1, 0, 0, amqp_empty_table) }
        try rpc("declare exchange \(name)")
    }

    /// Declares a durable queue (idempotent) and returns its current message count.
    @discardableResult
    public func declareQueue(_ name: String, passive: Bool = false, type: String? = nil,
                             deadLetter: (exchange: String, routingKey: String)? = nil) throws -> UInt32 {
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

    private static func withOptionalCString<T>(_ s: String?, _ body: (UnsafePointer<CChar>?) -> T) -> T {
        guard let s else { return body(nil) }
        return s.withCString { body($0) }
    }

    /// Opens a fresh channel after the broker closed the current one (a channel-level error);
    /// publisher confirms and consumers must be set up again on it.
    public func reopenChannel() throws {
        let st = try st
        channel += 1
        confirms = false
        inFlight = [:]
        _ = amqp_channel_open(st, channel)
        try rpc("open channel")
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
        let props = envelope.message.properties
        return Delivery(deliveryTag: envelope.delivery_tag, body: Self.bytes(envelope.message.body),
                        messageId: props._flags & salesync_message_id_flag != 0 ? Self.string(props.message_id) : nil,
                        type: props._flags & salesync_type_flag != 0 ? Self.string(props.type) : nil,
                        redelivered: envelope.redelivered != 0, queue: Self.string(envelope.consumer_tag))
    }

    /// A frame other than a delivery arrived while consuming: a close is an error; anything
    /// else (a late confirm, a heartbeat) is dropped.
    private func readUnexpectedFrame(_ st: amqp_connection_state_t) throws {
        var frame = amqp_frame_t()
        try Self.check(amqp_simple_wait_frame(st, &frame), "receive")
        guard salesync_frame_is_method(&frame) != 0, let decoded = salesync_frame_method_decoded(&frame) else { return }
        if let e = Self.closeError(salesync_frame_method_id(&frame), decoded, "receive") { throw e }
    }

    /// The broker's reason when a method is a channel or connection close, else nil.
    private static func closeError(_ id: amqp_method_number_t, _ decoded: UnsafeMutableRawPointer, _ context: String) -> AMQPError? {
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
            var tv = timeval(tv_sec: Int(remaining), tv_usec: Int((remaining - floor(remaining)) * 1_000_000))
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
            var tv = timeval(tv_sec: Int(remaining), tv_usec: Int((remaining - floor(remaining)) * 1_000_000))
            var frame = amqp_frame_t()
            let rc = amqp_simple_wait_frame_noblock(st, &frame, &tv)
            if rc == AMQP_STATUS_TIMEOUT.rawValue { break }
            try Self.check(rc, "wait")
        }
        return out
    }

    private func settle(_ tag: UInt64, multiple: Bool, _ body: (UInt64, String) -> Void) {
        if multiple {
            for t in inFlight.keys.filter({ $0 <= tag }).sorted() {
                if let id = inFlight.removeValue(forKey: t) { body(t, id) }
            }
        } else if let id = inFlight.removeValue(forKey: tag) {
            body(tag, id)
        }
    }

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
        let props = message.properties
        return Delivery(deliveryTag: ok.delivery_tag, body: Self.bytes(message.body),
                        messageId: props._flags & salesync_message_id_flag != 0 ? Self.string(props.message_id) : nil,
                        type: props._flags & salesync_type_flag != 0 ? Self.string(props.type) : nil,
                        redelivered: ok.redelivered != 0, queue: queue)
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
}

internal import CRabbitMQ
import Foundation

/// One AMQP 0-9-1 connection with a single channel. Owns the rabbitmq-c connection state;
/// call `close()` when done (deinit is a safety net).
public final class AMQPConnection {
    var state: amqp_connection_state_t?
    /// The one channel in use; a channel-level error (e.g. a declare that does not match the
    /// queue's existing arguments) closes it, and `reopenChannel` moves to the next number.
    var channel: amqp_channel_t = 1
    public let options: AMQPOptions
    /// Another thread may call `interrupter.interrupt()` to end a blocked call (a deadline, a signal).
    public let interrupter: LinkInterrupter
    var confirms = false
    var nextTag: UInt64 = 1
    var inFlight: [UInt64: String] = [:]
    var result = ConfirmResult()
    /// Deliveries that arrived while waiting for confirms, kept for `nextDelivery`.
    var held: [Delivery] = []

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
            let login = salesync_amqp_login_plain(
                st, options.vhost, 0, 131072, Int32(options.heartbeatSeconds),
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

    /// Drops the connection without the polite close (which waits for the broker's reply behind
    /// whatever the link still carries); the broker forgets it as for a cut link.
    public func abandon() {
        guard let st = state else { return }
        interrupter.detach()
        amqp_destroy_connection(st)
        state = nil
    }

    /// Closes the channel and connection politely if possible, then frees the state.
    public func close() {
        guard let st = state else { return }
        // The socket is shut: a polite close would only wait for its own timeout.
        if interrupter.wasInterrupted { return abandon() }
        interrupter.detach()
        _ = amqp_channel_close(st, channel, Int32(AMQP_REPLY_SUCCESS))
        _ = amqp_connection_close(st, Int32(AMQP_REPLY_SUCCESS))
        amqp_destroy_connection(st)
        state = nil
    }

    var st: amqp_connection_state_t {
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
                throw AMQPError(kind: .broker, code: AMQPReplyCode.accessRefused, message: message, context: context)
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
    func withBytes<T>(_ a: String, _ body: (amqp_bytes_t) -> T) -> T {
        var a = a
        return a.withUTF8 { body(salesync_amqp_bytes($0.baseAddress, $0.count)) }
    }

    func withBytes<T>(_ a: String, _ b: String, _ body: (amqp_bytes_t, amqp_bytes_t) -> T) -> T {
        withBytes(a) { x in withBytes(b) { y in body(x, y) } }
    }

    func withBytes<T>(_ a: String, _ b: String, _ c: String, _ body: (amqp_bytes_t, amqp_bytes_t, amqp_bytes_t) -> T) -> T {
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

    func rpc(_ context: String) throws {
        let st = try st
        try Self.check(amqp_get_rpc_reply(st), st, context)
    }

}

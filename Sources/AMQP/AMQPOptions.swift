import Foundation

/// Where and how to reach a RabbitMQ broker. The password is kept out of the URL and argv.
public struct AMQPOptions: Sendable {
    public var host: String
    public var port: Int
    public var vhost: String
    public var user: String
    public var password: String
    public var tls: TLSOptions?
    /// Seconds between heartbeats both ends promise (0: none). A link silent for two of them is dead.
    public var heartbeatSeconds: Int
    /// Limit for connecting, logging in and each request-response exchange.
    public var timeoutSeconds: Double

    /// How long unacknowledged data may wait before the kernel declares the link dead.
    public var deadLinkSeconds: Double { heartbeatSeconds > 0 ? Double(2 * heartbeatSeconds) : 60 }

    public init(
        host: String, port: Int = 5672, vhost: String = "/", user: String = "guest", password: String = "guest",
        tls: TLSOptions? = nil, heartbeatSeconds: Int = 30, timeoutSeconds: Double = 15
    ) {
        self.host = host
        self.port = port
        self.vhost = vhost
        self.user = user
        self.password = password
        self.tls = tls
        self.heartbeatSeconds = heartbeatSeconds
        self.timeoutSeconds = timeoutSeconds
    }

    /// Parses `amqp://user@host:port/vhost` or `amqps://...`. A password in the URL is refused:
    /// it would end up in config files and process listings; use a password file instead.
    public init(url: String, password: String, tls: TLSOptions? = nil) throws {
        guard let comps = URLComponents(string: url), let scheme = comps.scheme?.lowercased(),
            scheme == "amqp" || scheme == "amqps", let host = comps.host, !host.isEmpty
        else {
            throw AMQPError(kind: .library, code: -1, message: "expected amqp://user@host:port/vhost, got \(url)", context: "url")
        }
        if comps.password != nil {
            throw AMQPError(kind: .library, code: -1, message: "the URL must not contain a password; use password_file", context: "url")
        }
        let isTLS = scheme == "amqps"
        if isTLS && tls == nil {
            throw AMQPError(kind: .library, code: -1, message: "amqps:// needs a CA file (rabbitmq.ca_file)", context: "url")
        }
        var vhost = comps.percentEncodedPath
        if vhost.hasPrefix("/") { vhost.removeFirst() }
        vhost = vhost.removingPercentEncoding ?? vhost
        self.init(
            host: host, port: comps.port ?? (isTLS ? 5671 : 5672), vhost: vhost.isEmpty ? "/" : vhost,
            user: comps.user ?? "guest", password: password, tls: isTLS ? tls : nil)
    }
}

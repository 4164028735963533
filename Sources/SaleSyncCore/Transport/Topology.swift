import AMQP
import Foundation

/// Names of the exchanges and queues, one set per branch, so broker permissions can confine a
/// branch to its own (scripts/rabbit_definitions.py):
/// bundles go `salesync.in.<branch>` → `salesync.bundles.<branch>`, acknowledgements come back
/// `salesync.ack.<branch>` → `salesync.acks.<branch>`.
public enum Topology {
    public static func bundleExchange(_ branch: String) -> String { "salesync.in.\(branch)" }
    public static func bundleQueue(_ branch: String) -> String { "salesync.bundles.\(branch)" }
    public static func ackExchange(_ branch: String) -> String { "salesync.ack.\(branch)" }
    public static func ackQueue(_ branch: String) -> String { "salesync.acks.\(branch)" }

    /// Declares a branch's exchanges and durable queues (idempotent). Both sides call it, so a
    /// message is never dropped for want of a queue when the other side has never run.
    public static func declare(_ amqp: AMQPConnection, branch: String) throws {
        try amqp.declareExchange(bundleExchange(branch))
        try amqp.declareQueue(bundleQueue(branch))
        try amqp.bindQueue(bundleQueue(branch), exchange: bundleExchange(branch), routingKey: branch)
        try amqp.declareExchange(ackExchange(branch))
        try amqp.declareQueue(ackQueue(branch))
        try amqp.bindQueue(ackQueue(branch), exchange: ackExchange(branch), routingKey: branch)
    }

    /// Opens a connection as the site's config says, giving up after `timeout` seconds.
    public static func connect(_ c: Config, timeout: TimeInterval = 15, interrupter: LinkInterrupter = LinkInterrupter()) throws -> AMQPConnection {
        let password = try Config.readSecret(c.rabbitmq.passwordFile, key: "rabbitmq.password_file", config: c.path) ?? "guest"
        var tls: TLSOptions?
        if let ca = c.rabbitmq.caFile {
            tls = TLSOptions(caFile: ca, certFile: c.rabbitmq.certFile, keyFile: c.rabbitmq.keyFile,
                             verifyHostname: c.rabbitmq.verifyHostname)
        }
        var options: AMQPOptions
        do {
            options = try AMQPOptions(url: c.rabbitmq.url, password: password, tls: tls)
        } catch let e as AMQPError {
            throw SyncError.config("\(c.path): key rabbitmq.url: \(e.message)")
        }
        options.heartbeatSeconds = Int(c.rabbitmq.heartbeat)
        options.timeoutSeconds = max(1, timeout)
        return try AMQPConnection(options, interrupter: interrupter)
    }
}

import AMQP
import Foundation

/// Names of the exchanges and queues, one set per branch, so broker permissions can confine a
/// branch to its own (scripts/rabbit_definitions.py):
/// bundles go `salesync.in.<branch>` → `salesync.bundles.<branch>`, acknowledgements come back
/// `salesync.ack.<branch>` → `salesync.acks.<branch>`. Quorum bundle queues dead-letter a message
/// the broker would otherwise drop (over a delivery limit) through `salesync.dlx.<branch>` into
/// `salesync.dead.<branch>`, which `status` reports.
public enum Topology {
    public static func bundleExchange(_ branch: String) -> String { "salesync.in.\(branch)" }
    public static func bundleQueue(_ branch: String) -> String { "salesync.bundles.\(branch)" }
    public static func ackExchange(_ branch: String) -> String { "salesync.ack.\(branch)" }
    public static func ackQueue(_ branch: String) -> String { "salesync.acks.\(branch)" }
    public static func deadLetterExchange(_ branch: String) -> String { "salesync.dlx.\(branch)" }
    public static func deadLetterQueue(_ branch: String) -> String { "salesync.dead.\(branch)" }
    public static func downlinkExchange(_ branch: String) -> String { "salesync.down.\(branch)" }
    public static func downlinkQueue(_ branch: String) -> String { "salesync.downlink.\(branch)" }
    /// Message types: a bundle's chunk, and a branch's acknowledgement of a downlink bundle.
    public static let chunkType = "salesync.chunk"
    public static let downlinkAckType = "salesync.downlink-ack"

    /// Declares a branch's exchanges and durable queues (idempotent). Both sides call it, so a
    /// message is never dropped for want of a queue when the other side has never run. New
    /// queues are of `type`; a queue that exists with other arguments (a classic queue from an
    /// older installation) is kept as it is: docs/cluster.md gives the migration.
    public static func declare(_ amqp: AMQPConnection, branch: String, type: QueueType = .quorum) throws {
        try amqp.declareExchange(bundleExchange(branch))
        var deadLetter: (exchange: String, routingKey: String)?
        if type == .quorum {
            try amqp.declareExchange(deadLetterExchange(branch))
            try declareQueue(amqp, deadLetterQueue(branch), type, deadLetter: nil)
            try amqp.bindQueue(deadLetterQueue(branch), exchange: deadLetterExchange(branch), routingKey: branch)
            deadLetter = (deadLetterExchange(branch), branch)
        }
        try declareQueue(amqp, bundleQueue(branch), type, deadLetter: deadLetter)
        try amqp.bindQueue(bundleQueue(branch), exchange: bundleExchange(branch), routingKey: branch)
        try amqp.declareExchange(ackExchange(branch))
        try declareQueue(amqp, ackQueue(branch), type, deadLetter: nil)
        try amqp.bindQueue(ackQueue(branch), exchange: ackExchange(branch), routingKey: branch)
        try amqp.declareExchange(downlinkExchange(branch))
        try declareQueue(amqp, downlinkQueue(branch), type, deadLetter: nil)
        try amqp.bindQueue(downlinkQueue(branch), exchange: downlinkExchange(branch), routingKey: branch)
    }

    /// Closes a run's connection: politely while the run has time, else at once. Why: past the
    /// deadline a polite close waits for the broker's reply behind whatever the slow link still
    /// carries (the downlink's chunks in flight), and what is unconfirmed or unacknowledged is
    /// sent again next run anyway. (Not through the link's interrupter: that would make the
    /// error being reported look like the deadline's doing.)
    public static func close(_ amqp: AMQPConnection, _ options: DrainOptions) {
        options.shouldStop ? amqp.abandon() : amqp.close()
    }

    /// The messages ready in `queue` (0 when it does not exist yet: nobody sent anything).
    public static func messageCount(_ amqp: AMQPConnection, _ queue: String) throws -> Int {
        do {
            return Int(try amqp.declareQueue(queue, passive: true))
        } catch let e as AMQPError where e.kind == .broker && e.code == AMQPReplyCode.notFound {
            // The broker closed the channel over the unknown queue: the connection carries on.
            try amqp.reopenChannel()
            return 0
        }
    }

    /// Declares what a site uses: a branch its own names, a head office every branch's.
    public static func declare(_ amqp: AMQPConnection, for c: Config) throws {
        for b in c.role == .branch ? [c.site] : c.branches.map(\.id) { try declare(amqp, branch: b, type: c.rabbitmq.queueType) }
    }

    private static func declareQueue(
        _ amqp: AMQPConnection, _ name: String, _ type: QueueType,
        deadLetter: (exchange: String, routingKey: String)?
    ) throws {
        do {
            try amqp.declareQueue(name, type: type.rawValue, deadLetter: deadLetter)
        } catch let e as AMQPError where e.kind == .broker && e.code == AMQPReplyCode.preconditionFailed {
            // The queue exists with other arguments: use it as it is (the broker closed the channel).
            try amqp.reopenChannel()
            try amqp.declareQueue(name, passive: true)
        }
    }

    /// Messages the broker dead-lettered for `branch` (0 where there is no dead-letter queue).
    public static func deadLettered(_ amqp: AMQPConnection, branch: String) -> Int? {
        do { return Int(try amqp.declareQueue(deadLetterQueue(branch), passive: true)) } catch {
            try? amqp.reopenChannel()
            return nil
        }
    }

    /// Opens a connection to the first of the config's broker nodes that answers, starting with
    /// node `first` (a caller whose node died moves on to the next), each tried for at most
    /// `timeout` seconds. Returns the connection and the index of its node.
    public static func connect(
        _ c: Config, timeout: TimeInterval = 15, interrupter: LinkInterrupter = LinkInterrupter(),
        first: Int = 0
    ) throws -> (AMQPConnection, node: Int) {
        let password = try Config.readSecret(c.rabbitmq.passwordFile, key: "rabbitmq.password_file", config: c.path) ?? "guest"
        var tls: TLSOptions?
        if let ca = c.rabbitmq.caFile {
            tls = TLSOptions(
                caFile: ca, certFile: c.rabbitmq.certFile, keyFile: c.rabbitmq.keyFile,
                verifyHostname: c.rabbitmq.verifyHostname)
        }
        let urls = c.rabbitmq.urls
        var failures: [AMQPError] = []
        for k in 0..<urls.count {
            let i = (first + k) % urls.count
            var options: AMQPOptions
            do {
                options = try AMQPOptions(url: urls[i], password: password, tls: tls)
            } catch let e as AMQPError {
                throw SyncError.config("\(c.path): key rabbitmq.url\(urls.count > 1 ? "s[\(i)]" : ""): \(e.message)")
            }
            options.heartbeatSeconds = Int(c.rabbitmq.heartbeat)
            options.timeoutSeconds = max(1, timeout)
            do {
                return (try AMQPConnection(options, interrupter: interrupter), i)
            } catch let e as AMQPError where e.isAccessRefused {
                throw SyncError.config(
                    """
                    \(c.path): RabbitMQ at \(options.host):\(options.port) refused user "\(options.user)" (vhost \(options.vhost)): \
                    check key rabbitmq.password_file and the broker's user and permissions (\(e.message))
                    """)
            } catch let e as AMQPError where e.isConnectionFailure && !interrupter.wasInterrupted {
                failures.append(e)
            }
        }
        // One node: its own error. Several: each node's, in one line.
        if failures.count == 1 { throw failures[0] }
        throw AMQPError(
            kind: .library, code: failures.last?.code ?? -1,
            message: "no broker node answered: " + failures.map(\.description).joined(separator: "; "), context: "connect")
    }

    /// `connect` for a caller that does not care which node answered.
    public static func connect(_ c: Config) throws -> AMQPConnection { try connect(c, first: 0).0 }
}

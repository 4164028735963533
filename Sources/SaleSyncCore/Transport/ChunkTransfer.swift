import AMQP
import Foundation

/// Where a transfer records its progress and says what it is doing: the branch's `Drainer`
/// (its outbox) and the head office's `DownlinkSender` (each branch's downlink).
protocol ChunkLedger {
    var config: Config { get }
    /// Names what is being done, for the message if the link dies now.
    func enter(_ what: String)
    /// The broker has every chunk below `index` of bundle `seq`: a resumed transfer starts there.
    func recordConfirmed(_ seq: UInt64, upTo index: Int) throws
    /// Records a bundle's chunking (size, count, none sent yet) as `fixChunking` decided it.
    func recordChunking(_ b: Drainer.Pending) throws
}

extension ChunkLedger {
    /// The chunking is fixed when a transfer starts, so that a resumed transfer continues it.
    func fixChunking(_ b: inout Drainer.Pending, bundleSize: Int, chunkSize: Int) throws {
        guard b.chunkSize == 0 || b.chunksSent == 0 else { return }
        b.chunkSize = chunkSize
        b.chunksTotal = max(1, (bundleSize + chunkSize - 1) / chunkSize)
        b.chunksSent = 0
        try recordChunking(b)
    }
}

/// Sends one bundle's chunks from where its last transfer stopped, at most `window` of them
/// unconfirmed at once, recording after each confirm how far the broker has them all.
struct ChunkTransfer {
    let ledger: ChunkLedger
    let amqp: AMQPConnection
    /// Whose stream the bundle is in (the chunk says it), the exchange and routing key it goes to.
    let route: (branch: String, exchange: String)
    let bundle: Drainer.Pending
    let bytes: [UInt8]
    let pace: Pace
    let window = 8
    private var next: Int
    private var confirmedUpTo: Int
    private var outstanding: [String: Int] = [:]

    init(
        ledger: ChunkLedger, amqp: AMQPConnection, route: (branch: String, exchange: String), bundle: Drainer.Pending,
        bytes: [UInt8], pace: Pace
    ) {
        self.ledger = ledger
        self.route = route
        self.amqp = amqp
        self.bundle = bundle
        self.bytes = bytes
        self.pace = pace
        next = bundle.chunksSent
        confirmedUpTo = bundle.chunksSent
    }

    /// Sends the remaining chunks (until the deadline) and waits for every confirm.
    mutating func run(_ options: DrainOptions, _ report: inout DrainReport, progress: ((Int, Int) -> Void)?) throws {
        let (site, exchange) = route
        let digest = Array(BundleFormat.checksumField(of: bytes))
        while next < bundle.chunksTotal {
            if options.shouldStop { break }
            let lo = next * bundle.chunkSize
            let chunk = Chunk(
                branch: site, sequence: bundle.seq, index: next, count: bundle.chunksTotal, bundleSize: bytes.count,
                bundleSHA256: digest, payload: Array(bytes[lo..<min(bytes.count, lo + bundle.chunkSize)]))
            let body = chunk.encoded()
            let id = "\(site).\(bundle.seq).\(next)"
            try body.withUnsafeBytes {
                try amqp.publish(exchange: exchange, routingKey: site, body: $0, messageId: id, type: Topology.chunkType)
            }
            outstanding[id] = next
            next += 1
            report.chunksSent += 1
            report.bytesSent += body.count
            progress?(report.bytesSent, report.chunksSent)
            if outstanding.count >= window {
                try waitForConfirms(leaving: window / 2, options)
                ledger.enter("sending bundle \(bundle.seq)")
            }
            if let due = pace.sent(body.count) {
                // Hold the average to the limit; idle services heartbeats and confirms meanwhile.
                while Date() < due && !options.shouldStop { try settle(try amqp.idle(for: min(1, due.timeIntervalSinceNow))) }
            }
        }
        // Every chunk confirmed before the bundle counts as sent (each wait must make progress).
        while !outstanding.isEmpty && !options.shouldStop { try waitForConfirms(leaving: 0, options) }
    }

    /// Waits until at most `leaving` chunks are unconfirmed. A broker that confirms none of them
    /// within `transfer.confirm_timeout` is not taking messages: the drain ends (exit 75).
    private mutating func waitForConfirms(leaving max: Int, _ options: DrainOptions) throws {
        ledger.enter("waiting for publisher confirms of bundle \(bundle.seq)")
        let limit = ledger.config.transfer.confirmTimeout
        let r = try amqp.awaitConfirms(maxOutstanding: max, timeout: options.bounded(limit))
        try settle(r)
        guard outstanding.count > max, r.confirmed.isEmpty, !options.shouldStop else { return }
        let why =
            ledger.config.rabbitmq.queueType == .quorum
            ? " (a quorum queue whose cluster has lost the majority of its nodes takes no messages until they return)" : ""
        throw SyncError.temporary(
            "the broker confirmed none of \(outstanding.count) chunks of bundle \(bundle.seq) within \(Int(limit)) s\(why)")
    }

    /// Whether chunks are left to send or to be confirmed (the transfer was cut short).
    var unfinished: Bool { next < bundle.chunksTotal || !outstanding.isEmpty }

    /// Takes the broker's confirms; records the lowest chunk not yet confirmed.
    private mutating func settle(_ r: ConfirmResult) throws {
        if let (id, why) = r.failed.first {
            throw SyncError.temporary("the broker did not accept chunk \(id): \(why)")
        }
        for id in r.confirmed { outstanding.removeValue(forKey: id) }
        let lowest = outstanding.values.min() ?? next
        if lowest > confirmedUpTo {
            confirmedUpTo = lowest
            try ledger.recordConfirmed(bundle.seq, upTo: confirmedUpTo)
        }
    }
}

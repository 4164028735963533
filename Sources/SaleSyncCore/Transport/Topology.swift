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

    /// Opens a connection as the site's config says.
    public static func connect(_ c: Config) throws -> AMQPConnection {
        let password = try Config.readSecret(c.rabbitmq.passwordFile, key: "rabbitmq.password_file", config: c.path) ?? "guest"
        var tls: TLSOptions?
        if let ca = c.rabbitmq.caFile {
            tls = TLSOptions(caFile: ca, certFile: c.rabbitmq.certFile, keyFile: c.rabbitmq.keyFile,
                             verifyHostname: c.rabbitmq.verifyHostname)
        }
        let options: AMQPOptions
        do {
            options = try AMQPOptions(url: c.rabbitmq.url, password: password, tls: tls)
        } catch let e as AMQPError {
            throw SyncError.config("\(c.path): key rabbitmq.url: \(e.message)")
        }
        return try AMQPConnection(options)
    }
}

/// One piece of a bundle on the wire. Bundles of any size cross in chunks of at most
/// `transfer.chunk_size`, each self-describing so the head office can reassemble them in any
/// order and ignore duplicates:
///
///     "SSCH" | u8 version=1 | u16 branch length | branch | u64 sequence | u32 index | u32 count
///     | u64 bundle size | 32-byte bundle SHA-256 | payload
public struct Chunk: Sendable, Equatable {
    public var branch: String
    public var sequence: UInt64
    public var index: Int
    public var count: Int
    public var bundleSize: Int
    public var bundleSHA256: [UInt8]
    public var payload: [UInt8]

    static let magic = Array("SSCH".utf8)

    public init(branch: String, sequence: UInt64, index: Int, count: Int, bundleSize: Int, bundleSHA256: [UInt8], payload: [UInt8]) {
        self.branch = branch
        self.sequence = sequence
        self.index = index
        self.count = count
        self.bundleSize = bundleSize
        self.bundleSHA256 = bundleSHA256
        self.payload = payload
    }

    public func encoded() -> [UInt8] {
        var w = ByteWriter(capacity: payload.count + 80)
        w.bytes += Self.magic
        w.u8(1)
        let b = Array(branch.utf8)
        w.u16(UInt16(b.count))
        w.bytes += b
        w.u64(sequence)
        w.u32(UInt32(index))
        w.u32(UInt32(count))
        w.u64(UInt64(bundleSize))
        w.bytes += bundleSHA256
        w.bytes += payload
        return w.bytes
    }

    public init(decoding bytes: [UInt8], maxBundleBytes: Int = 4 << 30) throws {
        var r = ByteReader(bytes)
        try r.need(5, "chunk header")
        guard Array(bytes[0..<4]) == Self.magic, bytes[4] == 1 else { throw BundleError.malformed("not a salesync chunk message") }
        r.offset = 5
        let n = Int(try r.u16("branch length"))
        try r.need(n, "branch")
        guard let branch = String(validating: bytes[r.offset..<r.offset + n], as: UTF8.self) else {
            throw BundleError.malformed("chunk branch is not UTF-8")
        }
        r.offset += n
        sequence = try r.u64("sequence")
        index = Int(try r.u32("chunk index"))
        count = Int(try r.u32("chunk count"))
        bundleSize = Int(try r.u64("bundle size"))
        try r.need(32, "bundle sha256")
        bundleSHA256 = Array(bytes[r.offset..<r.offset + 32])
        r.offset += 32
        payload = Array(bytes[r.offset...])
        self.branch = branch
        guard count >= 1, index < count, bundleSize <= maxBundleBytes, payload.count <= bundleSize else {
            throw BundleError.malformed("chunk \(index)/\(count) of a \(bundleSize)-byte bundle is inconsistent")
        }
    }
}

/// The head office's answer about one bundle, sent back to the branch (broker or ack file).
public struct Ack: Codable, Sendable, Equatable {
    /// "applied", "duplicate" (applied earlier), "resend" (arrived damaged: send it again) or
    /// "rejected" (quarantined: an operator must look).
    public var status: String
    public var branch: String
    public var sequence: UInt64
    public var sha256: String
    public var rows: Int
    /// State-checksum verdict: "match", "drift" or "unchecked".
    public var verdict: String
    public var detail: String

    public init(status: String, branch: String, sequence: UInt64, sha256: String, rows: Int, verdict: String, detail: String) {
        self.status = status
        self.branch = branch
        self.sequence = sequence
        self.sha256 = sha256
        self.rows = rows
        self.verdict = verdict
        self.detail = detail
    }

    public func encoded() -> [UInt8] {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        return Array((try? e.encode(self)) ?? Data())
    }

    public static func decode(_ bytes: [UInt8]) throws -> Ack {
        do { return try JSONDecoder().decode(Ack.self, from: Data(bytes)) } catch {
            throw BundleError.malformed("acknowledgement is not valid JSON: \(error)")
        }
    }

    /// File name for an ack file on a USB stick.
    public var fileName: String { "\(branch.lowercased())-\(String(sequence).leftPadded(to: 12))-\(status).ack.json" }
}

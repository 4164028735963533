import AMQP
import Foundation

extension Ingestor {
    /// Stores consumed messages' chunks in their branches' inboxes in one transaction, then
    /// acknowledges them to the broker. Returns the branches they belong to.
    public func receive(_ batch: [Delivery], on amqp: AMQPConnection, report: inout IngestReport) throws -> Set<String> {
        let prefix = Topology.bundleQueue("")
        var branches = Set<String>()
        var stored: [UInt64] = []
        try db.transaction {
            for d in batch {
                let branch = String(d.queue.dropFirst(prefix.count))
                // Only served queues are subscribed to; anything else is left to the broker, unacked.
                guard d.queue.hasPrefix(prefix), keys[branch] != nil else { continue }
                if d.type == Topology.downlinkAckType {
                    try receiveDownlinkAck(d.body, branch: branch, report: &report)
                } else {
                    try store(d.body, from: d.queue, branch: branch, report: &report)
                }
                branches.insert(branch)
                stored.append(d.deliveryTag)
            }
        }
        // Acked only once the chunks are committed: a crash before this redelivers them.
        for tag in stored { try amqp.ack(tag) }
        faultPoint("ingest-chunk-acked")
        return branches
    }

    /// Stores one message's chunk in the branch's inbox; a message that is no chunk at all is
    /// kept in the quarantine for an operator, never applied.
    func store(_ body: [UInt8], from queue: String, branch: String, report: inout IngestReport) throws {
        do {
            try inbox.store(try Chunk(decoding: body), branch: branch)
            report.chunksReceived += 1
        } catch let e as BundleError {
            try primary.quarantine.keep(
                branch: branch, seq: nil, sha: nil, bytes: body,
                reason: "message in \(queue) is not a salesync chunk: \(e)")
            report.quarantined += 1
        }
    }

    /// Records a branch's acknowledgement of a downlink bundle, which travels with its bundles;
    /// one that names no bundle sent to this branch is kept in the quarantine.
    func receiveDownlinkAck(_ body: [UInt8], branch: String, report: inout IngestReport) throws {
        do {
            let ack = try Ack.decode(body)
            guard ack.branch == branch else {
                throw SyncError.data("acknowledgement names branch \(ack.branch)")
            }
            if try DownlinkOutbox(config: config, connection: db).record(ack) { report.downlinkAcks += 1 }
        } catch  where classify(error) == .data {
            try primary.quarantine.keep(
                branch: branch, seq: nil, sha: nil, bytes: body, reason: "downlink acknowledgement from \(branch) refused: \(error)")
            report.quarantined += 1
        }
    }

    /// Puts a bundle file (from a USB stick) into the inbox of the branch it names.
    public func receiveFile(_ path: String, report: inout IngestReport) throws {
        let bytes = try readFile(path)
        let file: BundleFile
        do { file = try BundleFile(bytes: bytes) } catch let e as BundleError {
            try primary.quarantine.keep(branch: "unknown", seq: nil, sha: nil, bytes: bytes, reason: "\(path): \(e)")
            report.quarantined += 1
            logger.error("refused \(path): \(e)")
            return
        }
        guard keys[file.header.branch] != nil else {
            try primary.quarantine.keep(
                branch: file.header.branch, seq: file.header.sequence, sha: file.sha256, bytes: bytes,
                reason: "\(path): \(BundleError.unknownBranch(file.header.branch))")
            report.quarantined += 1
            return
        }
        try inbox.store(whole: file, bytes)
        report.chunksReceived += 1
    }
}

extension Ingestor {
    /// What `ingestDirectory` did.
    public struct DirectoryResult: Sendable {
        public var files: Int
        public var report: IngestReport
        public var ackFiles: Int
    }

    /// The USB procedure's head-office step: applies the `.ssb` files in `dir` exactly as if
    /// they had come through the broker, and writes an ack file per bundle into `dir/acks/`.
    public func ingestDirectory(_ dir: String) throws -> DirectoryResult {
        var report = IngestReport()
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".ssb") }.sorted()
        for f in files { try receiveFile(dir + "/" + f, report: &report) }
        try applyReady(report: &report)
        let acks = try writeAckFiles(to: dir)
        return DirectoryResult(files: files.count, report: report, ackFiles: acks)
    }
}

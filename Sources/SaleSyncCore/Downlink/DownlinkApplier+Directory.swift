import Foundation

extension DownlinkApplier {
    /// What `ingest --from DIR` did at a branch.
    public struct DirectoryReport: Sendable {
        public var applied: [UInt64] = []
        public var duplicates = 0
        /// The first bundle still missing when later ones were found (nil: none missing).
        public var missing: UInt64?
        /// Files refused, each with why; nothing of them was applied.
        public var refused: [(file: String, reason: String)] = []
        public var ackFiles = 0
    }

    /// The USB procedure at a branch: applies the downlink bundles found in `dir/<site>/` (or
    /// `dir` itself) in sequence order, then writes the acknowledgements to `dir/<site>/acks/`.
    /// `ahead`: the same directory's bundles, the first already being read (`DownlinkReadAhead`).
    public func applyDirectory(_ dir: String, ahead: DownlinkReadAhead? = nil) throws -> DirectoryReport {
        var report = DirectoryReport()
        let ahead = ahead ?? DownlinkReadAhead(dir: dir, site: config.site)
        for path in ahead.paths {
            do {
                let (file, tables) = try ahead.read(path)
                // `salesync rejoin --from` takes rejoin copies.
                if file.header.kind == .rejoin { continue }
                switch try apply(file, decoded: tables) {
                case .applied: report.applied.append(file.header.sequence)
                case .duplicate: report.duplicates += 1
                case .waiting(let m): report.missing = report.missing ?? m
                }
            } catch  where classify(error) == .data {
                report.refused.append((path, "\(error)"))
            }
        }
        report.ackFiles = try writeAcks(to: dir + "/" + config.site + "/acks")
        for (file, reason) in report.refused {
            logger.error("downlink bundle refused, nothing applied", metadata: ["file": "\(file)", "reason": "\(reason)"])
        }
        return report
    }
}

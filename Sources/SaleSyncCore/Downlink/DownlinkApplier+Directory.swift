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
    public func applyDirectory(_ dir: String) throws -> DirectoryReport {
        var report = DirectoryReport()
        var paths: [String] = []
        for d in [dir + "/" + config.site, dir] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []
            paths += names.filter { $0.hasPrefix("ho-to-") && $0.hasSuffix(".ssb") }.map { d + "/" + $0 }
        }
        // By file name, which puts this branch's bundles in sequence order wherever on the stick
        // they are (an earlier one in DIR applies before a later one in DIR/<site>). Someone
        // else's bundle is named for what it is; it is still opened, and refused by its header.
        paths.sort { (($0 as NSString).lastPathComponent, $0) < (($1 as NSString).lastPathComponent, $1) }
        for path in paths {
            do {
                let file = try BundleFile(path: path)
                // `salesync rejoin --from` takes rejoin copies.
                if file.header.kind == .rejoin { continue }
                switch try apply(file) {
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

import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where the sync stands (table, --json, or Prometheus metrics).",
        discussion: "Example: salesync status --json")

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Print JSON instead of a table.")
    var json = false
    @Option(help: "Also write Prometheus text-format metrics to this file (node_exporter textfile collector).")
    var metrics: String?

    func run() throws {
        try Context.run(global) { ctx in
            let db = try ctx.database()
            defer { db.close() }
            let enc = JSONEncoder()
            enc.outputFormatting = [.prettyPrinted, .sortedKeys]
            if ctx.config.role == .branch {
                let s = try BranchStatus.read(db, config: ctx.config)
                if json { print(String(decoding: try enc.encode(s), as: UTF8.self)) } else { print(StatusText.branch(s)) }
                if let metrics { try writeMetrics(metrics, StatusText.branchMetrics(s)) }
            } else {
                var s = try HeadOfficeStatus.read(db, config: ctx.config)
                s.addDeadLetters(config: ctx.config)
                if json { print(String(decoding: try enc.encode(s), as: UTF8.self)) } else { print(StatusText.headOffice(s)) }
                if let metrics { try writeMetrics(metrics, StatusText.headOfficeMetrics(s)) }
            }
            return 0
        }
    }

    /// Writes the metrics file, creating its directory when the collector has not yet (a cron
    /// line shipped for node_exporter must not fail on a site without it).
    private func writeMetrics(_ path: String, _ text: String) throws {
        try ensureDirectory((path as NSString).deletingLastPathComponent, mode: 0o755)
        try writeFileAtomically(path: path, bytes: Array(text.utf8))
    }
}

import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync status`.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show where the sync stands (table, --json, or Prometheus metrics).",
        discussion: "Example: salesync --config /etc/salesync/ho.toml status --json")

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
                if let metrics { try writeFileAtomically(path: metrics, bytes: Array(StatusText.branchMetrics(s).utf8)) }
            } else {
                var s = try HeadOfficeStatus.read(db, config: ctx.config)
                s.addDeadLetters(config: ctx.config)
                if json { print(String(decoding: try enc.encode(s), as: UTF8.self)) } else { print(StatusText.headOffice(s)) }
                if let metrics { try writeFileAtomically(path: metrics, bytes: Array(StatusText.headOfficeMetrics(s).utf8)) }
            }
            return 0
        }
    }
}

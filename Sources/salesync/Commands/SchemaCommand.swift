import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync schema list|accept`: schema changes from branches held for an operator.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Head office: list schema changes held for an operator, or accept one (docs/schema-changes.md).",
        discussion: """
            Examples: salesync schema list
                      salesync schema accept --branch bo1 --table product_sales
                      salesync schema accept --branch bo1 --table product_sales --widen qty=DECIMAL(12,3)
            """,
        subcommands: [List.self, Accept.self])

    @OptionGroup var global: GlobalOptions

    static func withHolds(_ global: GlobalOptions, _ body: (SchemaHolds) throws -> Void) throws {
        try Context.run(global, role: .headOffice) { ctx in
            let db = try ctx.database()
            defer { db.close() }
            try body(SchemaHolds(connection: db))
            return 0
        }
    }

    /// `salesync schema list [--all]`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show held schema changes with their reasons.")
        @OptionGroup var global: GlobalOptions
        @Flag(help: "Also show accepted ones.") var all = false

        func run() throws {
            try SchemaCommand.withHolds(global) { holds in
                for e in try holds.list(all: all) {
                    let state = e.acceptedAt.map { "accepted by \(e.acceptedBy ?? "?") at \($0)" } ?? "held"
                    print("\(e.branch)  \(e.table)  from seq \(e.sequence)  \(e.heldAt)  \(state)\n    \(e.detail)")
                }
            }
        }
    }

    /// `salesync schema accept --branch B --table T [--widen COLUMN=TYPE ...]`.
    struct Accept: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "accept",
            abstract:
                "Accept a held change: the head office keeps its columns (taking NULL or the default for ones the branch dropped), after widening those named; the held bundles then apply."
        )
        @OptionGroup var global: GlobalOptions
        @Option(help: "The branch whose change is held.") var branch: String
        @Option(help: "The table.") var table: String
        @Option(
            help:
                "First change a head-office column to a type that holds the branch's values (COLUMN=TYPE, e.g. qty=DECIMAL(12,3)); repeatable."
        )
        var widen: [String] = []

        func run() throws {
            let pairs = try widen.map { w -> (String, String) in
                guard let eq = w.firstIndex(of: "="), eq != w.startIndex else {
                    throw ValidationError("--widen \(w): expected COLUMN=TYPE, e.g. qty=DECIMAL(12,3)")
                }
                return (String(w[..<eq]), String(w[w.index(after: eq)...]))
            }
            try SchemaCommand.withHolds(global) { holds in
                let who = Context.operatorName
                let e = try holds.accept(branch: branch, table: table, widen: pairs, by: who)
                if global.verbose {
                    print("accepted: \(e.branch) \(e.table) from seq \(e.sequence); the next ingest applies the held bundles")
                }
            }
        }
    }
}

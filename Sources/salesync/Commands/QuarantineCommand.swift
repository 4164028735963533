import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync quarantine list|retry|drop`: the head office's refused bundles.
struct QuarantineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine",
        abstract: "Head office: list, retry or drop refused bundles.",
        discussion: """
            Examples: salesync quarantine list
                      salesync quarantine retry 12   (after fixing the cause, e.g. a branch's key)
                      salesync quarantine drop 12
            """,
        subcommands: [List.self, Retry.self, Drop.self])

    @OptionGroup var global: GlobalOptions

    /// Runs `body` with the head office's quarantine.
    static func withQuarantine(_ global: GlobalOptions, _ body: (Quarantine) throws -> Void) throws {
        try Context.run(global, role: .headOffice) { ctx in
            let db = try ctx.database()
            defer { db.close() }
            try body(Quarantine(config: ctx.config, connection: db))
            return 0
        }
    }

    /// Runs `retry` or `drop` on entry `id`, saying (with --verbose) what became of its file.
    static func act(
        _ global: GlobalOptions, _ id: UInt64, _ outcome: String,
        _ action: (Quarantine) -> (UInt64, String) throws -> Quarantine.Entry
    ) throws {
        try withQuarantine(global) { q in
            let who = Context.operatorName
            let e = try action(q)(id, who)
            if global.verbose { print("\(outcome): \(e.file)") }
        }
    }

    /// `salesync quarantine list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "Show the open entries with their reasons.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try QuarantineCommand.withQuarantine(global) { q in
                for e in try q.list() {
                    print("\(e.id)  \(e.created)  \(e.branch)  seq \(e.sequence.map(String.init) ?? "?")  \(e.file)\n    \(e.reason)")
                }
            }
        }
    }

    /// `salesync quarantine retry ID`.
    struct Retry: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retry", abstract: "Put an entry back into the inbox (after fixing the cause).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The entry's id (see quarantine list).")
        var id: UInt64

        func run() throws {
            try QuarantineCommand.act(global, id, "back in the inbox", Quarantine.retry)
        }
    }

    /// `salesync quarantine drop ID`.
    struct Drop: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "drop", abstract: "Give an entry up and delete its bytes.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The entry's id (see quarantine list).")
        var id: UInt64

        func run() throws {
            try QuarantineCommand.act(global, id, "dropped", Quarantine.drop)
        }
    }
}

import ArgumentParser
import Foundation
import SaleSyncCore
import SaleSyncWeb

/// `salesync user add|list|remove`: the web console's users.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage the web console's users ([web] users_file).",
        discussion: """
            Examples: printf '%s\\n' "$PASSWORD" | salesync user add alice --role operator
                      salesync user list
                      salesync user remove alice
            """,
        subcommands: [Add.self, List.self, Remove.self])

    @OptionGroup var global: GlobalOptions

    static func withStore(_ global: GlobalOptions, _ body: (UserStore) throws -> Void) throws {
        try Context.run(global) { ctx in
            try body(try UserStore(config: ctx.config))
            return 0
        }
    }

    /// `salesync user add NAME --role ROLE` (the password on standard input, never in argv).
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "add",
            abstract: "Add a user (or set a user's role and password); the password is read from stdin.")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's name.") var name: String
        @Option(help: "viewer (reads) or operator (also acts).") var role: String

        func run() throws {
            try UserCommand.withStore(global) { store in
                guard let r = WebRole(rawValue: role) else { throw SyncError.data("--role: expected viewer or operator, got \"\(role)\"") }
                if isatty(0) != 0 { FileHandle.standardError.write(Data("Password for \(name): ".utf8)) }
                guard let line = readLine(strippingNewline: true), !line.isEmpty else {
                    throw SyncError.data("password: expected one line on standard input")
                }
                try store.add(name: name, role: r, password: line)
                if global.verbose { print("\(name) (\(r.rawValue)) saved in \(store.path)") }
            }
        }
    }

    /// `salesync user list`.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the users and their roles.")
        @OptionGroup var global: GlobalOptions

        func run() throws {
            try UserCommand.withStore(global) { store in
                for u in try store.load() { print("\(u.name)\t\(u.role.rawValue)") }
            }
        }
    }

    /// `salesync user remove NAME`.
    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove", abstract: "Remove a user (their sessions end at the next request).")
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The user's name.") var name: String

        func run() throws {
            try UserCommand.withStore(global) { store in
                guard try store.remove(name: name) else { throw SyncError.data("no user \"\(name)\" in \(store.path)") }
            }
        }
    }
}

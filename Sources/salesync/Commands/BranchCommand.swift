import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync branch rekey|rejoin`: the head office's decisions about one branch (docs/operations.md).
struct BranchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "branch",
        abstract: "Head office: approve a branch's new key, or prepare its rejoin copy now.",
        discussion: """
            Examples: salesync branch rekey bo1 --public-key BASE64   (a new PC made a new key)
                      salesync branch rejoin bo1 --to /media/usb    (the copy by USB)
            """,
        subcommands: [Rekey.self, Rejoin.self])

    /// `salesync branch rekey BRANCH --public-key KEY`.
    struct Rekey: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rekey",
            abstract: "Accept only this public key for the branch from now on (recorded with who and when).",
            discussion: """
                The branch's bundles refused meanwhile for their signature go back into the inbox. Change the \
                branch's public_key in the configuration too when convenient: the approval overrides it.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The branch's site id.")
        var branch: String
        @Option(name: .customLong("public-key"), help: "The base64 public key salesync keygen printed at the branch.")
        var publicKey: String

        func run() throws {
            try Context.run(global, role: .headOffice) { ctx in
                let db = try ctx.database()
                defer { db.close() }
                let n = try BranchKeys.approve(
                    db, config: ctx.config, branch: branch, publicKey: publicKey, by: Context.operatorName)
                ctx.say("\(branch): only the approved key is accepted from now on; \(n) refused bundle(s) back in the inbox", global)
                return 0
            }
        }
    }

    /// `salesync branch rejoin BRANCH [--to DIR]`.
    struct Rejoin: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rejoin",
            abstract: "Prepare the branch's rejoin copy (the ingest service does it by itself) and copy it for USB.",
            discussion: """
                Needs key_file: the copy is signed with the head office's key. For a branch that has not gone back \
                in time, nothing more of its is applied from now until it rejoins.
                """)
        @OptionGroup var global: GlobalOptions
        @Argument(help: "The branch's site id.")
        var branch: String
        @Option(help: "Also copy it to DIR/<branch>/ for `salesync rejoin --from DIR` at the branch.")
        var to: String?

        func run() throws {
            try Context.run(global, role: .headOffice) { ctx in
                // One writer of the downlink's files at a time: the ingest service and `export`
                // take this lock too (`Distributor.recover` removes files it has no record of);
                // theirs is held for seconds, so this waits for it.
                let lock = try LockedRun.stateLock(ctx.config, "branch rejoin", wait: 60)
                defer { lock.release() }
                let db = try ctx.database()
                defer { db.close() }
                let key = try Keys.load(path: ctx.config.keyFile ?? "", config: ctx.config.path)
                let copy = try RejoinCopy(config: ctx.config, connection: db, key: key, logger: ctx.logger).prepareUnlessOut(branch)
                ctx.say("\(branch): rejoin copy \(copy.file) (\(copy.bytes) bytes) queued for its downlink", global)
                if let to {
                    let n = try DownlinkOutbox(config: ctx.config, connection: db).copyPending(to: to, only: branch)
                    ctx.say("copied \(n) bundle(s) for \(branch) to \(to)/\(branch)", global)
                }
                return 0
            }
        }
    }
}

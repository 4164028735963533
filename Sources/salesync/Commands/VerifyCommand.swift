import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync verify`: the head office's copy of each branch against the branch's state checksum.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Head office: compare its copy of a branch with the branch's last reported state checksum.",
        discussion: """
            Without --full it compares the running checksum; with --full it recomputes the head office's \
            side from the table first (a scan of the branch's rows), which also finds rows inserted \
            behind salesync's back. Without --branch it checks every configured branch. Exit 65 when \
            any differs.
            Examples: salesync verify --branch bo1 --full
                      salesync verify --full   (nightly from cron)
            """)

    @OptionGroup var global: GlobalOptions
    @Option(help: "The branch to check (default: every branch in the config).")
    var branch: String?
    @Flag(help: "Recompute the head office's side from the table.")
    var full = false

    func run() throws {
        try Context.run(global, role: .headOffice) { ctx in
            let db = try ctx.database()
            defer { db.close() }
            let verifier = Verifier(config: ctx.config, connection: db)
            var drift = false
            for id in branch.map({ [$0] }) ?? ctx.config.branches.map(\.id) {
                for v in try verifier.verify(branch: id, full: full) {
                    print(
                        "\(id) \(v.table): head office \(v.headOfficeRows) rows, hash \(String(v.headOfficeHash, radix: 16)); branch \(Self.describe(v)): \(v.verdict.rawValue)"
                    )
                    if let w = v.wentBack { print("\(id) \(v.table): WENT BACK IN TIME: \(w)") }
                    drift = drift || v.verdict == .drift
                }
            }
            return drift ? FailureClass.data.rawValue : 0
        }
    }

    private static func describe(_ v: Verifier.Verification) -> String {
        guard let rows = v.branchRows else { return "no state reported yet" }
        return "\(rows) rows, hash \(String(v.branchHash ?? 0, radix: 16))"
    }
}

import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync keygen`.
struct KeygenCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keygen",
        abstract: "Make a branch's Ed25519 signing key (file mode 0600) and print its public key.",
        discussion: """
            Put the printed public key in the head office's config under [branches.<id>] public_key.
            Example: salesync keygen --out /etc/salesync/bo1.key
            """)

    @Option(help: "Where to write the private key.")
    var out: String

    func run() throws {
        try Context.runWithoutConfig(.warning) { _ in
            print(try Keys.generate(path: out))
            return 0
        }
    }
}

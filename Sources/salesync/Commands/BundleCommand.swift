import ArgumentParser
import Foundation
import SaleSyncCore

/// `salesync bundle inspect|verify`: a bundle file, anywhere.
struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Look inside or check a bundle file.",
        subcommands: [Inspect.self, Check.self])

    /// `salesync bundle inspect FILE`.
    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inspect",
            abstract: "Print a bundle's header and per-table counts.",
            discussion: "Example: salesync bundle inspect /var/lib/salesync/outbox/bo1-000000000001.ssb")
        @Argument var file: String

        func run() throws {
            try Context.runWithoutConfig(.warning) { _ in
                let f = try BundleCommand.open(file)
                let h = f.header
                print("file:      \(file) (\(f.size) bytes)")
                print("branch:    \(h.branch)")
                print("sequence:  \(h.sequence)")
                print("kind:      \(h.kind.rawValue)")
                print("created:   \(h.created)")
                print("sha256:    \(f.sha256)")
                print("body:      \(h.bodyBytes) bytes inflated")
                for t in h.tables {
                    var line = "table \(t.name): \(t.upserts) upserts, \(t.deletes) deletes, log \(t.logFrom)...\(t.logTo)"
                    if t.reset { line += ", replaces the branch's rows" }
                    if let s = t.state { line += ", branch state \(s.rows) rows hash \(s.hash)" }
                    print(line)
                    print(
                        "  schema \(t.fingerprint.prefix(16)): "
                            + t.columns.map { "\($0.name) \($0.type)\($0.key > 0 ? " [key \($0.key)]" : "")" }.joined(separator: ", "))
                }
                return 0
            }
        }
    }

    /// `salesync bundle verify FILE`.
    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "verify",
            abstract: "Check a bundle's checksum, body and (with --public-key) signature. Exit 65 if anything is wrong.",
            discussion: "Example: salesync bundle verify bo1-000000000001.ssb --public-key 'base64…'")
        @Argument var file: String
        @Option(name: .customLong("public-key"), help: "The branch's public key (base64), to check the signature.")
        var publicKey: String?

        func run() throws {
            try Context.runWithoutConfig(.warning) { _ in
                let f = try BundleCommand.open(file)
                do {
                    if let k = publicKey { try f.verifySignature(try Keys.publicKey(base64: k)) }
                    _ = try f.decodeBody()
                } catch let e as BundleError {
                    throw SyncError.data("\(file): \(e)")
                }
                print("\(file): OK (\(f.header.rowCount) rows\(publicKey == nil ? ", signature not checked" : ", signature valid"))")
                return 0
            }
        }
    }

    /// Opens a bundle file for the subcommands, turning format errors into exit 65.
    static func open(_ path: String) throws -> BundleFile {
        guard FileManager.default.isReadableFile(atPath: path) else { throw SyncError.other("\(path): cannot read") }
        do { return try BundleFile(path: path) } catch let e as BundleError {
            throw SyncError.data("\(path): \(e)")
        }
    }
}

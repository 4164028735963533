import ArgumentParser
import Foundation
import MariaDB
import SaleSyncCore

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create salesync's tables (and capture, on a branch) and declare the RabbitMQ queues. Idempotent.",
        discussion: "Example: salesync --config /etc/salesync/bo1.toml init")

    @OptionGroup var global: GlobalOptions

    func run() throws {
        try Context.run(global) { ctx in
            let db = try ctx.database()
            defer { db.close() }
            let c = ctx.config
            let lines = c.role == .branch ? try Capture.install(db, config: c) : try HeadOfficeStore.install(db, config: c)
            for l in lines { ctx.logger.info("\(l)") }
            try ensureDirectory(c.stateDir)
            let amqp = try Topology.connect(c)
            defer { amqp.close() }
            for b in c.role == .branch ? [c.site] : c.branches.map(\.id) { try Topology.declare(amqp, branch: b) }
            if global.verbose { lines.forEach { print($0) } }
            return 0
        }
    }
}

struct Keygen: ParsableCommand {
    static let configuration = CommandConfiguration(
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

struct Ingest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Head office: apply branches' bundles from RabbitMQ (or a directory), exactly once, in order.",
        discussion: """
            Without --once it runs until SIGTERM, reconnecting with backoff when the broker or database \
            goes away. With --from it applies the bundle files in a directory and writes ack files to DIR/acks/.
            Examples: salesync --config /etc/salesync/ho.toml ingest --once
                      salesync --config /etc/salesync/ho.toml ingest --from /media/usb/salesync
            """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "Take what is waiting, apply it, send acknowledgements, and exit.")
    var once = false
    @Option(help: "Apply bundle files from this directory instead of RabbitMQ (USB procedure).")
    var from: String?

    func run() throws {
        try Context.run(global, role: .headOffice) { ctx in
            if let from { return try ingestDirectory(ctx, from) }
            return try IngestService(ctx: ctx, once: once, verbose: global.verbose).run()
        }
    }

    func ingestDirectory(_ ctx: Context, _ dir: String) throws -> Int32 {
        let db = try ctx.database(localInfile: true)
        defer { db.close() }
        let ingestor = try Ingestor(config: ctx.config, connection: db, logger: ctx.logger)
        var report = IngestReport()
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".ssb") }.sorted()
        for f in files { try ingestor.receiveFile(dir + "/" + f, report: &report) }
        try ingestor.process(report: &report)
        let acks = try ingestor.writeAckFiles(to: dir)
        if global.verbose {
            print("\(files.count) file(s): \(report.applied.count) applied (\(report.rowsApplied) rows), \(report.duplicates) already applied, \(report.quarantined) quarantined; \(acks) ack file(s) written")
        }
        return report.quarantined > 0 ? FailureClass.data.rawValue : 0
    }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
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
                let s = try HeadOfficeStatus.read(db, config: ctx.config)
                if json { print(String(decoding: try enc.encode(s), as: UTF8.self)) } else { print(StatusText.headOffice(s)) }
                if let metrics { try writeFileAtomically(path: metrics, bytes: Array(StatusText.headOfficeMetrics(s).utf8)) }
            }
            return 0
        }
    }
}

struct BundleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bundle",
        abstract: "Look inside or check a bundle file.",
        subcommands: [Inspect.self, Verify.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a bundle's header and per-table counts.",
            discussion: "Example: salesync bundle inspect /var/lib/salesync/outbox/bo1-000000000001.ssb")
        @Argument var file: String

        func run() throws {
            try Context.runWithoutConfig(.warning) { _ in
                let f = try BundleCheck.open(file)
                let h = f.header
                print("file:      \(file) (\(f.size) bytes)")
                print("branch:    \(h.branch)")
                print("sequence:  \(h.sequence)")
                print("kind:      \(h.kind)")
                print("created:   \(h.created)")
                print("sha256:    \(f.sha256)")
                print("body:      \(h.bodyBytes) bytes inflated")
                for t in h.tables {
                    var line = "table \(t.name): \(t.upserts) upserts, \(t.deletes) deletes, log \(t.logFrom)...\(t.logTo)"
                    if t.reset { line += ", replaces the branch's rows" }
                    if let s = t.state { line += ", branch state \(s.rows) rows hash \(s.hash)" }
                    print(line)
                    print("  schema \(t.fingerprint.prefix(16)): " + t.columns.map { "\($0.name) \($0.type)\($0.key > 0 ? " [key \($0.key)]" : "")" }.joined(separator: ", "))
                }
                return 0
            }
        }
    }

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a bundle's checksum, body and (with --public-key) signature. Exit 65 if anything is wrong.",
            discussion: "Example: salesync bundle verify bo1-000000000001.ssb --public-key 'base64…'")
        @Argument var file: String
        @Option(name: .customLong("public-key"), help: "The branch's public key (base64), to check the signature.")
        var publicKey: String?

        func run() throws {
            try Context.runWithoutConfig(.warning) { _ in
                let f = try BundleCheck.open(file)
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
}

enum BundleCheck {
    static func open(_ path: String) throws -> BundleFile {
        guard FileManager.default.isReadableFile(atPath: path) else { throw SyncError.other("\(path): cannot read") }
        do { return try BundleFile(path: path) } catch let e as BundleError {
            throw SyncError.data("\(path): \(e)")
        }
    }
}

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Head office: compare its copy of a branch with the branch's last reported state checksum.",
        discussion: """
            Without --full it compares the running checksum; with --full it recomputes the head office's \
            side from the table first (a scan of the branch's rows), which also finds rows inserted \
            behind salesync's back. Without --branch it checks every configured branch. Exit 65 when \
            any differs.
            Examples: salesync --config /etc/salesync/ho.toml verify --branch bo1 --full
                      salesync --config /etc/salesync/ho.toml verify --full   (nightly from cron)
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
            let ingestor = try Ingestor(config: ctx.config, connection: db, logger: ctx.logger)
            var drift = false
            for id in branch.map({ [$0] }) ?? ctx.config.branches.map(\.id) {
                for v in try ingestor.verify(branch: id, full: full) {
                    let b = v.branchRows.map { "\($0) rows, hash \(String($0 == 0 && v.branchHash == nil ? 0 : v.branchHash ?? 0, radix: 16))" } ?? "no state reported yet"
                    print("\(id) \(v.table): head office \(v.headOfficeRows) rows, hash \(String(v.headOfficeHash, radix: 16)); branch \(b): \(v.verdict)")
                    drift = drift || v.verdict == "drift"
                }
            }
            return drift ? FailureClass.data.rawValue : 0
        }
    }
}

struct Quarantine: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Head office: list, retry or drop refused bundles.",
        discussion: """
            Examples: salesync --config ho.toml quarantine list
                      salesync --config ho.toml quarantine retry 12   (after fixing the cause, e.g. a branch's key)
                      salesync --config ho.toml quarantine drop 12
            """)

    @OptionGroup var global: GlobalOptions
    @Argument(help: "list, retry or drop")
    var action: String
    @Argument(help: "The entry's id (for retry and drop).")
    var id: UInt64?

    func run() throws {
        try Context.run(global, role: .headOffice) { ctx in
            let db = try ctx.database()
            defer { db.close() }
            let ing = try Ingestor(config: ctx.config, connection: db, logger: ctx.logger)
            switch action {
            case "list":
                for e in try ing.quarantineList() {
                    print("\(e.id)  \(e.created)  \(e.branch)  seq \(e.sequence.map(String.init) ?? "?")  \(e.file)\n    \(e.reason)")
                }
            case "retry", "drop":
                guard let id else { throw ValidationError("\(action) needs the entry's id (see quarantine list)") }
                let e = action == "retry" ? try ing.quarantineRetry(id: id) : try ing.quarantineDrop(id: id)
                if global.verbose { print("\(action == "retry" ? "back in the inbox" : "dropped"): \(e.file)") }
            default:
                throw ValidationError("expected list, retry or drop, got \(action)")
            }
            return 0
        }
    }
}

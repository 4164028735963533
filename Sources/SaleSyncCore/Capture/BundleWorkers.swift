import Crypto
import Dispatch
import Foundation

/// Encodes, compresses and writes an export's bundles on other threads, two at a time, while the
/// export goes on reading rows: encoding and deflate are most of an export's CPU, and reading
/// mostly waits on the server. Bundles come back in sequence order; the first failure is thrown
/// by the next `submit` or by `wait`.
final class BundleWorkers: @unchecked Sendable {
    /// What every bundle of the export shares (only read, from any thread: the signing key too).
    struct Settings {
        let site: String
        let kind: BundleKind
        let created: String
        let key: Curve25519.Signing.PrivateKey
        let level: Int32
        let epoch: UInt64?
        let outbox: String
    }

    let settings: Settings
    /// At most this many bundles are being encoded at once (each holds its rows in memory).
    static let parallel = 2
    private let slots = DispatchSemaphore(value: BundleWorkers.parallel)
    private let group = DispatchGroup()
    // Guarded by `lock`: the bundles written, the first failure.
    private let lock = NSLock()
    private var written: [ExportedBundle] = []
    private var failure: (any Error)?

    init(_ settings: Settings) { self.settings = settings }

    /// Starts encoding bundle `sequence` once a worker is free.
    func submit(sequence: UInt64, tables: [TableChanges], rows: Int) throws {
        try throwFailure()
        slots.wait()
        group.enter()
        DispatchQueue.global().async { [self] in
            defer {
                slots.signal()
                group.leave()
            }
            do {
                let bundle = try write(sequence: sequence, tables: tables, rows: rows)
                lock.withLock { written.append(bundle) }
            } catch {
                lock.withLock { failure = failure ?? error }
            }
        }
    }

    /// Waits for every bundle submitted; returns them in sequence order.
    func wait() throws -> [ExportedBundle] {
        group.wait()
        try throwFailure()
        return lock.withLock { written.sorted { $0.sequence < $1.sequence } }
    }

    /// Waits for the bundles submitted, whatever became of them: an export that fails waits, so
    /// that its clean-up (`Exporter.recover`) sees every file it wrote.
    func settle() { group.wait() }

    private func throwFailure() throws {
        if let failure = lock.withLock({ failure }) { throw failure }
    }

    private func write(sequence: UInt64, tables: [TableChanges], rows: Int) throws -> ExportedBundle {
        let s = settings
        let bytes = try BundleFormat.encode(
            branch: s.site, sequence: sequence, kind: s.kind, created: s.created, tables: tables, key: s.key, level: s.level,
            epoch: s.epoch)
        let name = Exporter.fileName(site: s.site, sequence: sequence)
        try writeDurably(path: s.outbox + "/" + name + ".tmp", bytes: bytes, mode: 0o640)
        faultPoint("export-bundle-written")
        return ExportedBundle(
            sequence: sequence, file: name, rows: rows, bytes: bytes.count, sha256: BundleFormat.checksumField(of: bytes).hex)
    }
}

import Foundation
import MariaDB

/// The USB procedure's branch side: copies bundles to a directory and checks each copy.
public enum Courier {
    /// Copies every unacknowledged bundle to `dir` (write to a temporary name, fsync, rename,
    /// read back and compare). Returns how many were copied.
    public static func copyPending(_ db: MariaDBConnection, config: Config, to dir: String) throws -> Int {
        try ensureDirectory(dir)
        var n = 0
        for r in try db.query("SELECT file, sha256 FROM salesync_bundles WHERE status <> ? ORDER BY seq", [BundleStatus.acked.sql]) {
            let file = r[0] ?? ""
            try copyChecked(config.outboxDir + "/" + file, to: dir + "/" + file, sha256: r[1] ?? "")
            n += 1
        }
        return n
    }

    /// Copies one bundle file: to a temporary name, fsynced, renamed, read back and compared.
    public static func copyChecked(_ source: String, to target: String, sha256: String) throws {
        try copyChecked(try readFile(source), to: target, sha256: sha256)
    }

    /// The same for a bundle in memory.
    public static func copyChecked(_ bytes: [UInt8], to target: String, sha256: String) throws {
        try writeFileAtomically(path: target, bytes: bytes)
        let back = try readFile(target)
        guard back == bytes, (try? BundleFile(bytes: back))?.sha256 == sha256 else {
            throw SyncError.other("\(target): the copy does not read back identical; is the stick failing?")
        }
    }
}

import Crypto
import Foundation

/// A branch's bundle whose body every branch shares is kept as a *frame*: what goes before and
/// after the body (its header, lengths, checksum and signature), with the name of the shared
/// file that holds the body. Why: 200 branches' copies of one price change were 200 files of
/// the same body, written and flushed at every export; now the body is kept once (a hard link
/// to the master bundle) and each branch costs a few hundred bytes. A frame is turned back into
/// the bundle, byte for byte, only when it is sent or copied (`bundleBytes`).
///
/// A frame file: "SSFRAME1", the body file's name (u16 length, UTF-8; in `bodies/`), the
/// body's offset and length in it (u64 each), the prefix (u32 length, bytes), then the suffix.
extension Distributor {
    static let frameMagic = Array("SSFRAME1".utf8)
    static let frameExtension = ".frame"

    /// Where the shared bodies are kept, each named for the master bundle it belongs to.
    static func bodiesDirectory(_ config: Config) -> String { config.downlinkDir + "/bodies" }

    /// A shared body's file name: the master sequence first, which `pruneBodies` reads back.
    static func bodyName(master: UInt64, _ tag: String) -> String { String(master).leftPadded(to: 20) + "-" + tag + ".ssb" }

    /// Keeps the complete bundle at `source` as a body frames may point into (a hard link: the
    /// master's file is removed once distributed). Returns its name.
    func keepBody(linking source: String, master: UInt64) throws -> String {
        let name = Self.bodyName(master: master, "master")
        let dir = Self.bodiesDirectory(config)
        try ensureDirectory(dir)
        // Already there when an earlier attempt at this master crashed: the same file.
        if link(source, dir + "/" + name) != 0 && errno != EEXIST {
            try writeFile(path: dir + "/" + name, bytes: try readFile(source), mode: 0o640, sync: false)
        }
        return name
    }

    /// Keeps `file` (a bundle made in memory, e.g. a shared snapshot part) as a body.
    func keepBody(_ file: BundleFile, master: UInt64, tag: String) throws -> String {
        let name = Self.bodyName(master: master, tag)
        let dir = Self.bodiesDirectory(config)
        try ensureDirectory(dir)
        try writeFile(path: dir + "/" + name, bytes: file.data, mode: 0o640, sync: false)
        return name
    }

    /// Writes branch `branch`'s bundle `sequence` as a frame over `resealer`'s body, kept as
    /// `body`; not flushed (`staging` flushes them all). Touches no shared state.
    func writeFrame(
        _ resealer: Resealer, body: String, branch: String, sequence: UInt64
    ) throws -> (bundle: DownlinkBundle, header: BundleHeader) {
        let (prefix, suffix, header) = try resealer.frame(for: branch, sequence: sequence, key: key)
        let (path, name) = try stagingPath(branch: branch, sequence: sequence)
        var out = ByteWriter(capacity: prefix.count + suffix.count + 128)
        out.bytes += Self.frameMagic
        out.u16(UInt16(body.utf8.count))
        out.bytes += Array(body.utf8)
        out.u64(UInt64(resealer.body.startIndex))
        out.u64(UInt64(resealer.body.count))
        out.u32(UInt32(prefix.count))
        out.bytes += prefix
        out.bytes += suffix
        // No whole file of the same name can be there (it would be read instead): one left by
        // a crashed attempt went with `recover`, which runs before anything is staged.
        try writeFile(path: path + Self.frameExtension, bytes: out.bytes, mode: 0o640, sync: false)
        // The suffix is a bundle's last 96 bytes: checksum, then signature.
        let sha = BundleFormat.checksumField(of: suffix).hex
        return (
            DownlinkBundle(
                branch: branch, sequence: sequence, file: name, sha256: sha, bytes: prefix.count + resealer.body.count + suffix.count),
            header
        )
    }

    /// Branch `branch`'s bundle `file`, whole: read as written, or put together from its frame.
    public static func bundleBytes(_ config: Config, branch: String, file: String) throws -> [UInt8] {
        let path = directory(config, branch: branch) + "/" + file
        guard let frame = try? readFile(path + frameExtension) else { return try readFile(path) }
        do {
            var r = ByteReader(frame)
            guard Array(frame.prefix(frameMagic.count)) == frameMagic else { throw BundleError.malformed("not a frame") }
            r.offset = frameMagic.count
            let nameLength = Int(try r.u16("body name length"))
            try r.need(nameLength, "body name")
            let name = String(decoding: frame[r.offset..<r.offset + nameLength], as: UTF8.self)
            r.offset += nameLength
            let (offset, length) = (Int(try r.u64("body offset")), Int(try r.u64("body length")))
            let prefixLength = Int(try r.u32("prefix length"))
            try r.need(prefixLength, "prefix")
            let body = try readFile(bodiesDirectory(config) + "/" + name)
            guard offset >= 0, length >= 0, offset + length <= body.count else { throw BundleError.malformed("body out of range") }
            return Array(frame[r.offset..<r.offset + prefixLength]) + body[offset..<offset + length] + frame[(r.offset + prefixLength)...]
        } catch {
            throw SyncError.other("\(path)\(frameExtension): \(error)")
        }
    }

    /// Removes branch `branch`'s bundle `file`, whichever way it is kept (acknowledged).
    static func removeBundle(_ config: Config, branch: String, file: String) {
        let path = directory(config, branch: branch) + "/" + file
        removeFileIfPresent(path)
        removeFileIfPresent(path + frameExtension)
    }

    /// Removes the bodies no unacknowledged frame can point into: those of master bundles older
    /// than the oldest bundle still unacknowledged (rejoin copies are whole files, and have none).
    func pruneBodies() throws {
        let dir = Self.bodiesDirectory(config)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: dir), !names.isEmpty else { return }
        let oldest = try conn.query(
            "SELECT MIN(master_seq) FROM salesync_downlink WHERE status <> ? AND kind <> ?",
            [BundleStatus.acked.sql, .text(BundleKind.rejoin.rawValue)]
        ).first?.uint(0)
        for name in names {
            guard let master = UInt64(name.prefix(20)) else { continue }
            if oldest.map({ master < $0 }) ?? true { removeFileIfPresent(dir + "/" + name) }
        }
    }
}

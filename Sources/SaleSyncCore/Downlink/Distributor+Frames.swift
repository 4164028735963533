import Crypto
import Foundation

/// A branch's bundle whose body every branch shares is kept as a *frame*: what goes before and
/// after the body (its header, lengths, checksum and signature), with the name of the shared
/// file that holds the body. Why: 200 branches' copies of one price change were 200 files of
/// the same body, written and flushed at every export; now the body is kept once (a hard link
/// to the master bundle) and each branch costs a few hundred bytes. A frame is turned back into
/// the bundle, byte for byte, only when it is sent or copied (`bundleBytes`).
///
/// The frames of one distribution go into one *pack* file, each branch's record saying where
/// its frame lies (`FrameRef`). Why: creating and flushing 200 small files in 200 folders was
/// most of what a distribution to 200 branches cost over one to a single branch; one file is
/// written and flushed once. (Earlier versions wrote each frame as `<bundle>.frame` beside the
/// branch's bundles; those are still read.)
///
/// A frame: "SSFRAME1", the body file's name (u16 length, UTF-8; in `bodies/`), the body's
/// offset and length in it (u64 each), the prefix (u32 length, bytes), then the suffix. A pack:
/// "SSFPACK1", then frames one after another.
extension Distributor {
    static let frameMagic = Array("SSFRAME1".utf8)
    static let packMagic = Array("SSFPACK1".utf8)
    static let frameExtension = ".frame"

    /// Where the shared bodies are kept, each named for the master bundle it belongs to.
    public static func bodiesDirectory(_ config: Config) -> String { config.downlinkDir + "/bodies" }

    /// Where the frame packs are kept, named like the bodies.
    public static func packsDirectory(_ config: Config) -> String { config.downlinkDir + "/packs" }

    /// A shared file's name: the master sequence first, which `pruneShared` reads back.
    static func sharedName(master: UInt64, _ tag: String, _ ext: String) -> String {
        String(master).leftPadded(to: 20) + "-" + tag + ext
    }

    /// Keeps the complete bundle at `source` as a body frames may point into (a hard link: the
    /// master's file is removed once distributed). Returns its name.
    func keepBody(linking source: String, master: UInt64) throws -> String {
        let name = Self.sharedName(master: master, "master", ".ssb")
        let dir = Self.bodiesDirectory(config)
        try ensureDirectory(dir)
        // Already there when an earlier attempt at this master crashed: the same file.
        if link(source, dir + "/" + name) != 0 && errno != EEXIST {
            try writeFile(path: dir + "/" + name, bytes: try readFile(source), mode: 0o640, sync: true)
        }
        flushDirectory(dir)
        return name
    }

    /// Keeps `file` (a bundle made in memory, e.g. a shared snapshot part) as a body.
    func keepBody(_ file: BundleFile, master: UInt64, tag: String) throws -> String {
        let name = Self.sharedName(master: master, tag, ".ssb")
        let dir = Self.bodiesDirectory(config)
        try ensureDirectory(dir)
        try writeFile(path: dir + "/" + name, bytes: file.data, mode: 0o640, sync: true)
        flushDirectory(dir)
        return name
    }

    /// Branch `branch`'s bundle `sequence` as a frame over `resealer`'s body, kept as `body`.
    /// Touches no shared state, so branches' frames may be sealed at once.
    func frame(
        _ resealer: Resealer, body: String, branch: String, sequence: UInt64
    ) throws -> (bytes: [UInt8], bundle: DownlinkBundle, header: BundleHeader) {
        let (prefix, suffix, header) = try resealer.frame(for: branch, sequence: sequence, key: key)
        var out = ByteWriter(capacity: prefix.count + suffix.count + 128)
        out.bytes += Self.frameMagic
        out.u16(UInt16(body.utf8.count))
        out.bytes += Array(body.utf8)
        out.u64(UInt64(resealer.body.startIndex))
        out.u64(UInt64(resealer.body.count))
        out.u32(UInt32(prefix.count))
        out.bytes += prefix
        out.bytes += suffix
        // The suffix is a bundle's last 96 bytes: checksum, then signature.
        let bundle = DownlinkBundle(
            branch: branch, sequence: sequence, file: Self.fileName(branch: branch, sequence: sequence),
            sha256: BundleFormat.checksumField(of: suffix).hex, bytes: prefix.count + resealer.body.count + suffix.count)
        return (out.bytes, bundle, header)
    }

    /// Writes `frames` into one pack named for `master` and `tag` (flushed, with its folder),
    /// and returns their bundles, each saying where its frame lies.
    func writePack(
        _ frames: [(bytes: [UInt8], bundle: DownlinkBundle, header: BundleHeader)], master: UInt64, tag: String
    ) throws -> [(bundle: DownlinkBundle, header: BundleHeader)] {
        let name = Self.sharedName(master: master, tag, ".pack")
        let dir = Self.packsDirectory(config)
        try ensureDirectory(dir)
        var out = Self.packMagic
        out.reserveCapacity(frames.reduce(out.count) { $0 + $1.bytes.count })
        let placed = frames.map { f in
            var b = f.bundle
            b.frame = FrameRef(pack: name, offset: out.count, length: f.bytes.count)
            out += f.bytes
            return (b, f.header)
        }
        // A pack of the same name can only be one a crash left before its records committed:
        // nothing reads it, and it is replaced whole.
        try writeFile(path: dir + "/" + name, bytes: out, mode: 0o640, sync: true)
        flushDirectory(dir)
        return placed
    }

    /// Branch `b`'s bundle, whole.
    public static func bundleBytes(_ config: Config, _ b: DownlinkBundle) throws -> [UInt8] {
        try bundleBytes(config, branch: b.branch, file: b.file, frame: b.frame)
    }

    /// Branch `branch`'s bundle `file`, whole: put together from its frame in a pack, or read as
    /// written (or from its frame beside it, as earlier versions kept them).
    public static func bundleBytes(_ config: Config, branch: String, file: String, frame ref: FrameRef?) throws -> [UInt8] {
        if let ref {
            let pack = packsDirectory(config) + "/" + ref.pack
            return try bundle(
                fromFrame: try readFile(pack, offset: ref.offset, length: ref.length), config, where: "\(pack) at \(ref.offset)")
        }
        let path = directory(config, branch: branch) + "/" + file
        guard let frame = try? readFile(path + frameExtension) else { return try readFile(path) }
        return try bundle(fromFrame: frame, config, where: path + frameExtension)
    }

    /// The bundle a frame stands for: its prefix, the body it names, its suffix.
    private static func bundle(fromFrame frame: [UInt8], _ config: Config, where place: String) throws -> [UInt8] {
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
            throw SyncError.other("\(place): \(error)")
        }
    }

    /// Removes branch `branch`'s bundle `file`, whichever way it is kept (acknowledged). A frame
    /// in a pack goes with its pack (`pruneShared`).
    static func removeBundle(_ config: Config, branch: String, file: String) {
        let path = directory(config, branch: branch) + "/" + file
        removeFileIfPresent(path)
        removeFileIfPresent(path + frameExtension)
    }

    /// Removes the bodies and packs no unacknowledged bundle can point into: those of master
    /// bundles older than the oldest bundle still unacknowledged (rejoin copies are whole files,
    /// and have none).
    func pruneShared() throws {
        let dirs = [Self.bodiesDirectory(config), Self.packsDirectory(config)]
        let listed = dirs.map { dir in ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).map { dir + "/" + $0 } }
        let paths = listed.joined()
        guard !paths.isEmpty else { return }
        let oldest = try conn.query(
            "SELECT MIN(master_seq) FROM salesync_downlink WHERE status <> ? AND kind <> ?",
            [BundleStatus.acked.sql, .text(BundleKind.rejoin.rawValue)]
        ).first?.uint(0)
        for path in paths {
            guard let master = UInt64(path.split(separator: "/").last?.prefix(20) ?? "") else { continue }
            if oldest.map({ master < $0 }) ?? true { removeFileIfPresent(path) }
        }
    }
}

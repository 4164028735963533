import Foundation

/// The first downlink bundle on a stick, read, checked against its checksum and decoded on a
/// thread of its own while `ingest --from` takes its lock and connects. Why: for the usual stick
/// of one price change those two waits were each about 2 ms of a 45 ms command, one after the
/// other, on a machine with a core to spare. Nothing is applied or trusted here: the signature
/// and everything else are checked as for any bundle (`DownlinkApplier.apply`).
public final class DownlinkReadAhead: Sendable {
    typealias Read = HandedOver<Result<(file: BundleFile, tables: [TableChanges]), Error>>
    /// The stick's bundles in the order they apply.
    let paths: [String]
    private let first: Background<Read>?

    public init(dir: String, site: String) {
        paths = Self.bundlePaths(in: dir, site: site)
        first = paths.first.map { path in
            Background("read-ahead") { Read(Result { try Self.readAndDecode(path) }) }
        }
    }

    private static func readAndDecode(_ path: String) throws -> (file: BundleFile, tables: [TableChanges]) {
        let file = try BundleFile(path: path)
        return (file, try file.decodeBody())
    }

    /// The bundle at `path`, and its rows when they were decoded ahead (the first bundle).
    func read(_ path: String) throws -> (file: BundleFile, tables: [TableChanges]?) {
        if let first, path == paths.first {
            let (file, tables) = try first.value().value.get()
            return (file, tables)
        }
        return (try BundleFile(path: path), nil)
    }

    /// The downlink bundles in `dir/<site>/` and `dir` itself, by file name, which puts this
    /// branch's bundles in sequence order wherever on the stick they are (an earlier one in DIR
    /// applies before a later one in DIR/<site>). Someone else's bundle is named for what it
    /// is; it is still opened, and refused by its header.
    static func bundlePaths(in dir: String, site: String) -> [String] {
        var paths: [String] = []
        for d in [dir + "/" + site, dir] {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: d)) ?? []
            paths += names.filter { $0.hasPrefix("ho-to-") && $0.hasSuffix(".ssb") }.map { d + "/" + $0 }
        }
        return paths.sorted { (($0 as NSString).lastPathComponent, $0) < (($1 as NSString).lastPathComponent, $1) }
    }
}

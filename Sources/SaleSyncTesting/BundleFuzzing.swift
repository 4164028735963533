import Crypto
import SaleSyncCore
import Zlib

/// The bundle reader's fuzzing entry: what a coverage-guided fuzzer (harness/fuzz, libFuzzer) and
/// the deterministic mutation tests feed bytes to (test support only: its key is fixed and
/// public). Whatever the input, reading it must end in a
/// `BundleError` or in rows whose counts match the header: a crash, a trap, a hang or any other
/// error is a finding.
public enum BundleFuzzing {
    /// The key fuzz inputs are signed with (fixed, so that findings replay).
    public static var key: Curve25519.Signing.PrivateKey {
        // Thirty-two 7s are a valid Ed25519 seed: this cannot fail.
        try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 7, count: 32))
    }

    /// Runs one input. The first byte picks how the rest is used:
    /// - 0: a whole bundle file (container, checksum, signature, body);
    /// - 1: u16 header length, header JSON, compressed body; sealed and signed here, so the
    ///   checks behind the signature are reached;
    /// - 2: the same with an uncompressed body that is deflated here, so mutations land in the
    ///   row encoding itself rather than in deflate's stream.
    public static func testOneInput(_ data: [UInt8]) {
        guard let mode = data.first else { return }
        let rest = Array(data.dropFirst())
        switch mode % 3 {
        case 0: check(rest)
        default:
            guard rest.count >= 2 else { return }
            let n = min(Int(rest[0]) | Int(rest[1]) << 8, rest.count - 2)
            let header = Array(rest[2..<(2 + n)])
            var body = Array(rest[(2 + n)...])
            if mode % 3 == 2 {
                var compressed: [UInt8] = []
                guard let d = try? Deflater(level: 1) else { return }
                defer { d.close() }
                guard (try? body.withUnsafeBytes({ try d.finish($0, into: &compressed) })) != nil else { return }
                body = compressed
            }
            guard let bundle = try? BundleFormat.seal(header: header, body: body, key: key) else { return }
            check(bundle)
        }
    }

    /// Reads `bundle` as the head office does; true when it was accepted.
    @discardableResult
    public static func check(_ bundle: [UInt8], publicKey: Curve25519.Signing.PublicKey = key.publicKey) -> Bool {
        do {
            let f = try BundleFile(bytes: bundle, maxBodyBytes: 1 << 24)
            try f.verifySignature(publicKey)
            let tables = try f.decodeBody()
            precondition(tables.count == f.header.tables.count, "decoded \(tables.count) tables, header lists \(f.header.tables.count)")
            for (t, s) in zip(tables, f.header.tables) {
                precondition(t.upserts.count == s.upserts && t.deletes.count == s.deletes, "row counts differ from the header in \(s.name)")
                precondition(t.upserts.columns.count == s.columns.count, "column count differs from the header in \(s.name)")
            }
            return true
        } catch is BundleError {
            return false
        } catch {
            preconditionFailure("the reader threw something other than a BundleError: \(error)")
        }
    }

    /// Starting inputs for every mode: real bundles of a few shapes (NULLs, every value kind,
    /// dictionary and text columns, deletes).
    public static func seedInputs() throws -> [[UInt8]] {
        let schema = TableSchema(
            name: "s",
            columns: [
                ColumnInfo(name: "id", type: "bigint(20) unsigned", kind: .integer, nullable: false, unsigned: true, key: 1),
                ColumnInfo(name: "d", type: "date", kind: .date, nullable: true),
                ColumnInfo(name: "ts", type: "datetime(6)", kind: .datetime, nullable: true, scale: 6),
                ColumnInfo(name: "amt", type: "decimal(12,2)", kind: .decimal, nullable: true, scale: 2),
                ColumnInfo(name: "t", type: "varchar(9)", kind: .bytes, nullable: true, charset: "utf8mb4", collation: "utf8mb4_bin"),
            ])
        var out: [[UInt8]] = []
        for size in [1, 40, 300] {
            var up = RowBatch(columnCount: 5)
            for i in 0..<size {
                up.append(strings: [
                    String(i), i % 7 == 0 ? nil : "2026-01-0\(i % 9 + 1)", "2026-11-25 12:00:0\(i % 10).000001",
                    i % 5 == 0 ? nil : "\(i).\(10 + i % 90)", ["a", "b", "😀", nil][i % 4],
                ])
            }
            var del = RowBatch(columnCount: 1)
            del.append(strings: [String(size + 1)])
            let section = TableSection(
                name: "s", fingerprint: schema.fingerprint, columns: schema.columns, logFrom: 1, logTo: 1,
                upserts: size, deletes: 1, state: nil)
            let tables = [TableChanges(section: section, upserts: up, deletes: del)]
            let file = try BundleFormat.encode(
                branch: "bo1", sequence: 1, kind: .changes, created: "2026-11-25T12:00:00.000000Z",
                tables: tables, key: key)
            out.append([0] + file)
            let parsed = try BundleFile(bytes: file)
            let header = Array(file[14..<(14 + Int(file[10]) + Int(file[11]) << 8 + Int(file[12]) << 16)])
            let framed = [UInt8(header.count & 0xff), UInt8(header.count >> 8)] + header
            out.append([1] + framed + Array(file[parsed.bodyRange]))
            out.append([2] + framed + (try Inflater.inflate(file[parsed.bodyRange], expectedSize: parsed.header.bodyBytes)))
        }
        return out
    }
}
